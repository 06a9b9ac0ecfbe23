"""axe-core (WCAG 2.0/2.1 A and AA) finds no violations on the main states, at 360 and 1280 px."""
import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ADMIN, ARTIFACTS, screenshot, unique, wait_connected

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def assert_no_violations(page, name):
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    screenshot(page, f"a11y-{name}")
    if results.violations_count:
        (ARTIFACTS / f"a11y-{name}.json").write_text(json.dumps(results.response["violations"], indent=2))
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="module")
def detail_workspace(api):
    return api(ADMIN).create_workspace(unique("Barrierefreiheit Fokusgruppe"), description="Eine Gruppe für die Prüfung der Barrierefreiheit.")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_sign_in_page(open_page, viewport):
    page, _ = open_page(None, viewport=viewport, path="/#/signin")
    assert_no_violations(page, f"signin-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_sign_in_error_state(open_page, viewport):
    page, _ = open_page(None, viewport=viewport, path="/#/signin")
    page.get_by_label("E-Mail-Adresse").fill("niemand@roundtable.example")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    page.locator("#signin-error:not([hidden])").wait_for()
    assert page.get_by_label("Passwort").get_attribute("aria-invalid") == "true"
    assert_no_violations(page, f"signin-error-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_directory(open_page, viewport):
    page, _ = open_page(ADMIN, viewport=viewport)
    page.get_by_test_id("workspace-row").first.wait_for()
    wait_connected(page)
    assert_no_violations(page, f"directory-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_create_form_with_validation_errors(open_page, viewport):
    page, _ = open_page(ADMIN, viewport=viewport, path="/#/new")
    page.get_by_label("Name").first.wait_for()
    page.get_by_role("button", name="Arbeitsgruppe anlegen").click()
    summary = page.locator("#create-errors:not([hidden])")
    summary.wait_for()
    invalid = page.locator('[aria-invalid="true"]')
    assert invalid.count() >= 1, "the server's field errors are shown on the fields"
    name = page.locator("#ws-name")
    assert name.get_attribute("aria-invalid") == "true", "an empty name is reported on the name field"
    assert "ws-name-error" in (name.get_attribute("aria-describedby") or "")
    assert page.locator("#ws-name-error").is_visible()
    assert_no_violations(page, f"create-errors-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_workspace_detail(open_page, viewport, detail_workspace):
    page, _ = open_page(ADMIN, viewport=viewport, path=f"/#/workspaces/{detail_workspace['id']}")
    page.locator("#detail-members").wait_for()
    page.locator("#page-title", has_text=detail_workspace["name"]).wait_for()
    wait_connected(page)
    assert_no_violations(page, f"detail-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_english_directory(open_page, viewport):
    page, _ = open_page(ADMIN, viewport=viewport, lang="en")
    page.get_by_test_id("workspace-row").first.wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("heading", level=1).text_content().strip() == "Working groups"
    wait_connected(page)
    assert page.get_by_test_id("connection-status").text_content().strip().endswith("Connected")
    assert_no_violations(page, f"english-directory-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile"])
def test_english_sign_in_and_toggle(open_page, viewport):
    page, _ = open_page(None, viewport=viewport, path="/#/signin")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Email address").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("localStorage.getItem('roundtable.lang')") == "en"
    assert_no_violations(page, f"english-signin-{viewport}")
    page.reload()
    page.get_by_label("Email address").wait_for()
    page.get_by_role("button", name="Deutsch").click()
    page.get_by_label("E-Mail-Adresse").wait_for()
    assert page.evaluate("document.documentElement.lang") == "de"
