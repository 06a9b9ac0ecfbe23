"""Recurring meetings in the browser (issue 4): the planner's "Regelmäßige Sitzung" option (a
wrong weekday explained at the field), the series page with its occurrences, invitations, one
date cancelled by keyboard and one moved, the workspace's meetings page linking the series,
script in the series title shown as text, English complete, and axe-core on every new page state
at 360 and 1280 px."""
import datetime as dt

import pytest

from conftest import COORDINATOR, MEMBER, VIEWPORTS, focused, unique
from mt_helpers import BERLIN, template_id, user_id
from rec_helpers import PAYLOAD, assert_no_violations, no_script_elements, workspace_id


def next_tuesday(days_ahead: int = 10) -> dt.date:
    day = dt.datetime.now(BERLIN).date() + dt.timedelta(days=days_ahead)
    while day.isoweekday() != 2:
        day += dt.timedelta(days=1)
    return day


def occurrences(page) -> list[str]:
    return [x.get_attribute("data-rid") for x in page.get_by_test_id("ms-occurrence").all()]


def series_by_api(api, title: str, count: int = 6) -> dict:
    day = next_tuesday()
    body = {"templateId": template_id(api), "title": title, "start": f"{day}T17:00", "end": f"{day}T19:00",
            "rule": f"FREQ=WEEKLY;BYDAY=TU;COUNT={count}", "place": "Kreishaus, Raum 2",
            "invitees": [{"key": f"member:{user_id(api, MEMBER)}"}]}
    r = api(COORDINATOR).post(f"/api/v1/workspaces/{workspace_id(api)}/meeting-series", body)
    assert r.status_code == 201, r.text
    return r.json()


def open_series(open_page, series_id, user=COORDINATOR, viewport="desktop", lang=None):
    page, probe = open_page(user, viewport=viewport, path=f"/#/meeting-series/{series_id}", lang=lang, wait_ready=False)
    page.get_by_test_id("ms-rule").wait_for()
    return page, probe


