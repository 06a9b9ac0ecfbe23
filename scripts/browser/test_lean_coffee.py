"""Lean Coffee in the browser: two people (and a guest) see each other's topics and dots live;
axe-core on every view and state; keyboard only; hostile texts render as text."""
import time

from conftest import ADMIN, COORDINATOR, MEMBER, screenshot, unique
from lc_helpers import add_topic, create_board, dot, join_as_guest, open_board, phase, takeaway
from rec_helpers import MD_PAYLOAD, PAYLOAD, assert_no_violations

OBSERVER_NOTE = "Als Beobachtung"


def dots_of(page, title):
    card = page.locator('[data-testid="lc-topic"]').filter(has=page.get_by_role("heading", name=title, exact=True))
    return card.get_by_test_id("lc-dots")


def test_two_people_and_a_guest_see_each_other_live(open_page, api):
    board = create_board(api, unique("Live-Board"))["board"]
    coordinator, _ = open_board(open_page, board["id"], COORDINATOR, viewport="desktop")
    member, _ = open_board(open_page, board["id"], MEMBER, viewport="mobile")
    time.sleep(0.5)  # both subscribed

    # The member proposes a topic with the form; the facilitator sees it without reloading.
    member.get_by_label("Thema", exact=True).fill("Busanbindung der Dörfer")
    member.get_by_role("button", name="Thema hinzufügen").click()
    coordinator.get_by_role("heading", name="Busanbindung der Dörfer").wait_for(timeout=5_000)
    coordinator.get_by_label("Thema", exact=True).fill("Wohnen im Alter")
    coordinator.get_by_role("button", name="Thema hinzufügen").click()
    member.get_by_role("heading", name="Wohnen im Alter").wait_for(timeout=5_000)

    # A guest joins by the link with a display name and sees both topics.
    guest, _ = join_as_guest(open_page, board["id"], "Gast Erika")
    guest.get_by_role("heading", name="Wohnen im Alter").wait_for()
    assert "Gast Erika" in guest.locator("main").text_content()

    # The facilitator opens the vote by the button; everyone gets the dot buttons live.
    coordinator.get_by_role("button", name="Abstimmung starten").click()
    member.get_by_role("button", name="Punkt geben für „Busanbindung der Dörfer“").wait_for(timeout=5_000)
    guest.get_by_role("button", name="Punkt geben für „Busanbindung der Dörfer“").wait_for(timeout=5_000)

    member.get_by_role("button", name="Punkt geben für „Busanbindung der Dörfer“").click()
    guest.get_by_role("button", name="Punkt geben für „Busanbindung der Dörfer“").click()
    member.get_by_test_id("lc-dots-left").filter(has_text="2").wait_for()
    for page in (coordinator, member, guest):
        dots_of(page, "Busanbindung der Dörfer").filter(has_text="2 Punkte").wait_for(timeout=5_000)
    guest.get_by_role("button", name="Punkt zurücknehmen von „Busanbindung der Dörfer“").click()
    for page in (coordinator, member, guest):
        dots_of(page, "Busanbindung der Dörfer").filter(has_text="1 Punkt").wait_for(timeout=5_000)

    # Discussion: the most-voted topic first, with a countdown to its stored end time.
    coordinator.get_by_role("button", name="Diskussion starten").click()
    current = member.get_by_test_id("lc-current")
    current.wait_for(timeout=5_000)
    assert "Busanbindung der Dörfer" in current.text_content()
    member.wait_for_function("() => /\\d:\\d\\d/.test(document.querySelector('#lc-countdown')?.textContent ?? '')")
    # A takeaway by the member reaches the projector view.
    projector, _ = open_board(open_page, board["id"], COORDINATOR, viewport="desktop", suffix="/projector")
    member.get_by_label("Ergebnis festhalten").fill("Rufbus ab 2027 prüfen")
    member.get_by_role("button", name="Ergebnis speichern").click()
    coordinator.get_by_text("Rufbus ab 2027 prüfen").wait_for(timeout=5_000)
    assert "Busanbindung der Dörfer" in projector.get_by_test_id("lc-current").text_content()
    screenshot(member, "lc-member-discuss-mobile")
    screenshot(projector, "lc-projector")


