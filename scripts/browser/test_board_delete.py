"""Deleting a Lean Coffee board and a barcamp in the browser: only facilitators see the card;
the first button only asks, the confirmation deletes; keyboard only; axe-core on both states."""
from conftest import COORDINATOR, MEMBER, unique
from lc_helpers import create_board, open_board
from rec_helpers import assert_no_violations
from test_barcamp import create_barcamp, open_camp


def _delete_by_keyboard(page, prefix, start, confirm, list_path):
    card = page.get_by_test_id("board-delete")
    card.scroll_into_view_if_needed()
    assert_no_violations(page, f"{prefix}-delete-card")
    page.locator(f"#{prefix}-delete").focus()
    page.keyboard.press("Enter")
    page.locator(f"#{prefix}-delete-confirm").wait_for()
    assert page.evaluate("document.activeElement.id") == f"{prefix}-delete-confirm", "focus moves to the confirmation"
    assert_no_violations(page, f"{prefix}-delete-confirming")
    # Cancel brings focus back to the first button; nothing is deleted.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"{prefix}-delete-cancel"
    page.keyboard.press("Enter")
    page.locator(f"#{prefix}-delete").wait_for()
    assert page.evaluate("document.activeElement.id") == f"{prefix}-delete"
    page.keyboard.press("Enter")
    page.locator(f"#{prefix}-delete-confirm").wait_for()
    assert page.get_by_role("button", name=confirm).is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => location.hash === '{list_path}'")


def test_lean_coffee_board_deleted_by_its_facilitator_with_confirmation(open_page, api):
    board = create_board(api, unique("Weg damit"))["board"]
    member, _ = open_board(open_page, board["id"], MEMBER)
    assert member.get_by_test_id("board-delete").count() == 0, "participants get no delete card"
    lead, _ = open_board(open_page, board["id"], COORDINATOR, viewport="mobile")
    _delete_by_keyboard(lead, "lc", "Board löschen …", "Ja, Board löschen", "#/lean-coffee")
    assert api(COORDINATOR).get(f"/api/v1/lean-coffee/{board['id']}").status_code == 404
    lead.locator("#lc-list ul, #lc-list p:not(.loading)").first.wait_for()
    assert board["title"] not in lead.locator("main").text_content()


def test_barcamp_deleted_by_its_moderator_with_confirmation_in_english(open_page, api):
    camp = create_barcamp(api, unique("Altes Barcamp"))
    member, _ = open_camp(open_page, camp["id"], MEMBER)
    assert member.get_by_test_id("board-delete").count() == 0
    page, _ = open_page(COORDINATOR, viewport="desktop", path=f"/#/barcamps/{camp['id']}", lang="en", wait_ready=False)
    page.get_by_test_id("bc-status").wait_for()
    assert page.get_by_role("heading", name="Delete barcamp").is_visible()
    _delete_by_keyboard(page, "bc", "Delete barcamp …", "Yes, delete barcamp", "#/barcamps")
    assert api(COORDINATOR).get(f"/api/v1/barcamps/{camp['id']}").status_code == 404


def test_administrators_see_boards_of_every_workspace_sorted_choices(open_page, api):
    """Administrators have no memberships: their lists used to show standalone boards only."""
    from conftest import ADMIN
    board = create_board(api, unique("Für alle sichtbar"))["board"]
    camp = create_barcamp(api, unique("Camp für alle"))
    page, _ = open_page(ADMIN, viewport="mobile", path="/#/lean-coffee", wait_ready=False)
    page.get_by_role("link", name=board["title"]).wait_for()
    names = page.locator("#lc-new-workspace option").all_text_contents()[1:]
    german = lambda x: x.casefold().replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")
    assert len(names) > 1 and names == sorted(names, key=german), names
    page.evaluate("location.hash = '#/barcamps'")
    page.get_by_role("link", name=camp["title"]).wait_for()
