"""Live updates: a change made elsewhere shows up in the open directory, once, without reload."""
import time

from conftest import ADMIN, rows_named, screenshot, unique, wait_connected


def _all_row_ids(page):
    return page.locator('[data-testid="workspace-row"]').evaluate_all("rows => rows.map(r => r.dataset.id)")


def test_created_workspace_appears_live_exactly_once(open_page, api):
    page, probe = open_page(ADMIN, viewport="desktop")
    page.get_by_test_id("workspace-list").wait_for()
    wait_connected(page)
    page.evaluate("() => { window.__noReloadMarker = 'still-here'; }")

    name = unique("Live-Test Arbeitsgruppe")
    api(ADMIN).create_workspace(name, description="Vom zweiten Client angelegt.")

    rows_named(page, name).first.wait_for(timeout=5_000)
    time.sleep(1.0)  # give a duplicate event the chance to show up
    assert rows_named(page, name).count() == 1
    ids = _all_row_ids(page)
    assert len(ids) == len(set(ids)), f"duplicate rows: {ids}"
    assert page.evaluate("() => window.__noReloadMarker") == "still-here", "the page was reloaded"
    announcer = page.locator("#announcer")
    assert f"„{name}“ wurde angelegt" in announcer.text_content()
    assert probe.page_errors == []
    assert probe.csp_violations(page) == []
    screenshot(page, "live-created-desktop")


def test_resume_after_dropped_socket_replays_missed_events_once(open_page, api):
    page, probe = open_page(ADMIN, viewport="mobile")
    page.get_by_test_id("workspace-list").wait_for()
    wait_connected(page)
    page.evaluate("() => { window.__noReloadMarker = 'still-here'; }")
    status = page.get_by_test_id("connection-status")

    page.evaluate("() => window.__roundtable.live.dropForTest({ hold: true })")
    page.locator('[data-testid="connection-status"][data-state="reconnecting"]').wait_for()
    assert "Verbindung wird wiederhergestellt" in status.text_content()
    screenshot(page, "live-reconnecting-mobile")

    missed = [unique("Verpasst A"), unique("Verpasst B")]
    for name in missed:
        api(ADMIN).create_workspace(name)
    time.sleep(0.8)
    for name in missed:
        assert rows_named(page, name).count() == 0, "the socket is down; nothing should arrive"

    page.evaluate("() => window.__roundtable.live.resumeForTest()")
    wait_connected(page)
    for name in missed:
        rows_named(page, name).first.wait_for(timeout=5_000)

    after = unique("Nach dem Wiederverbinden")
    api(ADMIN).create_workspace(after)
    rows_named(page, after).first.wait_for(timeout=5_000)
    time.sleep(1.0)
    for name in missed + [after]:
        assert rows_named(page, name).count() == 1, name
    ids = _all_row_ids(page)
    assert len(ids) == len(set(ids)), f"duplicate rows: {ids}"
    assert page.evaluate("() => window.__noReloadMarker") == "still-here", "the page was reloaded"
    assert "Verbunden" in status.text_content()
    assert probe.page_errors == []


def test_resume_after_network_outage(open_page, api):
    """The browser goes offline (socket dropped, reconnects fail), then online again."""
    page, probe = open_page(ADMIN, viewport="desktop")
    page.get_by_test_id("workspace-list").wait_for()
    wait_connected(page)
    page.evaluate("() => { window.__noReloadMarker = 'still-here'; }")

    page.context.set_offline(True)
    # Emulated offline mode does not always cut an open WebSocket; drop it as the network would.
    page.evaluate("() => window.__roundtable.live.dropForTest()")
    page.locator('[data-testid="connection-status"][data-state="reconnecting"]').wait_for()
    name = unique("Während der Funkstille")
    api(ADMIN).create_workspace(name)
    time.sleep(1.5)  # a few failed reconnect attempts
    assert rows_named(page, name).count() == 0
    page.context.set_offline(False)

    rows_named(page, name).first.wait_for(timeout=12_000)
    wait_connected(page)
    time.sleep(0.8)
    assert rows_named(page, name).count() == 1
    ids = _all_row_ids(page)
    assert len(ids) == len(set(ids))
    assert page.evaluate("() => window.__noReloadMarker") == "still-here"
    assert probe.page_errors == []


def test_updates_and_archiving_elsewhere_update_the_row(open_page, api):
    client = api(ADMIN)
    ws = client.create_workspace(unique("Wird umbenannt"))
    page, probe = open_page(ADMIN, viewport="desktop")
    rows_named(page, ws["name"]).first.wait_for()
    wait_connected(page)

    renamed = unique("Umbenannt")
    r = client.patch(f"/api/v1/workspaces/{ws['id']}", {"name": renamed}, headers={"If-Match": f'"v{ws["version"]}"'})
    assert r.status_code == 200, r.text
    rows_named(page, renamed).first.wait_for(timeout=5_000)
    assert rows_named(page, ws["name"]).count() == 0
    current = r.json()

    r = client.post(f"/api/v1/workspaces/{ws['id']}/archive", headers={"If-Match": f'"v{current["version"]}"'})
    assert r.status_code in (200, 204), r.text
    # Archived workspaces are hidden unless "show archived" is on.
    page.locator(f'[data-testid="workspace-row"][data-id="{ws["id"]}"]').wait_for(state="detached", timeout=5_000)
    page.get_by_label("Archivierte anzeigen").check()
    row = page.locator(f'[data-testid="workspace-row"][data-id="{ws["id"]}"]')
    row.wait_for()
    assert "Archiviert" in row.text_content()
    assert probe.page_errors == []