def test_series_planned_in_the_ui_occurrence_cancelled_and_moved(open_page, api):
    title = unique("Jour fixe") + " " + PAYLOAD
    day = next_tuesday()
    page, _ = open_page(COORDINATOR, viewport="mobile", path=f"/#/workspaces/{workspace_id(api)}/meetings", wait_ready=False)
    page.get_by_role("heading", name="Neue Sitzung planen").wait_for()
    page.locator("#mt-plan-template option").nth(1).wait_for(state="attached")
    page.get_by_label("Vorlage").select_option(index=1)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Beginn (Uhrzeit in Berlin)").fill("17:00")
    page.get_by_label("Ende (Uhrzeit in Berlin)").fill("19:00")
    page.get_by_label("Ort").fill("Kreishaus, Sitzungsraum 2")

    # The option opens the recurrence fields (keyboard: Space on the checkbox).
    assert page.get_by_test_id("mt-rec").is_hidden()
    page.get_by_role("checkbox", name="Regelmäßige Sitzung").focus()
    page.keyboard.press("Space")
    page.get_by_test_id("mt-rec").wait_for()
    assert page.get_by_role("button", name="Sitzungsreihe planen").is_visible()
    assert_no_violations(page, "ms-planner-mobile")

    # A weekday that is not the first meeting's: explained at the field, nothing sent.
    page.locator("#mt-rec-day-WE").check()
    page.get_by_label("Anzahl der Termine").fill("6")
    page.get_by_role("button", name="Sitzungsreihe planen").click()
    page.locator(".error-summary").wait_for()
    assert "Der Wochentag des ersten Termins muss ausgewählt sein." in page.locator(".error-summary").text_content()
    assert page.locator("#mt-rec-day-MO-error").text_content() == "Der Wochentag des ersten Termins muss ausgewählt sein."
    assert_no_violations(page, "ms-planner-errors-mobile")
    page.locator("#mt-rec-day-WE").uncheck()
    page.locator("#mt-rec-day-TU").check()
    page.get_by_role("button", name="Sitzungsreihe planen").click()

    # The series page: six Tuesdays at 17:00, the rule in words, the title as text.
    page.get_by_test_id("ms-occurrences").wait_for()
    assert page.get_by_test_id("ms-rule").text_content().strip() == "wöchentlich am Dienstag, 6 Termine"
    expected = [f"{day + dt.timedelta(days=7 * i)}T17:00" for i in range(6)]
    assert occurrences(page) == expected
    assert page.locator("h1").text_content().strip() == title
    no_script_elements(page)
    series_id = page.url.split("/meeting-series/")[1]
    assert_no_violations(page, "ms-series-planned-mobile")
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert_no_violations(page, "ms-series-planned-desktop")
    page.set_viewport_size(VIEWPORTS["mobile"])

    page.get_by_role("button", name="Einladungen senden").click()
    page.get_by_test_id("ms-status").filter(has_text="eingeladen").wait_for()

    # Cancel the second date by keyboard only; focus returns to the list's heading.
    second = expected[1]
    page.locator(f'[data-rid="{second}"] [data-act="cancel"]').focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("ms-cancelled").wait_for()
    assert occurrences(page) == [x for x in expected if x != second]
    assert focused(page)["id"] == "ms-occ-title"
    assert_no_violations(page, "ms-series-cancelled-one-mobile")
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert_no_violations(page, "ms-series-cancelled-one-desktop")

    # Move the third date: the form opens with focus in it; Escape closes it, Enter on Move opens it again.
    third = expected[2]
    move = page.locator(f'[data-rid="{third}"] [data-act="move"]')
    move.focus()
    page.keyboard.press("Enter")
    page.locator("#ms-move-date").wait_for()
    assert focused(page)["id"] == "ms-move-date"
    assert_no_violations(page, "ms-series-move-form-desktop")
    page.keyboard.press("Escape")
    page.locator("#ms-move-date").wait_for(state="detached")
    assert focused(page)["text"].startswith("Verschieben")
    page.keyboard.press("Enter")
    page.set_viewport_size(VIEWPORTS["mobile"])
    assert_no_violations(page, "ms-series-move-form-mobile")
    wednesday = (dt.date.fromisoformat(third[:10]) + dt.timedelta(days=1)).isoformat()
    page.locator("#ms-move-date").fill(wednesday)
    page.locator("#ms-move-start").fill("18:00")
    page.locator("#ms-move-end").fill("20:00")
    page.locator("#ms-move-end").press("Enter")
    page.locator(f'[data-rid="{third}"]', has_text="verschoben").wait_for()
    assert_no_violations(page, "ms-series-moved-mobile")

    s = api(COORDINATOR).get(f"/api/v1/meeting-series/{series_id}").json()["series"]
    assert s["cancelledOccurrences"] == [second]
    assert s["moves"] == [{"recurrenceID": third, "start": f"{wednesday}T18:00", "end": f"{wednesday}T20:00"}]
    assert s["status"] == "invited" and s["sequence"] == 2

    # The workspace's meetings page links the series; the member reads it without the tools.
    page, _ = open_page(MEMBER, viewport="mobile", path=f"/#/workspaces/{workspace_id(api)}/meetings", wait_ready=False)
    link = page.get_by_test_id("mt-series-list").locator(f'[data-id="{series_id}"] a')
    link.wait_for()
    assert link.text_content().strip() == title
    no_script_elements(page)
    assert_no_violations(page, "ms-list-member-mobile")
    link.click()
    page.get_by_test_id("ms-occurrences").wait_for()
    assert page.locator('[data-act="cancel"]').count() == 0 and page.get_by_test_id("ms-invite").count() == 0
    no_script_elements(page)
    # The member answers for the whole series; the count follows.
    page.get_by_role("button", name="Zusage").click()
    page.get_by_test_id("ms-tally").filter(has_text="1 Zusagen").wait_for()
    assert page.locator("#ms-rsvp-accepted").get_attribute("aria-pressed") == "true"
    assert_no_violations(page, "ms-series-member-answered-mobile")
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert_no_violations(page, "ms-series-member-answered-desktop")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_series_page_states_in_english_and_cancelled(open_page, api, viewport):
    made = series_by_api(api, unique("Series a11y"))
    page, _ = open_series(open_page, made["id"], viewport=viewport, lang="en")
    page.get_by_role("heading", name="Next meetings").wait_for()
    assert page.get_by_test_id("ms-rule").text_content().strip() == "weekly on Tuesday, 6 meetings"
    assert page.get_by_role("button", name="Send the invitations").is_visible()
    assert_no_violations(page, f"ms-series-en-{viewport}")
    # Cancelling the whole series asks first; the answer is announced and the tools are gone.
    page.get_by_role("button", name="Cancel the whole series").click()
    page.get_by_role("button", name="Yes, cancel the series").wait_for()
    assert_no_violations(page, f"ms-series-confirm-{viewport}")
    page.get_by_role("button", name="Yes, cancel the series").click()
    page.get_by_test_id("ms-status").filter(has_text="cancelled").wait_for()
    assert page.locator('[data-act="cancel"]').count() == 0
    assert_no_violations(page, f"ms-series-cancelled-{viewport}")


