"""Feedback panels in a real browser.

The citizen part runs with JavaScript DISABLED on a phone viewport (360 px): open the link,
read the plain-language and Leichte-Sprache summaries, fail validation (422 with an error
summary), consent, answer, get the receipt, later open it with the code, change the answer,
read the response, and read the public responses page. Every page state passes axe-core
(the same HTML is checked in a second, script-enabled context because axe is a script).
"""
from __future__ import annotations

import re

import pytest

from conftest import COORDINATOR, MEMBER, VIEWPORTS, screenshot
from panel_helpers import create_panel, queue
from rec_helpers import assert_no_violations

CODE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}")


@pytest.fixture
def citizen(browser, hub):
    """A phone without JavaScript, and a second context (with scripts) to run axe on the same HTML."""
    plain = browser.new_context(viewport=VIEWPORTS["mobile"], base_url=hub.base_url, locale="de-DE", java_script_enabled=False)
    checker = browser.new_context(viewport={"width": 320, "height": 800}, base_url=hub.base_url, locale="de-DE")
    yield plain.new_page(), checker.new_page()
    plain.close()
    checker.close()


def check(checker, html: str, url: str, name: str):
    """axe-core on exactly the HTML the script-less phone got, at 320 px; and no sideways scrolling."""
    checker.goto(url)
    checker.set_content(html)
    checker.wait_for_load_state("load")
    assert_no_violations(checker, f"panel-{name}")
    overflow = checker.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: {overflow} px of horizontal scrolling at 320 px"


