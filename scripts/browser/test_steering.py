"""The steering group's page: the round's window, rating with a justification while the
round is open, every member's rating and the counts (live), the consensus by
administrators, hostile justifications, keyboard use; others are turned away."""
import time

from conftest import ADMIN, MEMBER, screenshot, unique, focused, tab_until, wait_connected
from rec_helpers import PAYLOAD, STEERING, complete_sections, create_recommendation, finish, no_script_elements


def this_year(api):
    rounds = api(STEERING).get("/api/v1/rating-rounds").json()["items"]
    return max(r["year"] for r in rounds)


def fresh_entry(api):
    rec = create_recommendation(api, unique("Zur Bewertung"), **complete_sections(api))
    return finish(api, rec)["recommendation"]["reference"]


def open_steering(open_page, user, viewport="mobile", year=None):
    path = f"/#/steering?year={year}" if year else "/#/steering"
    page, probe = open_page(user, viewport=viewport, path=path)
    page.locator("#steer-count").wait_for()
    page.get_by_test_id("round-state").wait_for()
    wait_connected(page)
    return page, probe


def test_member_rates_admin_sees_it_live_and_records_the_consensus(open_page, api):
    reference = fresh_entry(api)
    year = reference.split("-")[1]
    member, probe_m = open_steering(open_page, STEERING, viewport="mobile")
    assert member.get_by_test_id("round-state").get_attribute("data-state") == "open"
    admin, probe_a = open_steering(open_page, ADMIN, viewport="desktop", year=year)

    entry = member.locator(f'[data-testid="steering-entry"][data-ref="{reference}"]')
    entry.wait_for()
    # Nothing chosen: both errors, at their fields.
    entry.get_by_role("button", name="Bewertung speichern", exact=True).click()
    entry.locator(f"#rate-{reference}-level-error:not([hidden])").wait_for()
    assert entry.locator(f"#rate-{reference}-justification").get_attribute("aria-invalid") == "true"
    screenshot(member, "steering-rate-errors-mobile")

    entry.get_by_label("steuerungsrelevant", exact=True).check()
    entry.get_by_label("Begründung").fill(f"Gut begründet {PAYLOAD}")
    entry.get_by_role("button", name="Bewertung speichern", exact=True).click()
    entry.get_by_test_id("rate-saved").wait_for()
    ratings = entry.get_by_test_id("rating-list")
    assert "Steuerungsgruppe (Demo)" in ratings.text_content()
    assert PAYLOAD in ratings.text_content()
    no_script_elements(member)
    assert "1 steuerungsrelevant" in " ".join(entry.get_by_test_id("rating-counts").text_content().split())
    screenshot(member, "steering-rated-mobile")

    # The administrator's page updates live.
    admin_entry = admin.locator(f'[data-testid="steering-entry"][data-ref="{reference}"]')
    admin_entry.get_by_test_id("rating-list").wait_for()
    assert PAYLOAD in admin_entry.get_by_test_id("rating-list").text_content()
    no_script_elements(admin)
    assert admin_entry.get_by_role("button", name="Bewertung speichern", exact=True).count() == 0, "administrators do not rate"

    # Consensus, by the administrator; the member sees it live.
    admin_entry.get_by_label("in hohem Maße steuerungsrelevant").check()
    admin_entry.get_by_label("Begründung").fill(f"Einvernehmlich in der Sitzung. {PAYLOAD}")
    admin_entry.get_by_role("button", name="Gemeinsame Bewertung speichern").click()
    admin_entry.get_by_test_id("consensus-saved").wait_for()
    consensus = entry.get_by_test_id("consensus")
    member.wait_for_function("ref => document.querySelector(`#steer-${ref}-results [data-testid=consensus]`).textContent.includes('Einvernehmlich')", arg=reference)
    assert "in hohem Maße steuerungsrelevant" in consensus.text_content()
    no_script_elements(member)
    screenshot(admin, "steering-admin-desktop")

    # The rating can be changed while the round is open; the form shows the current one.
    assert entry.get_by_label("steuerungsrelevant", exact=True).is_checked()
    entry.get_by_label("weniger steuerungsrelevant (nicht im Dossier)").check()
    entry.get_by_role("button", name="Bewertung speichern", exact=True).click()
    member.wait_for_function("ref => document.querySelector(`#steer-${ref}-results`).textContent.includes('weniger')", arg=reference)
    assert entry.get_by_test_id("rating-list").locator("li").count() == 1
    assert probe_m.page_errors == [] and probe_a.page_errors == []


def test_admin_sets_a_rounds_window(open_page, api):
    year = this_year(api) + 1
    page, probe = open_steering(open_page, ADMIN, viewport="mobile", year=year)
    assert page.get_by_test_id("round-state").get_attribute("data-state") in ("none", "upcoming")
    page.get_by_label("Beginnt am").fill(f"{year}-05-01")
    page.get_by_label("Endet am").fill(f"{year}-04-01")
    page.get_by_role("button", name="Runde festlegen").click()
    page.locator("#round-closes-error:not([hidden])").wait_for()
    assert "nach ihrem Beginn" in page.locator("#round-closes-error").text_content()
    screenshot(page, "steering-round-error-mobile")
    page.get_by_label("Endet am").fill(f"{year}-05-31")
    page.get_by_role("button", name="Runde festlegen").click()
    page.get_by_test_id("round-saved").wait_for()
    assert page.get_by_test_id("round-state").get_attribute("data-state") == "upcoming"
    assert any(r["year"] == year and r["closesOn"] == f"{year}-05-31" for r in api(ADMIN).get("/api/v1/rating-rounds").json()["items"])
    # Changing it sends its version.
    page.get_by_label("Endet am").fill(f"{year}-06-15")
    page.get_by_role("button", name="Zeitraum ändern").click()
    page.get_by_test_id("round-state").filter(has_text="15. Juni").wait_for()
    page.get_by_test_id("round-saved").wait_for()
    assert any(r["closesOn"] == f"{year}-06-15" and r["version"] == 2 for r in api(ADMIN).get("/api/v1/rating-rounds").json()["items"])
    assert probe.page_errors == []


def test_rate_with_the_keyboard_alone(open_page, api):
    reference = fresh_entry(api)
    page, probe = open_steering(open_page, STEERING, viewport="desktop")
    page.locator(f'[data-testid="steering-entry"][data-ref="{reference}"]').wait_for()
    page.locator("#page-title").focus()
    tab_until(page, lambda f: f["id"] == f"rate-{reference}-highlyRelevant", limit=400)
    page.keyboard.press("Space")
    assert page.locator(f"#rate-{reference}-highlyRelevant").is_checked()
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#rate-{reference}-relevant").is_checked()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == f"rate-{reference}-justification"
    page.keyboard.type("Per Tastatur bewertet.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_test_id("rate-saved").wait_for()
    assert focused(page)["id"] == f"rate-{reference}-submit"
    assert probe.page_errors == []


def test_others_are_turned_away_and_see_no_link(open_page):
    page, probe = open_page(MEMBER, viewport="mobile", path="/#/steering")
    page.get_by_text("Diese Seite ist für die Mitglieder der Steuerungsgruppe").wait_for()
    assert page.get_by_test_id("nav-steering").count() == 0
    page2, _ = open_page(STEERING, viewport="mobile")
    assert page2.get_by_test_id("nav-steering").is_visible()
    assert probe.page_errors == []
