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
