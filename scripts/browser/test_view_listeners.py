"""One click, one request: every view gets a fresh container, so the listeners of views shown
earlier (a meeting's other tabs, a board visited before) never answer a click again. A
newcomer found "Einladung verschicken" sending four invitations after switching tabs."""
from conftest import COORDINATOR, unique
from lc_helpers import add_topic, create_board, open_board, phase
from mt_helpers import create_meeting
from test_meetings import open_meeting


def _count(page, method, fragment):
    seen = []
    page.on("request", lambda r: seen.append(r.url) if r.method == method and fragment in r.url else None)
    return seen


def test_meeting_tabs_visited_in_turn_then_one_click_sends_one_invitation(open_page, api):
    m = create_meeting(api, unique("Ein Klick"))
    page, _ = open_meeting(open_page, m["id"])
    for tab in ("live", "minutes", "overview", "live", "overview"):
        page.get_by_test_id(f"mt-tab-{tab}").click()
        page.wait_for_function(f"() => location.hash.endsWith('{m['id']}{'' if tab == 'overview' else '/' + tab}')")
        page.locator("#mt-body .loading").wait_for(state="detached")
    posts = _count(page, "POST", f"/api/v1/meetings/{m['id']}/invite")
    page.get_by_role("button", name="Einladung verschicken").click()
    page.get_by_text("eingeladen", exact=False).first.wait_for()
    page.wait_for_timeout(1000)
    assert len(posts) == 1, posts
    assert page.locator("#mt-error").text_content().strip() == "", "no error from a second request"


def test_a_board_visited_again_places_one_dot_per_click(open_page, api):
    board = create_board(api, unique("Wieder da"))["board"]
    topic = add_topic(api, board["id"], "Einmal zählen")
    phase(api, board["id"], "vote")
    page, _ = open_board(open_page, board["id"], COORDINATOR)
    for path in ("#/lean-coffee", f"#/lean-coffee/{board['id']}", "#/barcamps", f"#/lean-coffee/{board['id']}"):
        page.evaluate(f"location.hash = '{path}'")
        page.wait_for_function(f"() => location.hash === '{path}'")
    page.locator('[data-testid="lc-phase"]').wait_for()
    posts = _count(page, "POST", "/dots")
    page.get_by_role("button", name="Punkt geben für „Einmal zählen“").click()
    page.get_by_test_id("lc-dots-left").filter(has_text="2").wait_for()
    page.wait_for_timeout(800)
    assert len(posts) == 1, posts
