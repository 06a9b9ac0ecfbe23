"""Password reset in the web client: "Passwort vergessen?" on the sign-in page, #/forgot
(the demo hub has no mail server, so it explains whom to ask) and #/reset/<token> (a link
that is not valid). axe-core on every state at 360 and 1280 px."""
import json
import secrets

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ARTIFACTS, MEMBER, focused, screenshot, tab_until

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
UNAVAILABLE = "Ihre Installation versendet keine E-Mails; wenden Sie sich an die Stabsstelle Sozialplanung"


def assert_no_violations(page, name):
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    screenshot(page, f"a11y-{name}")
    if results.violations_count:
        (ARTIFACTS / f"a11y-{name}.json").write_text(json.dumps(results.response["violations"], indent=2))
    assert results.violations_count == 0, results.generate_report()


def wait_announced(page, text: str, timeout: float = 5_000) -> None:
    page.wait_for_function("t => (document.querySelector('#announcer')?.textContent || '').includes(t)", arg=text, timeout=timeout)


def fake_token() -> str:
    """The shape of a real reset token (43 base64url characters), but no valid one."""
    return secrets.token_urlsafe(32)


def test_forgot_link_leads_to_the_unavailable_message(open_page):
    page, probe = open_page(None, viewport="desktop", path="/#/signin")
    page.locator("#signin-email").fill(MEMBER[0])
    page.get_by_role("link", name="Passwort vergessen?").click()
    page.wait_for_function("() => location.hash === '#/forgot'")
    page.get_by_role("heading", name="Passwort vergessen?", level=1).wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'page-title'")
    email = page.get_by_label("E-Mail-Adresse")
    assert email.input_value() == MEMBER[0], "the address typed on the sign-in page is carried over"

    # Client-side check first.
    email.fill("kein-at-zeichen")
    page.get_by_role("button", name="Link anfordern").click()
    page.locator("#forgot-email-error:not([hidden])").wait_for()
    assert email.get_attribute("aria-invalid") == "true"

    # The demo hub has no mail server: 409 passwordReset.unavailable, explained.
    email.fill(MEMBER[0])
    page.get_by_role("button", name="Link anfordern").click()
    result = page.get_by_test_id("forgot-unavailable")
    result.wait_for()
    assert UNAVAILABLE in result.text_content()
    assert focused(page)["id"] == "forgot-result", "focus moves to the outcome"
    wait_announced(page, UNAVAILABLE)
    assert page.locator("#forgot-form").count() == 0
    # Nothing on the page says whether the account exists.
    assert MEMBER[0] not in page.locator("#view").text_content()
    page.get_by_test_id("forgot-back").click()
    page.locator("#signin-email").wait_for()
    assert probe.page_errors == []


def test_forgot_page_for_an_unknown_address_answers_the_same(open_page):
    page, _ = open_page(None, viewport="mobile", path="/#/forgot")
    page.get_by_label("E-Mail-Adresse").fill("niemand-hier@roundtable.example")
    page.get_by_role("button", name="Link anfordern").click()
    page.get_by_test_id("forgot-unavailable").wait_for()


def test_forgot_page_in_english(open_page):
    page, _ = open_page(None, viewport="mobile", path="/#/forgot", lang="en")
    page.get_by_label("Email address").fill("someone@roundtable.example")
    page.get_by_role("button", name="Send me a link").click()
    result = page.get_by_test_id("forgot-unavailable")
    result.wait_for()
    assert "Your installation sends no email" in result.text_content()


def test_reset_with_an_invalid_link(open_page):
    page, probe = open_page(None, viewport="desktop", path=f"/#/reset/{fake_token()}", wait_ready=False)
    page.get_by_role("heading", name="Neues Passwort festlegen", level=1).wait_for()

    # Client-side: required, then the two entries must match.
    page.get_by_role("button", name="Passwort speichern").click()
    page.locator("#reset-password-error:not([hidden])").wait_for()
    assert focused(page)["id"] == "reset-errors"
    page.locator("#reset-password").fill("Kanal-Sonne-Wiese-4711")
    page.locator("#reset-password2").fill("Kanal-Sonne-Wiese-4712")
    page.get_by_role("button", name="Passwort speichern").click()
    page.locator("#reset-password2-error:not([hidden])").wait_for()
    assert "stimmen nicht überein" in page.locator("#reset-password2-error").text_content()

    # The hub does not know the token: 404 passwordReset.invalid.
    page.locator("#reset-password2").fill("Kanal-Sonne-Wiese-4711")
    page.get_by_role("button", name="Passwort speichern").click()
    invalid = page.get_by_test_id("reset-invalid")
    invalid.wait_for()
    assert "ungültig oder abgelaufen" in page.locator("#page-title").text_content()
    assert focused(page)["id"] == "page-title"
    wait_announced(page, "ungültig oder abgelaufen")
    page.get_by_test_id("reset-request-new").click()
    page.wait_for_function("() => location.hash === '#/forgot'")
    page.get_by_label("E-Mail-Adresse").wait_for()
    assert probe.page_errors == []


