"""Decision tracking in the catalogue: status, council decisions, implementation reports,
indicator charts with a table alternative, the "Beschluss erfassen" and "Umsetzungsbericht"
forms, live updates, the "Berichte fällig" list on the workspace page; axe-core at 360 and
1280 px, keyboard use, and hostile notes rendered inert."""
import datetime
import time

import pytest

from conftest import ADMIN, COORDINATOR, MEMBER, focused, tab_until, unique, wait_connected
from rec_helpers import MD_PAYLOAD, PAYLOAD, assert_no_violations, complete_sections, create_recommendation, finish, no_script_elements, workspace_id

VIEWPORTS = ["mobile", "desktop"]


def fresh_entry(api, title_prefix="Beschlusscontrolling") -> str:
    rec = create_recommendation(api, unique(title_prefix), **complete_sections(api))
    detail = finish(api, rec)
    ref = detail["recommendation"].get("reference")
    assert ref, detail
    return ref


def record_decision(api, ref, days_ago=1, outcome="adopted", note=""):
    day = (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat()
    r = api(ADMIN).post(f"/api/v1/catalogue/{ref}/decisions", {"decidedOn": day, "body": "Kreistag", "outcome": outcome, "note": note})
    assert r.status_code == 201, r.text
    return r.json()


def open_entry(open_page, ref, user=None, viewport="mobile"):
    page, probe = open_page(user, viewport=viewport, path=f"/#/catalogue/{ref}", wait_ready=False)
    page.get_by_test_id("tracking").wait_for()
    return page, probe


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_public_entry_shows_reports_chart_and_table(open_page, viewport):
    page, probe = open_entry(open_page, "HE-2023-001", viewport=viewport)
    tracking = page.get_by_test_id("tracking")
    assert page.get_by_test_id("tracking-report").count() == 2
    assert page.get_by_test_id("tracking-decision").count() >= 1
    img = tracking.locator("img.chart").first
    assert img.get_attribute("src") == "/api/v1/catalogue/HE-2023-001/indicators/0/chart"
    assert "Tabelle" in img.get_attribute("alt")
    page.wait_for_function("() => { const i = document.querySelector('img.chart'); return i && i.complete && i.naturalWidth > 0; }")
    table = tracking.get_by_test_id("tracking-table").first
    assert table.locator("tbody tr").count() == 2
    assert "Ausgangswert" in table.text_content() and "Zielwert" in table.text_content()
    assert page.get_by_test_id("decision-form").count() == 0 and page.get_by_test_id("report-form").count() == 0
    assert_no_violations(page, f"tracking-entry-public-{viewport}")
    assert probe.page_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_accordion_shows_status_in_german(open_page, viewport):
    page, probe = open_page(None, viewport=viewport, path="/#/catalogue?year=2023", wait_ready=False)
    page.get_by_test_id("catalogue-list").wait_for()
    entry = page.locator('[data-testid="catalogue-entry"][data-ref="HE-2023-006"]')
    entry.get_by_role("button").click()
    panel = entry.get_by_test_id("catalogue-panel")
    panel.get_by_test_id("tracking").wait_for()
    text = panel.get_by_test_id("tracking-status").text_content()
    assert text.startswith("Stand: ") and text != "Stand: beschlossen"
    assert_no_violations(page, f"tracking-accordion-{viewport}")
    assert probe.page_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_admin_records_a_decision_with_errors_and_live(open_page, api, viewport):
    ref = fresh_entry(api)
    page, probe = open_entry(open_page, ref, user=ADMIN, viewport=viewport)
    watcher, probe2 = open_entry(open_page, ref, viewport="desktop")
    time.sleep(0.7)  # the anonymous socket subscribes
    form = page.get_by_test_id("decision-form")
    assert_no_violations(page, f"tracking-decision-form-{viewport}")

    page.get_by_label("Gremium").fill("K")
    form.get_by_role("button", name="Beschluss speichern").click()
    page.locator("#dec-body-error:not([hidden])").wait_for()
    assert page.locator("#dec-body").get_attribute("aria-invalid") == "true"
    assert_no_violations(page, f"tracking-decision-error-{viewport}")

    page.get_by_label("Gremium").fill("Kreistag")
    page.get_by_label("Ergebnis").select_option("adopted")
    page.get_by_label("Anmerkung (optional)").fill(PAYLOAD)
    form.get_by_role("button", name="Beschluss speichern").click()
    page.get_by_test_id("tracking-decision").wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=tracking-status]').textContent === 'Stand: beschlossen'")
    assert PAYLOAD in page.get_by_test_id("tracking-decision").text_content()
    page.get_by_test_id("tracking-due").wait_for()
    no_script_elements(page, "[data-testid=tracking-decisions]")
    assert_no_violations(page, f"tracking-decision-saved-{viewport}")

    # The other (anonymous) page follows live.
    watcher.wait_for_function("() => document.querySelector('[data-testid=tracking-status]').textContent === 'Stand: beschlossen'")
    assert watcher.get_by_test_id("tracking-decision").count() == 1
    time.sleep(0.3)
    assert probe.dialogs == [] and probe2.dialogs == []
    assert probe.page_errors == [] and probe2.page_errors == []