def test_axe_on_every_view_and_state(open_page, api):
    board = create_board(api, unique("A11y-Board"))["board"]
    bid = board["id"]
    page, _ = open_page(COORDINATOR, viewport="mobile", path="/#/lean-coffee", wait_ready=False)
    page.get_by_role("heading", name="Lean Coffee starten").wait_for()
    page.locator('[data-testid="lc-boards"]').wait_for()
    assert_no_violations(page, "lc-list")

    # Collect, empty and with topics, as facilitator (mobile and desktop) and as member.
    lead, _ = open_board(open_page, bid, COORDINATOR)
    assert_no_violations(lead, "lc-collect-empty")
    first = add_topic(api, bid, "Schulwege sicher machen", description="**Warum:** viele Eltern fahren.")
    add_topic(api, bid, "Pflege daheim", user=MEMBER)
    lead.get_by_role("heading", name="Pflege daheim").wait_for()
    assert_no_violations(lead, "lc-collect-lead")
    member, _ = open_board(open_page, bid, MEMBER, viewport="desktop")
    assert_no_violations(member, "lc-collect-member")
    observer, _ = open_board(open_page, bid, ADMIN, viewport="mobile")
    assert_no_violations(observer, "lc-collect-admin")

    # Guest join page and the guest's board.
    join, _ = open_page(None, viewport="mobile", path=f"/#/lean-coffee/{bid}/join", wait_ready=False)
    join.get_by_label("Anzeigename").wait_for()
    assert_no_violations(join, "lc-join")
    join.get_by_role("button", name="Teilnehmen").click()
    join.get_by_role("alert").wait_for()
    assert_no_violations(join, "lc-join-error")
    guest, _ = join_as_guest(open_page, bid, "Gast Axe")
    assert_no_violations(guest, "lc-guest-collect")

    # Vote (visible dots), with my dots.
    phase(api, bid, "vote")
    dot(api, bid, first["id"], user=MEMBER)
    member.reload()
    member.get_by_test_id("lc-dots-left").wait_for()
    assert_no_violations(member, "lc-vote-member")
    lead.get_by_role("button", name="Diskussion starten").wait_for()
    assert_no_violations(lead, "lc-vote-lead")

    # Discussion with a takeaway, the projector view, then closed.
    phase(api, bid, "discuss")
    takeaway(api, bid, first["id"], "Elternbrief im Mai", user=MEMBER)
    lead.get_by_text("Elternbrief im Mai").wait_for()
    assert_no_violations(lead, "lc-discuss-lead")
    member.get_by_text("Elternbrief im Mai").wait_for()
    assert_no_violations(member, "lc-discuss-member")
    projector, _ = open_board(open_page, bid, COORDINATOR, viewport="desktop", suffix="/projector")
    assert_no_violations(projector, "lc-projector")
    phase(api, bid, "closed")
    lead.get_by_test_id("lc-phase").filter(has_text="Beendet").wait_for()
    assert_no_violations(lead, "lc-closed")

    # Hidden votes, and English.
    hidden = create_board(api, unique("Verdeckt"), votesHidden=True)["board"]
    add_topic(api, hidden["id"], "Ehrenamt stärken")
    phase(api, hidden["id"], "vote")
    en, _ = open_board(open_page, hidden["id"], COORDINATOR, lang="en")
    en.get_by_role("button", name="Reveal the dots").wait_for()
    assert_no_violations(en, "lc-hidden-en")


def test_keyboard_only(open_page, api):
    board = create_board(api, unique("Tastatur"))["board"]
    add_topic(api, board["id"], "Barrierefreie Haltestellen")
    phase(api, board["id"], "vote")
    page, _ = open_board(open_page, board["id"], MEMBER, viewport="desktop")
    button = page.get_by_role("button", name="Punkt geben für „Barrierefreie Haltestellen“")
    button.wait_for()
    # Tab until the dot button has focus, then press Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.getAttribute('aria-label')") == "Punkt geben für „Barrierefreie Haltestellen“":
            break
    else:
        raise AssertionError("the dot button is not reachable by Tab")
    page.keyboard.press("Enter")
    page.get_by_test_id("lc-dots-left").filter(has_text="2").wait_for()
    page.keyboard.press("Space")
    page.get_by_test_id("lc-dots-left").filter(has_text="1").wait_for()
    assert "2 Punkte" in dots_of(page, "Barrierefreie Haltestellen").text_content()
    # The announcement says what happened.
    page.wait_for_function("() => (document.querySelector('#announcer')?.textContent ?? '').length > 0")


def test_hostile_texts_render_as_text(open_page, api):
    board = create_board(api, unique("Injektion"))["board"]
    bid = board["id"]
    lead, probe = open_board(open_page, bid, COORDINATOR, viewport="desktop")
    time.sleep(0.3)
    # Topic title and description (Markdown) arrive live, a guest's name with the guest's topic.
    topic = add_topic(api, bid, PAYLOAD, user=MEMBER, description=MD_PAYLOAD)
    guest, guest_probe = join_as_guest(open_page, bid, PAYLOAD[:60])
    guest.get_by_label("Thema", exact=True).fill("Vom Gast")
    guest.get_by_role("button", name="Thema hinzufügen").click()
    lead.get_by_role("heading", name="Vom Gast").wait_for(timeout=5_000)
    lead.get_by_role("heading", name=PAYLOAD).wait_for(timeout=5_000)
    phase(api, bid, "vote")
    phase(api, bid, "discuss")
    takeaway(api, bid, topic["id"], MD_PAYLOAD, user=MEMBER)
    lead.get_by_test_id("lc-takeaway").first.wait_for(timeout=5_000)
    time.sleep(0.5)
    for page, p in ((lead, probe), (guest, guest_probe)):
        main = page.locator("main")
        assert main.locator("img:not([data-testid=board-qr])").count() == 0
        assert main.locator("script").count() == 0
        assert main.locator('a[href^="javascript"]').count() == 0
        assert main.locator("b[onmouseover]").count() == 0
        assert p.dialogs == []
    assert PAYLOAD[:60] in lead.locator("main").text_content(), "the guest's name shows as text"
    lead.reload()
    lead.get_by_test_id("lc-takeaway").first.wait_for()
    assert lead.locator("main img:not([data-testid=board-qr]), main script").count() == 0
    assert probe.dialogs == []
    screenshot(lead, "lc-injection")
