"""The public catalogue: reachable without signing in, filters in the shareable address,
accordion details, CSV with the same filters, live additions, keyboard use."""
import time

import requests

from conftest import ADMIN, screenshot, unique, focused, tab_until
from rec_helpers import complete_sections, create_recommendation, finish


def open_catalogue(open_page, user=None, viewport="mobile", path="/#/catalogue", lang=None):
    page, probe = open_page(user, viewport=viewport, path=path, wait_ready=False, lang=lang)
    page.get_by_test_id("catalogue-list").wait_for()
    return page, probe


def refs(page):
    return page.locator('[data-testid="catalogue-entry"]').evaluate_all("els => els.map((e) => e.dataset.ref)")


def test_reachable_from_the_sign_in_page_without_an_account(open_page):
    page, probe = open_page(None, viewport="mobile", path="/#/signin")
    page.get_by_test_id("signin-catalogue-link").click()
    page.get_by_test_id("catalogue-list").wait_for()
    assert page.locator("h1").text_content().replace("\u00ad", "") == "Katalog der Handlungsempfehlungen"
    assert page.get_by_test_id("nav-catalogue").get_attribute("aria-current") == "page"
    assert page.get_by_test_id("nav-signin").is_visible()
    page.locator('[data-testid="catalogue-entry"][data-ref="HE-2023-001"]').wait_for()
    screenshot(page, "catalogue-public-mobile")
    assert probe.page_errors == []


def test_filters_are_in_the_address_and_the_csv_link(open_page, hub):
    page, probe = open_catalogue(open_page)
    page.get_by_label("Jahr", exact=True).select_option("2023")
    page.wait_for_function("() => location.hash.includes('year=2023')")
    page.get_by_label("Bewertung").select_option("highlyRelevant")
    page.wait_for_function("() => location.hash === '#/catalogue?year=2023&rating=highlyRelevant'")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=catalogue-entry]').length === 2")
    assert refs(page) == ["HE-2023-003", "HE-2023-001"]
    assert page.get_by_test_id("catalogue-count").text_content().strip() == "2 Handlungsempfehlungen"
    page.wait_for_function("() => document.querySelector('#announcer').textContent.includes('2 Handlungsempfehlungen')")
    csv = page.get_by_test_id("catalogue-csv").get_attribute("href")
    assert csv == "/api/v1/catalogue.csv?year=2023&rating=highlyRelevant"
    r = requests.get(hub.base_url + csv, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert "HE-2023-001" in r.text and "HE-2023-003" in r.text and "HE-2023-002" not in r.text

    # Full text: every word, without accents and case.
    page.get_by_label("Volltextsuche").fill("sprachstandserhebung KINDER")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_function("() => location.hash.includes('q=sprachstandserhebung%20KINDER')")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=catalogue-entry]').length === 1")
    assert refs(page) == ["HE-2023-001"]
    shared = page.evaluate("location.hash")
    screenshot(page, "catalogue-filtered-mobile")

    # The shared address opens the same selection elsewhere, filters filled in.
    other, probe2 = open_catalogue(open_page, viewport="desktop", path="/" + shared)
    other.wait_for_function("() => document.querySelectorAll('[data-testid=catalogue-entry]').length === 1")
    assert other.get_by_label("Bewertung").input_value() == "highlyRelevant"
    assert other.get_by_label("Volltextsuche").input_value() == "sprachstandserhebung KINDER"

    # Back goes to the previous selection; the reset link clears all.
    page.go_back()
    page.wait_for_function("() => location.hash === '#/catalogue?year=2023&rating=highlyRelevant'")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=catalogue-entry]').length === 2")
    page.get_by_role("link", name="Alle Filter zurücksetzen").click()
    page.wait_for_function("() => location.hash === '#/catalogue'")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=catalogue-entry]').length >= 8")

    # Nothing matches: said so.
    page.get_by_label("Volltextsuche").fill("Quantenphysik")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_text("Keine Handlungsempfehlung passt zu den Filtern.").wait_for()
    assert probe.page_errors == [] and probe2.page_errors == []


