"""Comments and suggestions in the recommendation editor: per section the open ones with
a count at the heading, commenting by keyboard alone, suggestions as a word diff that the
coordinator accepts or rejects, resolving, live updates, hostile text rendered inert, and
axe-core at 360 and 1280 px."""
import time

import pytest

from conftest import COORDINATOR, MEMBER, focused, tab_until, unique, wait_connected
from rec_helpers import MD_PAYLOAD, PAYLOAD, assert_no_violations, create_recommendation, current, no_script_elements, save_sections

VIEWPORTS = ["mobile", "desktop"]


def post_comment(api, rec, user=MEMBER, **body):
    latest = current(api, rec["id"], user=user)["recommendation"]
    r = api(user).post(f"/api/v1/recommendations/{rec['id']}/comments", {"baseRevision": latest["revision"], **body})
    assert r.status_code == 201, r.text
    return r.json()


def open_editor(open_page, rec, user, viewport):
    page, probe = open_page(user, viewport=viewport, path=f"/#/recommendations/{rec['id']}")
    page.get_by_test_id("comment-box-goals").wait_for()
    wait_connected(page)
    return page, probe


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_comment_states_have_no_violations(open_page, api, viewport):
    rec = create_recommendation(api, unique("Kommentare a11y"), goals="Die Kinder lernen früh Deutsch.")
    post_comment(api, rec, section="goals", body="Bitte **konkreter** fassen.")
    post_comment(api, rec, section="goals", body="Klarer so.", suggestion="Alle Kinder lernen sehr früh Deutsch.")
    page, probe = open_editor(open_page, rec, COORDINATOR, viewport)
    page.get_by_test_id("comment-count-goals").wait_for()
    assert page.get_by_test_id("comment-count-goals").text_content() == "2 offen"
    diff = page.get_by_test_id("suggestion-text")
    assert diff.locator("ins").count() >= 1 and diff.locator("del").count() >= 1
    assert_no_violations(page, f"comments-coordinator-{viewport}")
    page.get_by_role("button", name="Änderung vorschlagen (Maßnahmen)").click()
    page.locator("#csug-measures-text").wait_for()
    page.locator("#cform-measures-submit").click()
    page.locator("#cform-measures-body-error:not([hidden])").wait_for()
    assert_no_violations(page, f"comments-suggest-form-error-{viewport}")
    assert probe.page_errors == []


def test_commenting_by_keyboard_alone_and_live(open_page, api):
    rec = create_recommendation(api, unique("Kommentar Tastatur"), goals="Ziele.")
    page, probe = open_editor(open_page, rec, MEMBER, "mobile")
    lead, probe2 = open_editor(open_page, rec, COORDINATOR, "desktop")
    page.locator("#sec-goals-input").focus()
    tab_until(page, lambda f: f["id"] == "cform-goals-body", limit=20)
    page.keyboard.type("Mit **Zahlen** bitte.")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "cform-goals-submit"
    page.keyboard.press("Enter")
    item = page.get_by_test_id("comments-goals").get_by_test_id("comment")
    item.wait_for()
    assert item.locator("strong", has_text="Zahlen").count() == 1
    assert page.locator("#cform-goals-body").input_value() == ""
    # The author resolves it by keyboard; the coordinator saw it arrive live meanwhile.
    lead.get_by_test_id("comments-goals").get_by_test_id("comment").wait_for()
    assert lead.get_by_test_id("comment-count-goals").text_content() == "1 offen"
    page.locator("#cform-goals-body").focus()
    tab_until(page, lambda f: f["text"].startswith("Als erledigt markieren"), key="Shift+Tab", limit=10)
    page.keyboard.press("Enter")
    page.get_by_test_id("comments-goals").wait_for(state="detached")
    lead.get_by_test_id("comments-goals").wait_for(state="detached")
    assert lead.get_by_test_id("comment-count-goals").count() == 0
    assert probe.page_errors == [] and probe2.page_errors == []


def test_suggestion_is_accepted_and_another_rejected(open_page, api):
    rec = create_recommendation(api, unique("Vorschlag"), goals="Die Kinder lernen früh Deutsch.", timeline="2027")
    page, probe = open_editor(open_page, rec, MEMBER, "desktop")
    page.get_by_role("button", name="Änderung vorschlagen (Ziele)").click()
    text = page.locator("#csug-goals-text")
    assert text.input_value() == "Die Kinder lernen früh Deutsch."
    text.fill("Alle Kinder lernen sehr früh Deutsch.")
    page.get_by_role("button", name="Vorschlag senden").click()
    page.get_by_test_id("suggestion-text").wait_for()
    assert page.get_by_role("button", name="Übernehmen").count() == 0, "members do not decide"
    post_comment(api, rec, section="timeline", body="Zu spät.", suggestion="2026")

    lead, probe2 = open_editor(open_page, rec, COORDINATOR, "desktop")
    lead.get_by_test_id("comments-goals").get_by_role("button", name="Übernehmen").click()
    lead.wait_for_function("() => document.querySelector('#sec-goals-input').value === 'Alle Kinder lernen sehr früh Deutsch.'")
    page.wait_for_function("() => document.querySelector('#sec-goals-input').value === 'Alle Kinder lernen sehr früh Deutsch.'")
    lead.get_by_test_id("comments-timeline").get_by_role("button", name="Ablehnen").click()
    lead.get_by_test_id("comments-timeline").wait_for(state="detached")
    assert lead.locator("#sec-timeline-input").input_value() == "2027"
    states = {c["section"]: c["state"] for c in api(COORDINATOR).get(f"/api/v1/recommendations/{rec['id']}/comments").json()["items"]}
    assert states == {"goals": "accepted", "timeline": "rejected"}
    assert probe.page_errors == [] and probe2.page_errors == []


def test_outdated_suggestion_is_explained(open_page, api):
    rec = create_recommendation(api, unique("Veraltet"), goals="Erste Fassung.")
    post_comment(api, rec, section="goals", body="", suggestion="Vorgeschlagene Fassung.")
    save_sections(api, current(api, rec["id"])["recommendation"], goals="Zwischenzeitlich geändert.")
    lead, probe = open_editor(open_page, rec, COORDINATOR, "mobile")
    lead.get_by_test_id("comments-goals").get_by_role("button", name="Übernehmen").click()
    lead.get_by_test_id("comment-box-goals").get_by_role("alert").wait_for()
    assert "geändert" in lead.get_by_test_id("comment-box-goals").get_by_role("alert").text_content()
    assert probe.page_errors == []


def test_hostile_comment_and_suggestion_render_inert(open_page, api):
    rec = create_recommendation(api, unique("Kommentar Injektion"), goals="Ziele.")
    page, probe = open_editor(open_page, rec, COORDINATOR, "desktop")
    post_comment(api, rec, section="goals", body=MD_PAYLOAD)
    post_comment(api, rec, section="goals", body=PAYLOAD, suggestion=PAYLOAD)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=comments-goals] [data-testid=comment]').length === 2")
    box = page.get_by_test_id("comments-goals")
    assert PAYLOAD in box.text_content()
    assert box.locator("strong", has_text="fett").count() == 1
    no_script_elements(page, "[data-testid=comments-goals]")
    page.reload()
    page.get_by_test_id("comments-goals").wait_for()
    no_script_elements(page, "[data-testid=comments-goals]")
    time.sleep(0.3)
    assert probe.dialogs == [] and probe.page_errors == [] and probe.csp_violations(page) == []
