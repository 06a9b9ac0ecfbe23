"""Steps that cannot be undone ask first, in a modal dialog: closing a Lean Coffee, withdrawing
a topic, ending and cancelling a meeting, closing a feedback panel. Focus starts on "cancel",
Escape cancels, focus returns to the button; axe-core on the open dialog (newcomer
walkthrough: these acted on one tap)."""
from conftest import COORDINATOR, unique
from lc_helpers import add_topic, create_board, open_board
from mt_helpers import create_meeting, detail, live, soon
from panel_helpers import create_panel
from rec_helpers import assert_no_violations
from test_meetings import open_meeting


def _dialog(page, title):
    dialog = page.get_by_role("dialog", name=title)
    dialog.wait_for()
    assert page.evaluate("document.activeElement.id") == "confirm-dialog-no", "focus starts on the harmless choice"
    return dialog


def test_lean_coffee_close_and_withdraw_ask_first(open_page, api):
    board = create_board(api, unique("Erst fragen"))["board"]
    add_topic(api, board["id"], "Bleibt es?")
    page, _ = open_board(open_page, board["id"], COORDINATOR, viewport="mobile")
    close = page.get_by_role("button", name="Lean Coffee beenden")
    close.click()
    _dialog(page, "Lean Coffee beenden?")
    assert_no_violations(page, "confirm-dialog-lc-close")
    page.keyboard.press("Escape")
    page.get_by_role("dialog").wait_for(state="detached")
    assert page.evaluate("document.activeElement.textContent").strip() == "Lean Coffee beenden", "focus back on the button"
    assert api(COORDINATOR).get(f"/api/v1/lean-coffee/{board['id']}").json()["board"]["phase"] == "collect"

    page.locator("[data-withdraw]").first.click()
    dialog = _dialog(page, "Thema „Bleibt es?“ zurückziehen?")
    dialog.get_by_role("button", name="Ja, zurückziehen").click()
    page.get_by_role("heading", name="Bleibt es?").wait_for(state="detached")

    close.click()
    _dialog(page, "Lean Coffee beenden?").get_by_role("button", name="Ja, beenden").click()
    page.get_by_test_id("lc-phase").filter(has_text="Beendet").wait_for()
    assert api(COORDINATOR).get(f"/api/v1/lean-coffee/{board['id']}").json()["board"]["phase"] == "closed"


def test_meeting_end_and_cancel_ask_first(open_page, api):
    m = create_meeting(api, unique("Mit Rückfrage"), when=soon())
    live(api, m["id"], "start")
    page, _ = open_meeting(open_page, m["id"], tab="live", viewport="mobile")
    page.get_by_role("button", name="Sitzung beenden").click()
    _dialog(page, "Sitzung beenden?").get_by_role("button", name="Abbrechen").click()
    assert not api(COORDINATOR).get(f"/api/v1/meetings/{m['id']}/agenda").json()["live"].get("finishedAt")
    page.get_by_role("button", name="Sitzung beenden").click()
    _dialog(page, "Sitzung beenden?").get_by_role("button", name="Ja, beenden").click()
    page.wait_for_function(f"""async () => (await (await fetch('/api/v1/meetings/{m['id']}/agenda')).json()).live?.finishedAt""")

    other = create_meeting(api, unique("Absagen mit Rückfrage"))
    page, _ = open_meeting(open_page, other["id"], viewport="desktop")
    page.get_by_role("button", name="Sitzung absagen").click()
    _dialog(page, "Sitzung absagen?")
    assert_no_violations(page, "confirm-dialog-mt-cancel")
    page.keyboard.press("Escape")
    assert detail(api, other["id"])["meeting"]["status"] == "planned"
    page.get_by_role("button", name="Sitzung absagen").click()
    _dialog(page, "Sitzung absagen?").get_by_role("button", name="Ja, absagen").click()
    page.wait_for_function(f"""async () => (await (await fetch('/api/v1/meetings/{other['id']}')).json()).meeting.status === 'cancelled'""")


def test_closing_a_panel_asks_first(open_page, api):
    panel = create_panel(api, title=unique("Schließen?"))
    page, _ = open_page(COORDINATOR, viewport="mobile", path=f"/#/panels/{panel['id']}", wait_ready=False)
    page.get_by_role("button", name="Befragung beenden").click()
    _dialog(page, "Befragung beenden?").get_by_role("button", name="Abbrechen").click()
    assert api(COORDINATOR).get(f"/api/v1/panels/{panel['id']}").json()["status"] == "open"
    page.get_by_role("button", name="Befragung beenden").click()
    _dialog(page, "Befragung beenden?").get_by_role("button", name="Ja, beenden").click()
    page.get_by_test_id("panel-phase").filter(has_text="Beendet").wait_for()