def test_accordion_unfolds_the_whole_profile(open_page):
    page, probe = open_catalogue(open_page, path="/#/catalogue?year=2023")
    entry = page.locator('[data-testid="catalogue-entry"][data-ref="HE-2023-006"]')
    button = entry.locator(".cat-toggle")
    assert button.get_attribute("aria-expanded") == "false"
    assert entry.get_by_test_id("catalogue-panel").is_hidden()
    assert "weniger steuerungsrelevant (nicht im Dossier)" in entry.text_content()
    button.click()
    panel = entry.get_by_test_id("catalogue-panel")
    panel.wait_for()
    assert button.get_attribute("aria-expanded") == "true"
    for heading in ("Ausgangslage", "Ziele", "Maßnahmen", "Kosten und Ressourcen", "Indikatoren", "Bewertung der Steuerungsgruppe"):
        assert panel.get_by_role("heading", name=heading).count() == 1, heading
    assert "Ausbildungsabbrüche" in panel.text_content()
    assert "Einzelmaßnahme" in panel.text_content(), "the consensus justification"
    screenshot(page, "catalogue-accordion-open-mobile")
    button.click()
    assert button.get_attribute("aria-expanded") == "false"
    assert panel.is_hidden()
    # Its own page.
    button.click()
    panel.get_by_role("link", name="Eigene Seite von HE-2023-006 (zum Teilen)").click()
    page.get_by_test_id("catalogue-article").wait_for()
    assert "Übernahme der ÖPNV-Fahrtkosten" in page.locator("h1").text_content()
    screenshot(page, "catalogue-entry-mobile")
    assert probe.page_errors == []


def test_new_entries_arrive_live_for_anonymous_readers(open_page, api):
    page, probe = open_catalogue(open_page, viewport="desktop")
    time.sleep(0.5)  # the anonymous socket subscribes
    page.evaluate("() => { window.__noReloadMarker = 'still-here'; }")
    rec = create_recommendation(api, unique("Live in den Katalog"), **complete_sections(api))
    detail = finish(api, rec)
    reference = detail["recommendation"]["reference"]
    entry = page.locator(f'[data-testid="catalogue-entry"][data-ref="{reference}"]')
    entry.wait_for()
    assert refs(page)[0] == reference, "newest first"
    page.wait_for_function("ref => document.querySelector('#announcer').textContent.includes(ref)", arg=reference)
    assert page.evaluate("() => window.__noReloadMarker") == "still-here"
    # A consensus set meanwhile shows too.
    r = api(ADMIN).http.put(api(ADMIN).url(f"/api/v1/catalogue/{reference}/consensus"),
                            json={"level": "relevant", "justification": "Im Test bewertet."}, timeout=10)
    assert r.status_code == 200, r.text
    entry.locator(".badge-relevant").wait_for()
    assert probe.page_errors == []


def test_catalogue_with_the_keyboard_alone(open_page):
    page, probe = open_catalogue(open_page, viewport="desktop")
    page.locator("#page-title").focus()
    tab_until(page, lambda f: f["id"] == "cat-q", limit=10)
    page.keyboard.type("Rucksack")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=catalogue-entry]').length === 1")
    tab_until(page, lambda f: f["id"] == "cat-year", limit=10)
    page.keyboard.press("ArrowDown")  # "2026" or "2023": any year; then back to all
    page.wait_for_function("() => location.hash.includes('year=')")
    page.keyboard.press("Home")
    page.wait_for_function("() => !location.hash.includes('year=')")
    tab_until(page, lambda f: f["id"] == "cat-HE-2023-002-button", limit=20)
    page.keyboard.press("Enter")
    page.locator("#cat-HE-2023-002-panel").wait_for()
    assert focused(page)["id"] == "cat-HE-2023-002-button"
    assert page.locator("#cat-HE-2023-002-button").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Space")
    assert page.locator("#cat-HE-2023-002-panel").is_hidden()
    assert probe.page_errors == []


def test_english_catalogue(open_page):
    page, probe = open_catalogue(open_page, lang="en", path="/#/catalogue?year=2023&rating=lessRelevant")
    assert page.locator("h1").text_content() == "Catalogue of recommendations"
    page.wait_for_function("() => document.querySelectorAll('[data-testid=catalogue-entry]').length === 1")
    assert "less relevant for steering (not in the dossier)" in page.get_by_test_id("catalogue-list").text_content()
    assert probe.page_errors == []


def test_a_year_with_rated_entries_links_its_dossier(open_page, hub):
    page, probe = open_catalogue(open_page, path="/#/catalogue?year=2023")
    link = page.get_by_test_id("catalogue-dossier-pdf")
    link.wait_for()
    assert link.get_attribute("href") == "/api/v1/dossiers/2023/pdf"
    r = requests.get(hub.base_url + link.get_attribute("href"), timeout=20)
    assert r.status_code == 200 and r.content.startswith(b"%PDF-1.4")
    html_link = page.get_by_test_id("catalogue-dossier-html").get_attribute("href")
    r = requests.get(hub.base_url + html_link, timeout=20)
    assert r.status_code == 200 and "Sozialplanung Fokus 2023" in r.text
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    # Without a year there is no single dossier to link.
    page.goto(hub.base_url + "/#/catalogue")
    page.get_by_test_id("catalogue-list").wait_for()
    assert page.get_by_test_id("catalogue-dossier-pdf").count() == 0
    assert probe.page_errors == []
