"""Barcamps in the browser: a participant's proposal and interest reach the moderator live; the
moderator builds the grid by keyboard (place picker) and by the scheduler, publishes; axe on
every view and state; hostile titles and notes render as text."""
import time
import uuid
from datetime import datetime, timedelta, timezone

from conftest import COORDINATOR, MEMBER, screenshot, unique
from rec_helpers import MD_PAYLOAD, PAYLOAD, assert_no_violations, workspace_id


def create_barcamp(api, title, rooms=2, rounds=2, user=COORDINATOR):
    start = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    room_list = [{"id": str(uuid.uuid4()), "name": f"Raum {i + 1}", "capacity": 20} for i in range(rooms)]
    slots, t = [], start
    for i in range(rounds):
        slots.append({"id": str(uuid.uuid4()), "kind": "sessions", "title": f"Runde {i + 1}",
                      "startsAt": t.isoformat().replace("+00:00", "Z"), "endsAt": (t + timedelta(minutes=45)).isoformat().replace("+00:00", "Z")})
        t += timedelta(minutes=45)
        if i == 0:
            slots.append({"id": str(uuid.uuid4()), "kind": "pause", "title": "Kaffeepause",
                          "startsAt": t.isoformat().replace("+00:00", "Z"), "endsAt": (t + timedelta(minutes=15)).isoformat().replace("+00:00", "Z")})
            t += timedelta(minutes=15)
    r = api(user).post("/api/v1/barcamps", {"title": title, "workspaceId": workspace_id(api, user=user), "rooms": room_list, "slots": slots})
    assert r.status_code == 201, r.text
    return r.json()["barcamp"]


def propose(api, bid, title, user=MEMBER, description=""):
    r = api(user).post(f"/api/v1/barcamps/{bid}/sessions", {"title": title, "description": description})
    assert r.status_code == 201, r.text
    return next(s for s in r.json()["sessions"] if s["title"] == title)


def open_camp(open_page, bid, user, viewport="mobile", suffix=""):
    page, probe = open_page(user, viewport=viewport, path=f"/#/barcamps/{bid}{suffix}", wait_ready=False)
    page.get_by_test_id("bc-status").wait_for()
    return page, probe


def test_barcamp_live_keyboard_grid_and_axe(open_page, api):
    camp = create_barcamp(api, unique("Konferenz"))
    bid = camp["id"]
    listing, _ = open_page(COORDINATOR, viewport="mobile", path="/#/barcamps", wait_ready=False)
    listing.get_by_test_id("bc-list").wait_for()
    assert_no_violations(listing, "bc-list")

    moderator, _ = open_camp(open_page, bid, COORDINATOR, viewport="desktop")
    member, _ = open_camp(open_page, bid, MEMBER, viewport="mobile")
    assert_no_violations(moderator, "bc-empty-moderator")
    time.sleep(0.4)
    # The member proposes with the form; the moderator sees it live.
    member.get_by_label("Titel der Session").fill("Wohnen im Alter")
    member.get_by_role("button", name="Session vorschlagen").click()
    moderator.get_by_role("heading", name="Wohnen im Alter").wait_for(timeout=5_000)
    propose(api, bid, "Mobilität auf dem Land", user=COORDINATOR)
    member.get_by_role("heading", name="Mobilität auf dem Land").wait_for(timeout=5_000)
    # Interest by keyboard: a toggle button with aria-pressed; the count reaches the moderator.
    mark = member.get_by_role("button", name="Interesse an „Mobilität auf dem Land“ markieren")
    try:
        mark.wait_for(timeout=5_000)
    except Exception:
        screenshot(member, "bc-debug-member")
        raise
    mark.focus()
    member.keyboard.press("Enter")
    member.get_by_role("button", name="Interesse an „Mobilität auf dem Land“ markiert").wait_for()
    moderator.get_by_test_id("bc-session").filter(has_text="Mobilität auf dem Land").get_by_test_id("bc-interest").filter(has_text="1 Interessierte").wait_for(timeout=5_000)
    assert_no_violations(member, "bc-member")

    # The grid by keyboard: choose a place for a session.
    picker = moderator.get_by_label("Platz für „Wohnen im Alter“")
    picker.focus()
    picker.select_option(index=1)
    moderator.get_by_test_id("bc-grid").get_by_text("Wohnen im Alter").wait_for(timeout=5_000)
    # The scheduler proposes and the moderator applies and publishes.
    moderator.get_by_role("button", name="Planvorschlag berechnen").click()
    moderator.get_by_test_id("bc-proposal").wait_for()
    # The proposal is shown before it is applied: which session goes to which room and round.
    preview = moderator.get_by_test_id("bc-proposal-list")
    assert "Mobilität auf dem Land" in preview.text_content() and "Runde 1" in preview.text_content()
    assert_no_violations(moderator, "bc-proposal-preview")
    moderator.get_by_role("button", name="Vorschlag übernehmen").click()
    moderator.get_by_test_id("bc-grid").get_by_text("Mobilität auf dem Land").wait_for(timeout=5_000)
    assert_no_violations(moderator, "bc-grid-moderator")
    moderator.get_by_role("button", name="Plan veröffentlichen").click()
    member.get_by_test_id("bc-status").filter(has_text="Plan veröffentlicht").wait_for(timeout=5_000)
    member.get_by_test_id("bc-agenda-list").wait_for()
    assert_no_violations(member, "bc-published-member")
    projector, _ = open_camp(open_page, bid, COORDINATOR, viewport="desktop", suffix="/projector")
    assert_no_violations(projector, "bc-projector")
    screenshot(moderator, "bc-moderator")