def test_member_reports_by_keyboard_only(open_page, api):
    ref = fresh_entry(api)
    record_decision(api, ref, days_ago=3)
    page, probe = open_entry(open_page, ref, user=MEMBER, viewport="mobile")
    assert page.get_by_test_id("decision-form").count() == 0
    page.get_by_test_id("report-form").wait_for()
    page.locator("#page-title").focus()
    tab_until(page, lambda f: f["id"] == "rep-date")
    tab_until(page, lambda f: f["id"] == "rep-status", limit=4)  # the date's day, month and year first
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "rep-value-0"
    page.keyboard.type("27,5")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "rep-note"
    page.keyboard.type(MD_PAYLOAD)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "report-submit"
    page.keyboard.press("Enter")
    page.get_by_test_id("tracking-report").wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=tracking-status]').textContent === 'Stand: in Umsetzung'")
    report = page.get_by_test_id("tracking-report")
    assert "fett" in report.text_content() and report.locator("strong").count() >= 2
    no_script_elements(page, "[data-testid=tracking-reports]")
    table = page.get_by_test_id("tracking-table").first
    assert "27,5" in table.locator("tbody").text_content()
    assert page.locator("#rep-note").input_value() == ""
    assert_no_violations(page, "tracking-report-saved-mobile")
    time.sleep(0.3)
    assert probe.dialogs == [] and probe.page_errors == []


def test_report_number_error_is_shown(open_page, api):
    ref = fresh_entry(api)
    record_decision(api, ref)
    page, probe = open_entry(open_page, ref, user=COORDINATOR, viewport="desktop")
    page.locator("#rep-value-0").fill("zwölf")
    page.get_by_role("button", name="Bericht speichern").click()
    page.locator("#rep-values-error:not([hidden])").wait_for()
    assert "Zahl" in page.locator("#rep-values-error").text_content()
    assert_no_violations(page, "tracking-report-error-desktop")
    assert probe.page_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reports_due_on_the_workspace_page(open_page, api, viewport):
    ref = fresh_entry(api, "Bericht überfällig")
    record_decision(api, ref, days_ago=400)
    wid = workspace_id(api)
    page, probe = open_page(MEMBER, viewport=viewport, path=f"/#/workspaces/{wid}")
    item = page.locator(f'[data-testid="report-due"][data-ref="{ref}"]')
    item.wait_for()
    assert "überfällig seit" in item.text_content()
    assert_no_violations(page, f"tracking-reports-due-{viewport}")
    item.get_by_role("link").click()
    page.wait_for_function(f"() => location.hash === '#/catalogue/{ref}'")
    page.get_by_test_id("tracking-due").wait_for()
    assert "überfällig" in page.get_by_test_id("tracking-due").text_content()
    assert probe.page_errors == []


def test_entry_in_english(open_page):
    page, probe = open_page(ADMIN, viewport="mobile", path="/#/catalogue/HE-2023-001", wait_ready=False, lang="en")
    page.get_by_test_id("tracking").wait_for()
    assert page.get_by_test_id("tracking").get_by_test_id("tracking-status").text_content() == "Status: being implemented"
    assert page.get_by_role("heading", name="Record a decision").count() == 1
    assert page.get_by_role("heading", name="Implementation report", exact=True).count() == 1
    assert "Baseline" in page.get_by_test_id("tracking-table").first.text_content()
    assert_no_violations(page, "tracking-entry-admin-en-mobile")
    assert probe.page_errors == []