def test_series_changed_in_the_ui_and_a_concurrent_change_is_not_overwritten(open_page, api):
    made = series_by_api(api, unique("Reihe ändern"))
    first = made["start"][:10]
    page, _ = open_series(open_page, made["id"], viewport="mobile")
    page.get_by_role("button", name="Reihe ändern").click()
    page.locator("#ms-edit").wait_for()
    assert focused(page)["id"] == "ms-edit-title"
    assert_no_violations(page, "ms-series-edit-mobile")
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert_no_violations(page, "ms-series-edit-desktop")
    # Every second Tuesday, 18:00 to 20:00.
    page.get_by_label("Abstand").fill("2")
    page.locator("#ms-edit-start").fill("18:00")
    page.locator("#ms-edit-end").fill("20:00")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.get_by_test_id("ms-rule").filter(has_text="alle 2 Wochen am Dienstag, 6 Termine").wait_for()
    day = dt.date.fromisoformat(first)
    assert occurrences(page) == [f"{day + dt.timedelta(days=14 * i)}T18:00" for i in range(6)]
    s = api(COORDINATOR).get(f"/api/v1/meeting-series/{made['id']}").json()["series"]
    assert s["rule"] == "FREQ=WEEKLY;INTERVAL=2;COUNT=6;BYDAY=TU" and s["start"] == f"{first}T18:00"

    # Someone else renames the series while the form is open: the save is refused, nothing is overwritten.
    page.get_by_role("button", name="Reihe ändern").click()
    page.locator("#ms-edit").wait_for()
    r = api(COORDINATOR).patch(f"/api/v1/meeting-series/{made['id']}", {"title": "Von anderer Seite"},
                               headers={"If-Match": f'"v{s["version"]}"'})
    assert r.status_code == 200, r.text
    # The live change is announced but leaves the open form alone.
    page.locator("#ms-error .notice", has_text="gerade geändert").wait_for()
    page.get_by_label("Abstand").fill("3")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.locator("#ms-error .notice", has_text="inzwischen geändert").wait_for()
    assert page.locator("h1").text_content().strip() == "Von anderer Seite"
    after = api(COORDINATOR).get(f"/api/v1/meeting-series/{made['id']}").json()["series"]
    assert after["rule"] == "FREQ=WEEKLY;INTERVAL=2;COUNT=6;BYDAY=TU", "the stale form did not overwrite the rule"
    assert_no_violations(page, "ms-series-conflict-desktop")


from test_meetings import mail_hub  # noqa: E402,F401  (the hub that mails to a local sink)


def test_series_answer_page_from_the_mail_link_without_signing_in(browser, mail_hub):  # noqa: F811
    import email
    import re
    import time

    from conftest import ApiClient
    base, sink = mail_hub
    coordinator = ApiClient(base, *COORDINATOR)
    api_local = lambda user=COORDINATOR: coordinator  # noqa: E731
    day = next_tuesday()
    body = {"templateId": template_id(api_local), "title": unique("Reihe per Link"), "start": f"{day}T17:00", "end": f"{day}T19:00",
            "rule": "FREQ=WEEKLY;BYDAY=TU;COUNT=4", "place": "Kreishaus",
            "invitees": [{"key": "guest:gast.reihe@example.org", "name": "Gast Reihe"}]}
    wid = next(w["id"] for w in coordinator.workspaces() if w["name"] == "Integration")
    r = coordinator.post(f"/api/v1/workspaces/{wid}/meeting-series", body)
    assert r.status_code == 201, r.text
    made = r.json()
    r = coordinator.post(f"/api/v1/meeting-series/{made['id']}/invite", None, headers={"If-Match": f'"v{made["version"]}"'})
    assert r.status_code == 200, r.text

    def links():
        out = []
        for m in sink.messages:
            for part in email.message_from_string(m).walk():
                if part.get_content_type() == "text/plain":
                    out += re.findall(r"#/series-rsvp/[A-Za-z0-9._~-]+/accepted", (part.get_payload(decode=True) or b"").decode("utf-8", "replace"))
        return out
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not links():
        time.sleep(0.2)
    assert links(), f"no series answer link in {len(sink.messages)} mails"

    for viewport in ("mobile", "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=base, locale="de-DE")
        page = context.new_page()
        page.goto("/" + links()[-1])
        page.get_by_test_id("srsvp-title").wait_for()
        assert page.get_by_test_id("srsvp-title").text_content() == body["title"]
        assert page.locator("#srsvp-accepted").evaluate("el => el === document.activeElement"), "the link's answer is focused, not sent"
        if viewport == "mobile":
            assert "noch nicht geantwortet" in page.get_by_test_id("srsvp-current").text_content()
            assert_no_violations(page, f"ms-rsvp-{viewport}")
            page.keyboard.press("Enter")
            page.get_by_test_id("srsvp-current").filter(has_text="Zusage").wait_for()
            assert page.locator("#srsvp-accepted").get_attribute("aria-pressed") == "true"
        else:
            # Opened again: the earlier answer is shown; the guest changes it.
            assert "Zusage" in page.get_by_test_id("srsvp-current").text_content()
            assert_no_violations(page, f"ms-rsvp-{viewport}")
            page.get_by_role("button", name="Vielleicht").click()
            page.get_by_test_id("srsvp-current").filter(has_text="Vielleicht").wait_for()
        assert_no_violations(page, f"ms-rsvp-answered-{viewport}")
        context.close()
    detail = coordinator.get(f"/api/v1/meeting-series/{made['id']}").json()
    assert detail["tally"]["tentative"] == 1 and detail["tally"]["accepted"] == 0 and detail["invitees"][0]["response"] == "tentative"
