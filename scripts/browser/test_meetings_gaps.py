"""Meetings, the smaller gaps of issue 4: deleting a meeting from its page (a confirmation step,
keyboard operable, axe at 360 px)."""
from __future__ import annotations

from conftest import COORDINATOR, MEMBER, focused, tab_until, unique, wait_connected
from mt_helpers import create_meeting
from rec_helpers import assert_no_violations


def open_overview(open_page, meeting_id, user=COORDINATOR, viewport="mobile"):
    page, probe = open_page(user, viewport=viewport, path=f"/#/meetings/{meeting_id}", wait_ready=False)
    page.get_by_test_id("mt-tab-overview").wait_for()
    page.locator("#mt-body .loading").wait_for(state="detached")
    return page, probe


def test_delete_meeting_with_confirmation_by_keyboard(open_page, api):
    m = create_meeting(api, unique("Zu löschen"))
    r = api(COORDINATOR).post(f"/api/v1/meetings/{m['id']}/invite", None, headers={"If-Match": '"v1"'})
    assert r.status_code == 200, r.text

    # Members see no delete button.
    page, _ = open_overview(open_page, m["id"], MEMBER)
    assert page.locator("#mt-delete").count() == 0

    page, _ = open_overview(open_page, m["id"])
    assert "Alle Eingeladenen erhalten eine Absage." in page.locator("#mt-delete-title").locator("..").inner_text()
    assert_no_violations(page, "mt-delete-offered-mobile")
    # By keyboard: reach the button, open the confirmation; focus moves to "Endgültig löschen".
    page.locator("#page-title").focus()
    tab_until(page, lambda f: f["id"] == "mt-delete", limit=200)
    page.keyboard.press("Enter")
    page.locator("#mt-delete-confirm-group").wait_for()
    assert focused(page)["id"] == "mt-delete-confirm"
    assert_no_violations(page, "mt-delete-confirm-mobile")
    # Escape keeps the meeting and gives focus back.
    page.keyboard.press("Escape")
    page.locator("#mt-delete-confirm-group").wait_for(state="detached")
    assert focused(page)["id"] == "mt-delete"
    page.keyboard.press("Enter")
    page.locator("#mt-delete-confirm-group").wait_for()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "mt-delete-cancel"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    # Deleted: back on the workspace's meetings with a message; the meeting is gone.
    page.wait_for_url("**/meetings", timeout=10_000)
    page.get_by_text("wurde gelöscht").first.wait_for()
    assert api(COORDINATOR).get(f"/api/v1/meetings/{m['id']}").status_code == 404
    assert_no_violations(page, "mt-delete-done-mobile")


def test_a_meeting_deleted_elsewhere_says_so(open_page, api):
    m = create_meeting(api, unique("Anderswo gelöscht"))
    page, _ = open_overview(open_page, m["id"], MEMBER, viewport="desktop")
    wait_connected(page)
    page.wait_for_timeout(1000)  # the page subscribes to meeting:<id> once it has loaded
    r = api(COORDINATOR).http.delete(api(COORDINATOR).url(f"/api/v1/meetings/{m['id']}"), headers={"If-Match": '"v1"'}, timeout=10)
    assert r.status_code == 204, r.text
    page.get_by_text("Diese Sitzung wurde gelöscht.").wait_for(timeout=10_000)
    assert_no_violations(page, "mt-deleted-elsewhere-desktop")