def test_reset_with_a_malformed_link_says_so_at_once(open_page):
    page, _ = open_page(None, viewport="mobile", path="/#/reset/x", wait_ready=False)
    page.get_by_test_id("reset-invalid").wait_for()
    assert page.locator("#reset-form").count() == 0


def test_forgot_and_reset_by_keyboard(open_page):
    page, probe = open_page(None, viewport="desktop", path="/#/signin")
    tab_until(page, lambda f: f["id"] == "forgot-link", limit=20)
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#/forgot'")
    tab_until(page, lambda f: f["id"] == "forgot-email", limit=10)
    page.keyboard.type("jemand@roundtable.example")
    page.keyboard.press("Enter")
    page.get_by_test_id("forgot-unavailable").wait_for()
    assert focused(page)["id"] == "forgot-result"
    assert probe.page_errors == []


# ---------------------------------------------------------------- axe


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_forgot_page(open_page, viewport):
    page, _ = open_page(None, viewport=viewport, path="/#/forgot")
    assert_no_violations(page, f"forgot-{viewport}")
    page.get_by_label("E-Mail-Adresse").fill("axe@roundtable.example")
    page.get_by_role("button", name="Link anfordern").click()
    page.get_by_test_id("forgot-unavailable").wait_for()
    assert_no_violations(page, f"forgot-unavailable-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_reset_page(open_page, viewport):
    page, _ = open_page(None, viewport=viewport, path=f"/#/reset/{fake_token()}", wait_ready=False)
    page.locator("#reset-form").wait_for()
    assert_no_violations(page, f"reset-{viewport}")
    page.locator("#reset-submit").click()
    page.locator("#reset-errors:not([hidden])").wait_for()
    assert_no_violations(page, f"reset-errors-{viewport}")
    page.locator("#reset-password").fill("Kanal-Sonne-Wiese-4711")
    page.locator("#reset-password2").fill("Kanal-Sonne-Wiese-4711")
    page.locator("#reset-submit").click()
    page.get_by_test_id("reset-invalid").wait_for()
    assert_no_violations(page, f"reset-invalid-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile"])
def test_a11y_sign_in_page_with_forgot_link(open_page, viewport):
    page, _ = open_page(None, viewport=viewport, path="/#/signin")
    assert page.get_by_test_id("forgot-link").is_visible()
    assert_no_violations(page, f"signin-forgot-link-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_administrator_resets_access_without_mail(open_page, make_user, hub, viewport):
    """No mail server: the administrator issues a reset link on the people page (keyboard only) and
    hands it over; the person sets a new password with it, and the link works only once."""
    from conftest import ADMIN

    person = make_user()
    page, probe = open_page(ADMIN, viewport=viewport, path="/#/admin")
    page.locator("#user-query").fill(person.email)
    page.keyboard.press("Enter")
    row = page.locator(f'[data-testid="user-row"][data-email="{person.email}"]')
    row.wait_for()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=user-row]').length === 1")
    button = row.get_by_role("button", name=f"Zugang zurücksetzen – {person.name}")
    button.focus()
    page.keyboard.press("Enter")
    notice = page.get_by_test_id("reset-link")
    notice.wait_for()
    assert focused(page)["id"] == "reset-link-title"
    link = page.locator("#reset-link-value").input_value()
    assert "/#/reset/" in link
    assert_no_violations(page, f"admin-reset-link-{viewport}")

    stranger, _ = open_page(None, viewport=viewport, path=link[link.index("/#/"):], wait_ready=False)
    stranger.get_by_role("heading", name="Neues Passwort festlegen", level=1).wait_for()
    stranger.locator("#reset-password").fill("Brücke-Regen-Flöte-2027")
    stranger.locator("#reset-password2").fill("Brücke-Regen-Flöte-2027")
    stranger.get_by_role("button", name="Passwort speichern").click()
    stranger.wait_for_function("() => !location.hash.startsWith('#/reset/')")
    import requests

    signed_in = requests.post(f"{hub.base_url}/api/v1/session", json={"email": person.email, "password": "Brücke-Regen-Flöte-2027", "mode": "token"}, timeout=10)
    assert signed_in.status_code == 200, signed_in.text
    again = requests.post(f"{hub.base_url}/api/v1/password-reset/confirm", json={"token": link.rsplit("/", 1)[1], "newPassword": "noch ein ganz anderer Satz"}, timeout=10)
    assert again.status_code == 404
    assert probe.page_errors == []
