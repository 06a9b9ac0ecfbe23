"""Hostile names render as text: no element, no script, no dialog."""
import time

from conftest import ADMIN, screenshot, wait_connected

PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def test_script_injection_in_name_renders_as_text(open_page, api):
    client = api(ADMIN)
    page, probe = open_page(ADMIN, viewport="desktop")
    page.get_by_test_id("workspace-list").wait_for()
    wait_connected(page)

    # One created while the page is open (live path) ...
    live_ws = client.create_workspace(PAYLOAD, description=f'Beschreibung {PAYLOAD} "quoted" \'single\'')
    row = page.locator(f'[data-testid="workspace-row"][data-id="{live_ws["id"]}"]')
    row.wait_for(timeout=5_000)
    time.sleep(0.5)

    assert row.get_by_role("link").text_content() == PAYLOAD
    lst = page.get_by_test_id("workspace-list")
    assert lst.locator("img").count() == 0
    assert lst.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert PAYLOAD in row.text_content()

    # ... and the snapshot path after a reload.
    page.reload()
    row = page.locator(f'[data-testid="workspace-row"][data-id="{live_ws["id"]}"]')
    row.wait_for()
    assert page.get_by_test_id("workspace-list").locator("img").count() == 0
    assert row.get_by_role("link").text_content() == PAYLOAD

    # The detail page too (heading, facts, edit form value).
    row.get_by_role("link").click()
    heading = page.locator("h1#page-title")
    heading.wait_for()
    page.wait_for_function("() => document.querySelector('#page-title')?.textContent.includes('<img')")
    assert heading.text_content() == PAYLOAD
    assert page.locator("main img, main script").count() == 0
    edit_name = page.locator("#edit-name")
    if edit_name.count():
        assert edit_name.input_value() == PAYLOAD
    assert PAYLOAD in page.title()
    time.sleep(0.5)
    assert probe.dialogs == [], probe.dialogs
    assert probe.page_errors == []
    assert probe.csp_violations(page) == []
    screenshot(page, "injection-detail-desktop")


def test_script_injection_in_panel_fields_renders_as_text(open_page, browser, hub, api):
    """Every panel field shown to others: texts, questions, options, scale labels, answers,
    section comments, pseudonym, hide reason and response. On the public pages (server
    HTML), the receipt page and the coordinator's and member's views (client HTML)."""
    import re

    import requests

    from conftest import COORDINATOR, MEMBER
    from panel_helpers import create_panel, queue

    p = PAYLOAD
    scale = [{"de": f"{p} {n}"} for n in range(1, 6)]
    panel = create_panel(api, title=f"Befragung {p}", moderation="pre", audience={"de": f"Alle {p}"}, summary={"de": f"Worum {p}"},
                         easyReadSummary={"de": f"Leicht {p}"}, offersEnglish=False,
                         questions=[{"prompt": {"de": f"Skala {p}"}, "kind": "scale", "labels": scale, "help": {"de": f"Hilfe {p}"}},
                                    {"prompt": {"de": f"Wahl {p}"}, "kind": "singleChoice",
                                     "options": [{"key": "a", "label": {"de": f"A {p}"}}, {"key": "b", "label": {"de": f"B {p}"}}]},
                                    {"prompt": {"de": f"Frei {p}"}, "kind": "freeText", "maxLength": 500}])
    q = panel["questions"]
    fields = [(f"q.{q[0]['id']}", "3"), (f"q.{q[1]['id']}", "a"), (f"q.{q[2]['id']}", f"Text {p}"), ("s.goals.rating", "2"),
              ("s.goals.comment", f"Kommentar {p}"), ("pseudonym", "<b>Mira</b>"), ("consent", "2026-1"), ("website", "")]
    r = requests.post(f"{hub.base_url}/p/{panel['id']}", data=fields, timeout=10)
    assert r.status_code == 200, r.text[:300]
    code = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", r.text).group(0)
    r2 = requests.post(f"{hub.base_url}/p/{panel['id']}", data=[(k, v + " zwei" if k == f"q.{q[2]['id']}" else v) for k, v in fields], timeout=10)
    assert r2.status_code == 200
    coordinator = api(COORDINATOR)
    first, second = queue(api, panel["id"])
    assert coordinator.post(f"/api/v1/panels/{panel['id']}/items/{first['id']}/approve", {}, headers={"If-Match": '"v1"'}).status_code == 200
    assert coordinator.post(f"/api/v1/panels/{panel['id']}/items/{second['id']}/hide", {"reason": f"Grund {p}"},
                            headers={"If-Match": '"v1"'}).status_code == 200
    resp = coordinator.http.put(coordinator.url(f"/api/v1/panels/{panel['id']}/items/{first['id']}/response"), json={"text": f"Antwort {p}"}, timeout=10)
    assert resp.status_code == 200, resp.text

    def clean(page, where):
        main = page.locator("main")
        assert main.locator("img:not(.panel-qr), script, b").count() == 0, where
        assert p in main.inner_text(), where

    # Server-rendered public pages, with scripts on (an injected script would run).
    context = browser.new_context(viewport={"width": 360, "height": 800}, base_url=hub.base_url)
    dialogs = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"/p/{panel['id']}")
    clean(page, "form")
    assert page.locator("#q-" + q[0]["id"] + "-0").count() == 1
    page.goto(f"/p/{panel['id']}/responses")
    clean(page, "responses")
    page.goto(f"/p/{panel['id']}/receipt")
    page.get_by_label("Beleg-Code").fill(code)
    page.get_by_role("button", name="Öffnen").click()
    clean(page, "receipt")
    assert page.locator("#pseudonym").input_value() == "<b>Mira</b>"
    screenshot(page, "injection-panel-receipt")
    context.close()

    # The coordinator's and the member's views.
    for user in (COORDINATOR, MEMBER):
        view, probe = open_page(user, viewport="desktop", path=f"/#/panels/{panel['id']}")
        view.get_by_test_id("panel-item").first.wait_for()
        clean(view, f"panel view {user[0]}")
        time.sleep(0.3)
        assert probe.dialogs == [] and probe.page_errors == [], (probe.dialogs, probe.page_errors)
    assert dialogs == []
