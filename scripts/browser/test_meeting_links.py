"""Agenda items link the focus group's recommendations and documents (issue 4, "linked
documents and recommendations"): picked in the item form by keyboard, shown under the item
to every reader, a `javascript:` address refused by the server with a clear error, hostile
titles shown as text; axe-core on the form and the result at 360 px."""
from conftest import MEMBER, screenshot, unique
from mt_helpers import add_item, agenda, create_meeting
from rec_helpers import PAYLOAD, assert_no_violations, create_recommendation, no_script_elements
from test_meetings import open_meeting


def test_agenda_item_links_recommendations_and_documents(open_page, api):
    rec = create_recommendation(api, unique("Schulsozialarbeit ausbauen"))
    rec_title = rec.get("profile", {}).get("title") or rec.get("title")
    m = create_meeting(api, unique("Mit Unterlagen"))
    add_item(api, m["id"], "Bericht Schulsozialarbeit")
    page, _ = open_meeting(open_page, m["id"], viewport="mobile")
    item = page.locator('[data-testid="mt-agenda-item"]', has_text="Bericht Schulsozialarbeit")
    item.get_by_role("button", name="Bearbeiten").click()
    form = item.locator("form")
    form.get_by_role("checkbox", name=rec_title).wait_for()
    assert_no_violations(page, "mt-item-links-form-mobile")
    screenshot(page, "mt-item-links-form-mobile")

    # A hostile address is refused with a clear error; nothing is saved, the entries stay.
    form.get_by_label("Titel der Unterlage 1").fill("Sitzungsvorlage")
    form.get_by_label("Adresse (https://…) der Unterlage 1").fill("javascript:alert(1)")
    form.get_by_role("button", name="Punkt speichern").click()
    page.locator("#mt-error [role=alert], #mt-error .notice").first.wait_for()
    assert form.get_by_label("Titel der Unterlage 1").input_value() == "Sitzungsvorlage"
    stored = next(x for x in agenda(api, m["id"])["items"] if x["title"] == "Bericht Schulsozialarbeit")
    assert stored["documents"] == []

    # By keyboard: tick the recommendation, give a real address and a hostile title, save.
    form.get_by_role("checkbox", name=rec_title).focus()
    page.keyboard.press("Space")
    form.get_by_label("Titel der Unterlage 1").fill(PAYLOAD)
    form.get_by_label("Adresse (https://…) der Unterlage 1").fill("https://kreis.example/vorlagen/2026-17.pdf")
    form.get_by_role("button", name="Punkt speichern").focus()
    page.keyboard.press("Enter")
    links = item.get_by_test_id("mt-item-links")
    links.wait_for()
    stored = next(x for x in agenda(api, m["id"])["items"] if x["title"] == "Bericht Schulsozialarbeit")
    assert stored["recommendationIds"] == [rec["id"]]
    assert stored["documents"] == [{"title": PAYLOAD, "url": "https://kreis.example/vorlagen/2026-17.pdf"}]
    assert links.get_by_role("link", name=rec_title).get_attribute("href") == f"#/recommendations/{rec['id']}"
    doc = links.get_by_role("link", name=PAYLOAD)
    assert doc.get_attribute("href") == "https://kreis.example/vorlagen/2026-17.pdf"
    assert doc.get_attribute("rel") == "noopener noreferrer"
    no_script_elements(page)
    assert_no_violations(page, "mt-item-links-shown-mobile")
    screenshot(page, "mt-item-links-shown-mobile")

    # A member (no edit rights) sees the same links.
    reader, _ = open_meeting(open_page, m["id"], user=MEMBER, viewport="mobile")
    shown = reader.locator('[data-testid="mt-agenda-item"]', has_text="Bericht Schulsozialarbeit").get_by_test_id("mt-item-links")
    shown.get_by_role("link", name=rec_title).wait_for()
    assert shown.get_by_role("link", name=PAYLOAD).count() == 1


def test_live_view_says_from_when_a_far_meeting_can_start(open_page, api):
    m = create_meeting(api, unique("Noch lange hin"))  # 14 days ahead
    page, _ = open_meeting(open_page, m["id"], tab="live", viewport="mobile")
    hint = page.get_by_test_id("mt-live-opens")
    hint.wait_for()
    assert "eine Stunde vor Beginn" in hint.text_content()
    assert page.get_by_role("button", name="Sitzung beginnen").count() == 0
    assert_no_violations(page, "mt-live-not-yet")