def test_citizen_flow_without_javascript(citizen, hub, api):
    phone, checker = citizen
    panel = create_panel(api)
    url = f"/p/{panel['id']}"

    phone.goto(url)
    assert phone.evaluate if True else None  # the page object is usable with scripts off
    assert phone.locator("h1").inner_text() == "Ihre Meinung zu den Ämterlotsen"
    phone.get_by_text("In Leichter Sprache").click()
    assert phone.get_by_text("Ein Lotse hilft Ihnen beim Amt.").is_visible()
    screenshot(phone, "panel-form-phone")
    check(checker, phone.content(), url, "form")

    # Send without consent and without the required scale: 422, summary, answers kept.
    phone.get_by_label("Was sollen wir noch wissen?").fill("Bitte auch Termine am Samstag.")
    phone.get_by_role("button", name="Rückmeldung absenden").click()
    summary = phone.locator(".error-summary")
    assert summary.is_visible()
    assert "Einwilligung" in summary.inner_text() and "Wie hilfreich" in summary.inner_text()
    assert phone.get_by_label("Was sollen wir noch wissen?").input_value() == "Bitte auch Termine am Samstag."
    screenshot(phone, "panel-errors-phone")
    check(checker, phone.content(), url, "errors")
    # The summary's links lead to the fields.
    summary.get_by_role("link").first.click()

    phone.get_by_label("4 – ziemlich").check()
    phone.get_by_label("Jobcenter").check()
    phone.get_by_label("Wohngeldstelle").check()
    phone.locator("#s-goals-rating-4").check()
    phone.get_by_label("Ihr Kommentar (freiwillig)").fill("Gute Ziele, aber wer bezahlt das?")
    phone.get_by_label("Wie sollen wir Sie nennen?", exact=False).fill("Mira")
    phone.get_by_label("Ich habe das gelesen und bin einverstanden.").check()
    phone.get_by_role("button", name="Rückmeldung absenden").click()
    assert phone.locator("h1").inner_text() == "Vielen Dank für Ihre Rückmeldung!"
    assert "/p/" in phone.url and "receipt" not in phone.url and "?" not in phone.url
    code = CODE.search(phone.locator(".receipt-code").inner_text()).group(0)
    screenshot(phone, "panel-receipt-phone")
    check(checker, phone.content(), url, "thanks")

    # The group moderates and answers.
    coordinator = api(COORDINATOR)
    item = queue(api, panel["id"])[0]
    r = coordinator.post(f"/api/v1/panels/{panel['id']}/items/{item['id']}/approve", {}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200, r.text
    r = coordinator.http.put(coordinator.url(f"/api/v1/panels/{panel['id']}/items/{item['id']}/response"),
                             json={"text": "Wir klären die Finanzierung mit dem Jobcenter.", "changedRevision": 2}, timeout=10)
    assert r.status_code == 200, r.text

    # Later: open the receipt with the code (typed in lower case, without hyphens).
    phone.goto(f"{url}/receipt")
    check(checker, phone.content(), f"{url}/receipt", "receipt-entry")
    phone.get_by_label("Beleg-Code").fill(code.replace("-", "").lower())
    phone.get_by_role("button", name="Öffnen").click()
    assert "Wir klären die Finanzierung mit dem Jobcenter." in phone.locator("main").inner_text()
    assert code not in phone.url
    screenshot(phone, "panel-mine-phone")
    check(checker, phone.content(), url, "mine")

    phone.locator("#q-" + panel["questions"][2]["id"] + "-0").fill("Und bitte auch abends.")
    phone.get_by_role("button", name="Änderungen speichern").click()
    assert phone.get_by_text("Ihre Änderungen sind gespeichert.").is_visible()
    check(checker, phone.content(), url, "changed")

    # A wrong code: a clear message, the form again.
    phone.goto(f"{url}/receipt")
    phone.get_by_label("Beleg-Code").fill("AAAAA-AAAAA-AAAAA-AAAAA")
    phone.get_by_role("button", name="Öffnen").click()
    assert phone.locator(".error-summary").is_visible()
    check(checker, phone.content(), url, "receipt-not-found")

    # Approve the changed version, then the public page quotes it (never the name).
    item = queue(api, panel["id"])[0]
    coordinator.post(f"/api/v1/panels/{panel['id']}/items/{item['id']}/approve", {}, headers={"If-Match": f'"v{item["version"]}"'})
    phone.goto(f"{url}/responses")
    text = phone.locator("main").inner_text()
    assert "Und bitte auch abends." in text and "Wir klären die Finanzierung" in text and "Mira" not in text
    screenshot(phone, "panel-responses-phone")
    check(checker, phone.content(), f"{url}/responses", "responses")

    # English, then withdrawal.
    phone.goto(f"{url}?lang=en")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("h1").inner_text() == "Your view on the office guides"
    check(checker, phone.content(), f"{url}?lang=en", "form-en")
    phone.goto(f"{url}/receipt")
    phone.get_by_label("Beleg-Code").fill(code)
    phone.get_by_role("button", name="Öffnen").click()
    # Withdrawing asks first: the browser refuses the form until the box is ticked (no JavaScript needed).
    phone.get_by_role("button", name="Rückmeldung zurückziehen").click()
    assert phone.get_by_label("Ja, ich möchte meine Rückmeldung endgültig zurückziehen.").evaluate("el => !el.validity.valid")
    check(checker, phone.content(), f"{url}/receipt", "withdraw-confirm")
    phone.get_by_label("Ja, ich möchte meine Rückmeldung endgültig zurückziehen.").check()
    phone.get_by_role("button", name="Rückmeldung zurückziehen").click()
    assert phone.get_by_text("Ihre Rückmeldung ist zurückgezogen und gelöscht.").is_visible()
    check(checker, phone.content(), url, "withdrawn")


def test_closed_and_unknown_panel_pages(citizen, hub, api):
    phone, checker = citizen
    panel = create_panel(api, title="Befragung, die endet")
    coordinator = api(COORDINATOR)
    r = coordinator.post(f"/api/v1/panels/{panel['id']}/close", headers={"If-Match": f'"v{panel["version"]}"'})
    assert r.status_code == 200, r.text
    phone.goto(f"/p/{panel['id']}")
    assert "beendet" in phone.locator(".phase").inner_text()
    assert phone.locator("form[method=post]").count() == 0
    check(checker, phone.content(), f"/p/{panel['id']}", "closed")
    response = phone.goto("/p/00000000-0000-4000-8000-000000000000")
    assert response.status == 404
    check(checker, phone.content(), "/p/00000000-0000-4000-8000-000000000000", "not-found")


def _submit(hub, panel, scale="4", text="Bitte auch samstags."):
    import requests
    q = panel["questions"]
    fields = [(f"q.{q[0]['id']}", scale), (f"q.{q[2]['id']}", text), ("consent", panel["consentVersion"]), ("website", "")]
    r = requests.post(f"{hub.base_url}/p/{panel['id']}", data=fields, timeout=10)
    assert r.status_code == 200, r.text[:500]
    return r


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_coordinator_sets_up_moderates_and_sees_live_results(open_page, hub, api, viewport):
    from rec_helpers import create_recommendation
    rec = create_recommendation(api, "Mehr Sprechzeiten im Bürgerbüro", goals="Kürzere Wege.")
    page, probe = open_page(user=COORDINATOR, viewport=viewport, path=f"/#/recommendations/{rec['id']}/panels")
    page.get_by_role("heading", name="Neue Befragung einrichten").wait_for()
    assert_no_violations(page, f"panel-setup-{viewport}")
    page.get_by_label("Titel (Deutsch)").fill("Sprechzeiten – Ihre Meinung")
    page.get_by_label("Wen Sie fragen (Deutsch)").fill("Alle, die das Bürgerbüro nutzen")
    page.get_by_label("Zusammenfassung in einfacher Sprache (Deutsch)").fill("Wir wollen länger öffnen.")
    page.get_by_label("Frage (Deutsch)").fill("Wie wichtig sind Ihnen längere Zeiten?")
    page.get_by_role("button", name="Frage hinzufügen").click()
    page.locator("#q1-de").fill("Was sollen wir noch wissen?")
    page.get_by_role("button", name="Frage hinzufügen").click()
    page.locator("#q2-de").fill("Noch etwas?")
    page.get_by_role("button", name="Befragung anlegen").click()
    page.get_by_test_id("panel-phase").wait_for()
    assert page.get_by_test_id("panel-phase").inner_text() == "In Vorbereitung"
    # The QR image loads after the page: wait for it rather than sampling once (flaky under load).
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=page.locator("img.panel-qr").element_handle())
    assert_no_violations(page, f"panel-draft-{viewport}")
    # Configure it further before opening: the settings form, prefilled.
    page.get_by_role("button", name="Einstellungen bearbeiten").click()
    assert page.get_by_label("Titel (Deutsch)").input_value() == "Sprechzeiten – Ihre Meinung"
    assert_no_violations(page, f"panel-edit-{viewport}")
    page.get_by_label("Titel (Deutsch)").fill("Längere Sprechzeiten – Ihre Meinung")
    page.get_by_label("Nachträglich prüfen (sofort sichtbar)").check()
    page.get_by_label("Nachträglich prüfen (sofort sichtbar)").check()
    page.get_by_label("Vorab prüfen (sichtbar erst nach Freigabe)").check()
    page.get_by_role("button", name="Einstellungen speichern").click()
    page.get_by_role("heading", name="Längere Sprechzeiten – Ihre Meinung", level=1).wait_for()
    page.get_by_role("button", name="Befragung öffnen").click()
    page.get_by_text("Offen", exact=True).wait_for()
    panel_id = page.url.rsplit("/", 1)[-1]
    panel = api(COORDINATOR).get(f"/api/v1/panels/{panel_id}").json()

    # A citizen answers: the moderator sees it at once, without reloading.
    _submit(hub, panel)
    page.get_by_test_id("queue-item").wait_for()
    assert_no_violations(page, f"panel-queue-{viewport}")
    # Another coordinator session approves: the results in this view update live.
    item = api(COORDINATOR).get(f"/api/v1/panels/{panel_id}/queue").json()["items"][0]
    r = api(COORDINATOR).post(f"/api/v1/panels/{panel_id}/items/{item['id']}/approve", {}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200, r.text
    page.get_by_text("1 sichtbar, 0 in Prüfung, 0 ausgeblendet").wait_for()
    assert page.get_by_test_id("result-table").first.locator("tbody tr").nth(3).locator("td").first.inner_text() == "1"
    # Respond in the view.
    page.locator(f"#resp-{item['id']}").fill("Danke, wir prüfen den Samstag.")
    page.get_by_role("button", name="Antwort speichern").click()
    page.get_by_test_id("response-text").wait_for()
    assert "Danke, wir prüfen den Samstag." in page.get_by_test_id("response-text").inner_text()
    assert_no_violations(page, f"panel-results-{viewport}")
    assert not probe.page_errors and not probe.csp_violations(page)

    # A member reads results and visible items, without moderation controls.
    member, _ = open_page(user=MEMBER, viewport=viewport, path=f"/#/panels/{panel_id}")
    member.get_by_test_id("panel-item").wait_for()
    assert member.get_by_role("button", name="Freigeben").count() == 0
    assert member.get_by_role("button", name="Antwort speichern").count() == 0
    assert_no_violations(member, f"panel-member-{viewport}")


def test_invite_codes_from_the_view_admit_a_phone_without_javascript(open_page, citizen, hub, api):
    panel = create_panel(api, title="Nur mit Einladung", access="inviteOnly", moderation="post")
    page, probe = open_page(user=COORDINATOR, viewport="mobile", path=f"/#/panels/{panel['id']}")
    page.get_by_test_id("panel-invites").wait_for()
    page.get_by_label("Für wen (eine Gruppe, keine Namen)").fill("Jugendrat Nordstadt")
    page.get_by_role("button", name="Code erzeugen").click()
    code = CODE.search(page.get_by_test_id("invite-code").inner_text()).group(0)
    assert page.get_by_text("Jugendrat Nordstadt · 0 von 20 genutzt").is_visible()
    assert_no_violations(page, "panel-invites")

    phone, checker = citizen
    phone.goto(f"/p/{panel['id']}")
    assert phone.locator("form[method=post]").count() == 0
    check(checker, phone.content(), f"/p/{panel['id']}", "invite-prompt")
    phone.get_by_label("Einladungs-Code").fill(code.lower())
    phone.get_by_role("button", name="Weiter").click()
    phone.get_by_label("4 – ziemlich").check()
    phone.get_by_label("Ich habe das gelesen und bin einverstanden.").check()
    phone.get_by_role("button", name="Rückmeldung absenden").click()
    assert phone.locator("h1").inner_text() == "Vielen Dank für Ihre Rückmeldung!"
    page.reload()
    page.get_by_text("Jugendrat Nordstadt · 1 von 20 genutzt").wait_for()
    page.get_by_role("button", name="Code für Jugendrat Nordstadt zurückziehen").click()
    page.get_by_text("Jugendrat Nordstadt · 1 von 20 genutzt · zurückgezogen").wait_for()
    assert not probe.page_errors