def test_barcamp_guests_join_by_qr_link_and_the_documentation_is_a_pdf(open_page, api):
    camp = create_barcamp(api, unique("Werkstatt"))
    bid = camp["id"]
    moderator, _ = open_camp(open_page, bid, COORDINATOR, viewport="mobile")
    # The moderator allows guests with the checkbox (keyboard: Space); the invitation with its QR code appears.
    box = moderator.get_by_label("Gäste ohne Konto dürfen per Link teilnehmen")
    box.focus()
    moderator.keyboard.press("Space")
    invite = moderator.get_by_test_id("bc-invite")
    invite.wait_for(timeout=5_000)
    qr = invite.get_by_test_id("board-qr")
    qr.wait_for()
    moderator.wait_for_function("(img) => img.complete && img.naturalWidth > 100", arg=qr.element_handle())
    link = invite.get_by_test_id("board-join-link").inner_text()
    assert link.endswith(f"#/barcamps/{bid}/join"), link
    assert "QR-Code" in (qr.get_attribute("alt") or "")
    assert_no_violations(moderator, "bc-invite-moderator")
    projector, _ = open_camp(open_page, bid, COORDINATOR, viewport="desktop", suffix="/projector")
    projector.get_by_test_id("board-qr").wait_for()
    assert_no_violations(projector, "bc-projector-qr")

    # A guest on a phone: the join page, an empty name is refused, then the barcamp as guest.
    guest, _ = open_page(None, viewport="mobile", path=f"/#/barcamps/{bid}/join", wait_ready=False)
    guest.get_by_role("heading", name="Am Barcamp teilnehmen").wait_for()
    assert_no_violations(guest, "bc-join")
    guest.get_by_role("button", name="Teilnehmen").click()
    guest.get_by_role("alert").wait_for()
    assert_no_violations(guest, "bc-join-error")
    guest.get_by_label("Anzeigename").fill("Gast Jana")
    guest.get_by_role("button", name="Teilnehmen").click()
    guest.get_by_test_id("bc-status").wait_for()
    guest.get_by_label("Titel der Session").fill("Mehrsprachige Beratung")
    guest.get_by_role("button", name="Session vorschlagen").click()
    moderator.get_by_role("heading", name="Mehrsprachige Beratung").wait_for(timeout=5_000)
    assert_no_violations(guest, "bc-guest")

    # The documentation as PDF from the link on the page (German), and in English.
    href = moderator.get_by_role("link", name="Dokumentation (PDF)").get_attribute("href")
    pdf = api(COORDINATOR).get(href)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-1.4")
    assert b"(Barcamp-Dokumentation) Tj" in pdf.content
    english = api(COORDINATOR).get(href + "&lang=en")
    assert b"(Barcamp documentation) Tj" in english.content


def test_barcamp_hostile_texts(open_page, api):
    camp = create_barcamp(api, unique("Injektion"))
    bid = camp["id"]
    page, probe = open_camp(open_page, bid, COORDINATOR, viewport="desktop")
    time.sleep(0.3)
    session = propose(api, bid, PAYLOAD, description=MD_PAYLOAD)
    page.get_by_role("heading", name=PAYLOAD).wait_for(timeout=5_000)
    r = api(MEMBER).http.put(api(MEMBER).url(f"/api/v1/barcamps/{bid}/sessions/{session['id']}/notes"), json={"text": MD_PAYLOAD, "baseVersion": 0}, timeout=10)
    assert r.status_code == 200, r.text
    page.reload()
    page.get_by_role("heading", name=PAYLOAD).wait_for()
    main = page.locator("main")
    assert main.locator("img:not([data-testid=board-qr])").count() == 0 and main.locator("script").count() == 0
    assert main.locator('a[href^="javascript"]').count() == 0
    assert probe.dialogs == []
