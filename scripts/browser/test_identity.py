"""Identity in the web client: sign-in with a second factor, the account page, invitations,
members, administration. Against a real `roundtable serve --demo`; TOTP codes are computed
here (RFC 6238), from the secret the page shows.

People are made per test (invited by the demo admin, signed up over the API), so the demo
accounts keep working for the other test files (the demo admin gets no TOTP here)."""
import re
import uuid

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe

from conftest import (
    ADMIN, ARTIFACTS, COORDINATOR, MEMBER, ApiClient, Authenticator, coordinated_workspace, create_organization, enrol_totp,
    focused, invitation_path, screenshot, sign_in_through_form, tab_until, unique, wait_connected,
)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
SECRET_GROUPS = re.compile(r"^([A-Z2-7]{4} )*[A-Z2-7]{1,4}$")


def assert_no_violations(page, name):
    import json

    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    screenshot(page, f"a11y-{name}")
    if results.violations_count:
        (ARTIFACTS / f"a11y-{name}.json").write_text(json.dumps(results.response["violations"], indent=2))
    assert results.violations_count == 0, results.generate_report()


def announcer_text(page) -> str:
    return page.locator("#announcer").text_content() or ""


def wait_announced(page, text: str, timeout: float = 5_000) -> None:
    page.wait_for_function("t => (document.querySelector('#announcer')?.textContent || '').includes(t)", arg=text, timeout=timeout)


def shown_secret(page) -> str:
    text = page.get_by_test_id("totp-secret").text_content().strip()
    assert SECRET_GROUPS.match(text), f"the secret is shown in groups of four: {text!r}"
    return text.replace(" ", "")


# ---------------------------------------------------------------- (a) TOTP for an administrator


def test_admin_enrols_totp_and_signs_in_with_it(open_page, make_user, api):
    admin = make_user("Admin Zwei Faktoren", admin=True)
    page, probe = open_page(None, viewport="desktop", path="/#/signin")
    sign_in_through_form(page, admin.email, admin.password)
    page.get_by_test_id("workspace-list").wait_for()
    page.get_by_test_id("nav-admin").wait_for()

    # Administrator functions before enrolment: the demo hub allows them; a hub that
    # enforces the second factor answers 403 auth.secondFactorRequired, which leads here.
    page.get_by_test_id("nav-admin").click()
    page.locator('[data-testid="user-row"], [data-testid="setup-second-factor-link"]').first.wait_for()
    if page.get_by_test_id("setup-second-factor-link").count():
        page.get_by_test_id("setup-second-factor-link").first.click()
        page.wait_for_function("() => location.hash === '#/account/two-factor'")
    else:
        page.get_by_test_id("nav-account").click()
    page.locator("#totp-start").wait_for()
    assert page.get_by_test_id("two-factor-status").get_attribute("data-state") == "off"

    # Start enrolment: the secret as text in groups of four, the otpauth URI as a link.
    page.locator("#totp-start").click()
    secret = shown_secret(page)
    uri = page.get_by_test_id("totp-uri").get_attribute("href")
    assert uri.startswith("otpauth://totp/"), uri
    assert f"secret={secret}" in uri, uri
    # The QR code for the phone's camera: an image of the same URI, loaded with the session.
    qr = page.get_by_test_id("totp-qr")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 100", arg=qr.element_handle())
    svg = page.evaluate("() => fetch('/api/v1/me/totp/qr.svg').then(r => r.text())")
    assert f"secret={secret}&amp;" in svg
    code_input = page.locator("#totp-code")
    assert code_input.get_attribute("inputmode") == "numeric"
    assert code_input.get_attribute("autocomplete") == "one-time-code"
    screenshot(page, "identity-enrolling-desktop")

    phone = Authenticator(secret)
    # A wrong code is reported on the field, by code, in German.
    code_input.fill(phone.wrong_code())
    page.locator("#totp-confirm").click()
    page.locator("#totp-code-error:not([hidden])").wait_for()
    assert "Code stimmt nicht" in page.locator("#totp-code-error").text_content()
    assert code_input.get_attribute("aria-invalid") == "true"

    code_input.fill(phone.code())
    page.locator("#totp-confirm").click()
    codes_list = page.get_by_test_id("recovery-codes")
    codes_list.wait_for()
    codes = [c.strip() for c in codes_list.locator("li").all_text_contents()]
    assert len(codes) == 10, codes
    assert all(re.match(r"^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$", c) for c in codes), codes
    box = page.get_by_test_id("recovery-box")
    assert "Speichern Sie jetzt Ihre Wiederherstellungscodes" in box.text_content()
    assert "nur jetzt angezeigt" in box.text_content()
    assert page.evaluate("document.activeElement.id") == "recovery-title", "focus moves to the codes"
    wait_announced(page, "eingeschaltet")
    with page.expect_download() as download:
        page.get_by_role("button", name="Als Textdatei herunterladen").click()
    assert download.value.suggested_filename.endswith(".txt")
    text = open(download.value.path(), encoding="utf-8").read()
    for c in codes:
        assert c in text
    assert admin.email in text
    page.get_by_role("button", name="Codes kopieren").click()
    page.wait_for_function("() => /kopiert|Kopieren hat nicht/.test(document.querySelector('#announcer').textContent)")
    screenshot(page, "identity-recovery-codes-desktop")
    page.get_by_role("button", name="Ich habe die Codes gespeichert").click()
    assert page.get_by_test_id("two-factor-status").get_attribute("data-state") == "on"
    assert page.get_by_test_id("recovery-codes").count() == 0, "the codes are shown once"

    # Sign out, sign in again: password, then the code step.
    page.get_by_role("button", name="Abmelden").click()
    page.locator("#signin-email").wait_for()
    sign_in_through_form(page, admin.email, admin.password)
    step = page.get_by_test_id("second-factor-step")
    step.wait_for()
    code = page.locator("#signin-code")
    assert code.get_attribute("inputmode") == "numeric"
    assert code.get_attribute("autocomplete") == "one-time-code"
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'signin-code'")
    screenshot(page, "identity-second-factor-step-desktop")
    # One wrong code: 401 auth.invalidSecondFactor, explained.
    code.fill(phone.wrong_code())
    page.locator("#second-factor-submit").click()
    page.locator("#signin-error:not([hidden])").wait_for()
    assert "Der Code ist nicht richtig" in page.locator("#signin-error").text_content()
    assert code.get_attribute("aria-invalid") == "true"
    code.fill(phone.code())
    page.locator("#second-factor-submit").click()
    page.get_by_test_id("workspace-list").wait_for()

    me = page.evaluate("() => fetch('/api/v1/me').then(r => r.json())")
    assert me["session"]["secondFactor"] == "verified", me
    assert me["totpEnabled"] is True

    # Administrator functions: the users list and the audit log.
    page.get_by_test_id("nav-admin").click()
    row = page.locator(f'[data-testid="user-row"][data-email="{MEMBER[0]}"]')
    row.wait_for()
    steering = row.locator('input[data-flag="isSteering"]')
    before = steering.is_checked()
    steering.click()
    wait_announced(page, "Steuerungsgruppe")
    assert steering.is_checked() != before

    def member_is_steering():
        users = api(ADMIN).get("/api/v1/users").json()["items"]
        return next(u for u in users if u["email"] == MEMBER[0])["isSteering"]

    assert member_is_steering() is (not before)
    steering.click()  # and back
    page.wait_for_function(
        "([email, want]) => document.querySelector(`[data-email=\"${email}\"] input[data-flag=isSteering]`)?.checked === want",
        arg=[MEMBER[0], before],
    )
    for _ in range(20):
        if member_is_steering() is before:
            break
        page.wait_for_timeout(100)
    assert member_is_steering() is before

    page.get_by_test_id("admin-audit-link").click()
    page.get_by_test_id("audit-table").wait_for()
    page.locator("#audit-type").select_option("totp.enabled")
    page.locator("#audit-apply").click()
    page.wait_for_function("() => location.hash.includes('type=totp.enabled')")
    rows = page.locator('[data-testid="audit-row"]')
    rows.first.wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=audit-row]')].every(r => r.dataset.type === 'totp.enabled')")
    assert page.get_by_test_id("audit-table").filter(has_text=admin.name).count() == 1
    # Times in Berlin, German format.
    first_time = rows.first.locator("time").text_content()
    assert re.match(r"^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}$", first_time), first_time
    screenshot(page, "identity-audit-desktop")
    assert probe.page_errors == []


def test_sign_in_with_a_recovery_code(open_page, make_user, api):
    person = make_user("Wiederherstellung Test")
    client = api(person)
    _, codes = enrol_totp(client)
    page, _ = open_page(None, viewport="mobile", path="/#/signin")
    sign_in_through_form(page, person.email, person.password)
    page.get_by_test_id("second-factor-step").wait_for()
    page.get_by_role("button", name="Wiederherstellungscode verwenden").click()
    recovery = page.locator("#signin-recovery")
    recovery.wait_for()
    assert page.evaluate("document.activeElement.id") == "signin-recovery"
    recovery.fill(codes[3].upper())  # typed in capitals: still accepted
    page.locator("#second-factor-submit").click()
    page.get_by_test_id("workspace-list").wait_for()
    # Used once: it does not work a second time.
    other, _ = open_page(None, viewport="mobile", path="/#/signin")
    sign_in_through_form(other, person.email, person.password)
    other.get_by_test_id("second-factor-step").wait_for()
    other.get_by_role("button", name="Wiederherstellungscode verwenden").click()
    other.locator("#signin-recovery").fill(codes[3])
    other.locator("#second-factor-submit").click()
    other.locator("#signin-error:not([hidden])").wait_for()
    assert "schon verwendet" in other.locator("#signin-error").text_content()


def test_reload_during_second_factor_keeps_the_code_step(open_page, make_user, api):
    person = make_user("Neu laden Test")
    phone, _ = enrol_totp(api(person))
    page, _ = open_page(None, viewport="mobile", path="/#/signin")
    sign_in_through_form(page, person.email, person.password)
    page.get_by_test_id("second-factor-step").wait_for()
    page.reload()
    page.get_by_test_id("second-factor-step").wait_for()
    page.locator("#signin-code").fill(phone.code())
    page.locator("#second-factor-submit").click()
    page.get_by_test_id("workspace-list").wait_for()


def test_second_factor_required_leads_to_enrolment(open_page, make_user):
    """A hub that enforces the second factor answers 403 auth.secondFactorRequired on
    administrator routes (the demo hub does not, so the answer is simulated here)."""
    admin = make_user("Admin ohne Faktor", admin=True)
    page, _ = open_page(admin, viewport="mobile", path="/#/")
    page.route(
        "**/api/v1/users*",
        lambda route: route.fulfill(
            status=403,
            content_type="application/json",
            body='{"error":{"code":"auth.secondFactorRequired","message":"Set up two-factor authentication","fields":[]}}',
        ),
    )
    page.get_by_test_id("nav-admin").click()
    link = page.get_by_test_id("setup-second-factor-link").first
    link.wait_for()
    notice = page.locator(".notice-error").filter(has=link)
    assert "Zwei-Faktor-Authentifizierung" in notice.text_content()
    assert_no_violations(page, "second-factor-required-mobile")
    link.click()
    page.wait_for_function("() => location.hash === '#/account/two-factor'")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'two-factor-title'")
    assert page.locator("#totp-start").is_visible()


# ---------------------------------------------------------------- account page


def test_password_change_field_errors_by_code(open_page, make_user, hub):
    person = make_user("Passwort Test")
    other_session = ApiClient(hub.base_url, person.email, person.password)  # ended by the change
    page, probe = open_page(person, viewport="mobile", path="/#/account")
    page.locator("#pw-current").wait_for()

    def submit(current, new):
        page.locator("#pw-current").fill(current)
        page.locator("#pw-new").fill(new)
        page.locator("#pw-submit").click()

    submit("", "")
    page.locator("#password-errors:not([hidden])").wait_for()
    assert page.evaluate("document.activeElement.id") == "password-errors"
    submit("falsches-passwort", "Ganz-Neues-Passwort-7")
    page.wait_for_function("() => /nicht richtig/.test(document.querySelector('#pw-current-error').textContent)")
    assert page.locator("#pw-current").get_attribute("aria-invalid") == "true"
    local = person.email.split("@")[0]
    for new, expected in [
        ("kurz", "mindestens 8 Zeichen"),
        ("password", "zu verbreitet"),
        (f"x-{local}-y", "E-Mail-Adresse nicht enthalten"),
    ]:
        submit(person.password, new)
        page.wait_for_function("t => document.querySelector('#pw-new-error').textContent.includes(t)", arg=expected)
        assert page.locator("#pw-new").get_attribute("aria-invalid") == "true"
        assert "pw-new-error" in page.locator("#pw-new").get_attribute("aria-describedby")
    assert_no_violations(page, "account-password-errors-mobile")
    submit(person.password, "Ganz-Neues-Passwort-7")
    page.get_by_test_id("password-changed").wait_for()
    assert page.locator("#pw-new").get_attribute("aria-invalid") is None
    assert other_session.get("/api/v1/me").status_code == 401, "other sessions end"
    assert probe.page_errors == []


def test_sessions_and_personal_tokens(open_page, make_user, hub):
    person = make_user("Token Test")
    second = ApiClient(hub.base_url, person.email, person.password)  # another session, to end
    page, _ = open_page(person, viewport="desktop", path="/#/account")
    rows = page.get_by_test_id("session-row")
    rows.first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=session-row]').length >= 2")
    current = page.locator('[data-testid="session-row"][data-current="true"]')
    assert current.count() == 1
    assert "Diese Sitzung" in current.text_content()
    assert current.get_by_role("button").count() == 0, "the current session has no end button"
    others = page.locator('[data-testid="session-row"]:not([data-current])')
    count = others.count()
    others.first.get_by_role("button", name=re.compile("Sitzung beenden")).click()
    page.wait_for_function("n => document.querySelectorAll('[data-testid=session-row]:not([data-current])').length === n - 1", arg=count)
    wait_announced(page, "Sitzung wurde beendet")
    assert second.get("/api/v1/me").status_code == 401

    # Tokens: name, scope, expiry → shown once with a copy button; listed; revoked.
    page.locator("#token-name").fill("Auswertung Sozialbericht")
    page.locator("#token-days").fill("400")
    page.locator("#token-submit").click()
    page.locator("#token-days-error:not([hidden])").wait_for()
    page.locator("#token-days").fill("30")
    page.get_by_label("Lesen und schreiben").check()
    page.locator("#token-submit").click()
    value = page.get_by_test_id("new-token")
    value.wait_for()
    token = value.input_value()
    assert len(token) > 20
    assert page.evaluate("document.activeElement.id") == "token-result"
    assert "nur dieses eine Mal" in page.get_by_test_id("token-result").text_content()
    assert page.get_by_role("button", name="Token kopieren").is_visible()
    row = page.get_by_test_id("token-row").filter(has_text="Auswertung Sozialbericht")
    row.wait_for()
    assert "Lesen und schreiben" in row.text_content()
    page.get_by_role("button", name="Fertig").click()
    assert page.get_by_test_id("new-token").count() == 0

    r = requests.get(f"{hub.base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert r.status_code == 200, r.text
    row.get_by_role("button", name=re.compile("Widerrufen")).click()
    page.get_by_test_id("token-row").filter(has_text="Auswertung Sozialbericht").wait_for(state="detached")
    r = requests.get(f"{hub.base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert r.status_code == 401


def test_english_account_page(open_page, make_user):
    person = make_user("English Test")
    page, _ = open_page(person, viewport="mobile", path="/#/account", lang="en")
    page.locator("#totp-start").wait_for()
    assert page.get_by_role("heading", level=1).text_content().strip() == "My account"
    assert page.get_by_role("button", name="Set up two-factor authentication").is_visible()
    page.get_by_test_id("session-row").first.wait_for()
    assert "This session" in page.get_by_test_id("session-row").first.text_content()


# ---------------------------------------------------------------- (b) invitations and members


def test_coordinator_invites_a_new_person_who_joins(open_page, api):
    wid = coordinated_workspace(api)
    ws = api(COORDINATOR).get(f"/api/v1/workspaces/{wid}").json()
    organization = create_organization(api, unique("Caritasverband"), "agency")
    page, probe = open_page(COORDINATOR, viewport="desktop", path=f"/#/workspaces/{wid}")
    page.locator("#invite-open").wait_for()
    wait_connected(page)
    email = f"neu-{uuid.uuid4().hex[:8]}@roundtable.example"
    page.get_by_role("button", name="Person einladen").click()
    dialog = page.get_by_test_id("member-dialog")
    dialog.wait_for()
    assert page.evaluate("document.activeElement.id") == "invite-email"
    dialog.get_by_label("E-Mail-Adresse").fill(email)
    dialog.get_by_label("Rolle").select_option("member")
    dialog.get_by_label("Organisation (freiwillig)").select_option(label=organization["name"])
    dialog.get_by_role("button", name="Einladung erstellen").click()
    link_field = page.get_by_test_id("invite-link")
    link_field.wait_for()
    result = page.get_by_test_id("invite-result")
    assert "Es ist kein Mailserver eingerichtet" in result.text_content()
    assert email in result.text_content()
    link = link_field.input_value()
    assert "/#/invitation/" in link
    dialog.get_by_role("button", name="Link kopieren").click()
    page.wait_for_function("() => /kopiert|Kopieren hat nicht/.test(document.querySelector('#announcer').textContent)")
    dialog.get_by_role("button", name="Schließen").click()
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "invite-open"
    pending = page.get_by_test_id("invitation-row").filter(has_text=email)
    pending.wait_for()

    # The invited person opens the link in a browser of their own.
    guest, guest_probe = open_page(None, viewport="mobile", path=invitation_path(link), wait_ready=False)
    guest.locator("#accept-name").wait_for()
    assert ws["name"] in guest.locator("#page-title").text_content()
    assert guest.locator("#accept-email").input_value() == email
    name = unique("Neue Person")
    guest.locator("#accept-name").fill(name)
    guest.locator("#accept-password").fill("Sonnenblume-Kanal-4711")
    guest.locator("#accept-password2").fill("Sonnenblume-Kanal-4712")
    guest.get_by_role("button", name="Konto anlegen und beitreten").click()
    guest.locator("#accept-password2-error:not([hidden])").wait_for()
    assert "stimmen nicht überein" in guest.locator("#accept-password2-error").text_content()
    guest.locator("#accept-password").fill("Sonnenblume-Kanal-4711")
    guest.locator("#accept-password2").fill("Sonnenblume-Kanal-4711")
    guest.get_by_role("button", name="Konto anlegen und beitreten").click()

    # Signed in, in the workspace, as a member.
    guest.wait_for_function("id => location.hash === '#/workspaces/' + id", arg=wid)
    guest.locator("#page-title", has_text=ws["name"]).wait_for()
    guest.get_by_text(f"Angemeldet als {name}").wait_for()
    member_row = guest.get_by_test_id("member-row").filter(has_text=name)
    member_row.wait_for()
    assert "Mitglied" in member_row.text_content()
    assert organization["name"] in member_row.text_content()
    assert guest.locator("#invite-open").count() == 0, "members do not invite"
    screenshot(guest, "identity-joined-mobile")

    # The coordinator's page: the person joins live, the invitation is no longer pending.
    page.get_by_test_id("member-row").filter(has_text=name).wait_for(timeout=5_000)
    page.get_by_test_id("invitation-row").filter(has_text=email).wait_for(state="detached", timeout=5_000)

    # The link is single use.
    again, _ = open_page(None, viewport="mobile", path=invitation_path(link), wait_ready=False)
    again.get_by_test_id("invitation-invalid").wait_for()
    assert "nicht mehr gültig" in again.locator("#page-title").text_content()
    assert probe.page_errors == [] and guest_probe.page_errors == []


def test_invitation_for_an_existing_account(open_page, make_user, api):
    person = make_user("Bestehendes Konto")
    wid = coordinated_workspace(api)
    r = api(COORDINATOR).post(f"/api/v1/workspaces/{wid}/invitations", {"email": person.email, "role": "observer"})
    assert r.status_code == 201, r.text
    link = r.json()["link"]
    page, _ = open_page(None, viewport="mobile", path=invitation_path(link), wait_ready=False)
    button = page.get_by_role("button", name=f"Als {person.email} anmelden")
    button.wait_for()
    button.click()
    page.locator("#signin-password").wait_for()
    assert page.locator("#signin-email").input_value() == person.email
    page.locator("#signin-password").fill(person.password)
    page.locator("#signin-submit").click()
    page.get_by_role("button", name="Einladung annehmen").click()
    page.wait_for_function("id => location.hash === '#/workspaces/' + id", arg=wid)
    page.get_by_test_id("member-row").filter(has_text=person.name).wait_for()
    assert "Beobachtung" in page.get_by_test_id("member-row").filter(has_text=person.name).text_content()


def test_coordinator_changes_a_role_and_removes_a_member(open_page, make_user, api):
    person = make_user("Rollenwechsel Test")
    wid = coordinated_workspace(api)
    r = api(COORDINATOR).http.put(api(COORDINATOR).url(f"/api/v1/workspaces/{wid}/members/{person.id}"), json={"role": "member", "organizationId": None}, timeout=10)
    assert r.status_code == 200, r.text
    organization = create_organization(api, unique("Gemeinde Beispielstadt"), "municipality")
    page, probe = open_page(COORDINATOR, viewport="mobile", path=f"/#/workspaces/{wid}")
    row = page.get_by_test_id("member-row").filter(has_text=person.name)
    row.wait_for()
    row.get_by_role("button", name=re.compile("Rolle ändern")).click()
    dialog = page.get_by_test_id("member-dialog")
    dialog.get_by_label("Rolle").select_option("observer")
    dialog.get_by_label("Organisation (freiwillig)").select_option(label=organization["name"])
    dialog.get_by_role("button", name="Speichern").click()
    page.wait_for_function("() => !document.querySelector('#member-dialog').open")
    page.wait_for_function("id => document.activeElement && document.activeElement.id === 'member-edit-' + id", arg=person.id)
    row.filter(has_text="Beobachtung").wait_for()
    assert organization["name"] in row.text_content()
    members = api(COORDINATOR).get(f"/api/v1/workspaces/{wid}/members").json()["items"]
    assert next(m for m in members if m["userId"] == person.id)["role"] == "observer"
    assert next(m for m in members if m["userId"] == person.id)["organizationId"] == organization["id"]

    row.get_by_role("button", name=re.compile("Entfernen")).click()
    dialog.get_by_role("button", name="Ja, entfernen").wait_for()
    assert page.evaluate("document.activeElement.id") == "dialog-cancel", "the safe choice has focus"
    assert_no_violations(page, "member-remove-dialog-mobile")
    dialog.get_by_role("button", name="Ja, entfernen").click()
    row.wait_for(state="detached")
    wait_announced(page, "entfernt")
    members = api(COORDINATOR).get(f"/api/v1/workspaces/{wid}/members").json()["items"]
    assert all(m["userId"] != person.id for m in members)
    assert probe.page_errors == []


def test_revoke_a_pending_invitation(open_page, api):
    wid = coordinated_workspace(api)
    email = f"zurueck-{uuid.uuid4().hex[:8]}@roundtable.example"
    r = api(COORDINATOR).post(f"/api/v1/workspaces/{wid}/invitations", {"email": email, "role": "member"})
    assert r.status_code == 201, r.text
    link = r.json()["link"]
    page, _ = open_page(COORDINATOR, viewport="desktop", path=f"/#/workspaces/{wid}")
    row = page.get_by_test_id("invitation-row").filter(has_text=email)
    row.get_by_role("button", name=re.compile("Zurückziehen")).click()
    row.wait_for(state="detached")
    wait_announced(page, "zurückgezogen")
    guest, _ = open_page(None, viewport="mobile", path=invitation_path(link), wait_ready=False)
    guest.get_by_test_id("invitation-invalid").wait_for()


def test_coordinator_sees_no_archive_button(open_page, api):
    """Only administrators may archive (the hub answers 403 to coordinators)."""
    wid = coordinated_workspace(api)
    page, _ = open_page(COORDINATOR, viewport="mobile", path=f"/#/workspaces/{wid}")
    page.locator("#edit-form").wait_for()
    page.locator("#invite-open").wait_for()
    assert page.get_by_role("button", name="Archivieren").count() == 0
    assert page.get_by_role("button", name="Wiederherstellen").count() == 0
    admin_page, _ = open_page(ADMIN, viewport="mobile", path=f"/#/workspaces/{wid}")
    admin_page.get_by_role("button", name="Archivieren").wait_for()
    assert admin_page.get_by_test_id("nav-admin").is_visible()
    assert page.get_by_test_id("nav-admin").count() == 0, "the Administration link is for administrators only"


# ---------------------------------------------------------------- (c) axe on the new states


@pytest.fixture(scope="module")
def totp_person(make_user, api):
    person = make_user("Axe Zwei Faktoren")
    phone, codes = enrol_totp(api(person))
    return person, phone


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_second_factor_step(open_page, totp_person, viewport):
    person, _ = totp_person
    page, _ = open_page(None, viewport=viewport, path="/#/signin")
    sign_in_through_form(page, person.email, person.password)
    page.get_by_test_id("second-factor-step").wait_for()
    assert_no_violations(page, f"second-factor-{viewport}")
    page.get_by_role("button", name="Wiederherstellungscode verwenden").click()
    page.locator("#signin-recovery").wait_for()
    assert_no_violations(page, f"second-factor-recovery-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_account_enrolment_and_recovery_codes(open_page, make_user, viewport):
    person = make_user(f"Axe Konto {viewport}")
    page, _ = open_page(person, viewport=viewport, path="/#/account")
    page.locator("#totp-start").wait_for()
    page.get_by_test_id("session-row").first.wait_for()
    assert_no_violations(page, f"account-{viewport}")
    page.locator("#totp-start").click()
    secret = shown_secret(page)
    assert_no_violations(page, f"account-enrolling-{viewport}")
    page.locator("#totp-code").fill(Authenticator(secret).code())
    page.locator("#totp-confirm").click()
    page.get_by_test_id("recovery-codes").wait_for()
    assert_no_violations(page, f"account-recovery-codes-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_invite_dialog(open_page, api, viewport):
    wid = coordinated_workspace(api)
    page, _ = open_page(COORDINATOR, viewport=viewport, path=f"/#/workspaces/{wid}")
    page.locator("#invite-open").click()
    page.locator("#invite-email").wait_for()
    assert_no_violations(page, f"invite-dialog-{viewport}")
    page.locator("#invite-email").fill("kein-at-zeichen")
    page.locator("#invite-submit").click()
    page.locator("#invite-errors:not([hidden])").wait_for()
    assert_no_violations(page, f"invite-dialog-errors-{viewport}")
    page.locator("#invite-email").fill(f"axe-{uuid.uuid4().hex[:8]}@roundtable.example")
    page.locator("#invite-submit").click()
    page.get_by_test_id("invite-link").wait_for()
    assert_no_violations(page, f"invite-dialog-link-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_accept_invitation_pages(open_page, api, viewport):
    wid = coordinated_workspace(api)
    r = api(COORDINATOR).post(f"/api/v1/workspaces/{wid}/invitations", {"email": f"axe-neu-{uuid.uuid4().hex[:8]}@roundtable.example", "role": "member"})
    assert r.status_code == 201, r.text
    page, _ = open_page(None, viewport=viewport, path=invitation_path(r.json()["link"]), wait_ready=False)
    page.locator("#accept-name").wait_for()
    assert_no_violations(page, f"invitation-new-account-{viewport}")
    page.locator("#accept-create-submit").click()
    page.locator("#accept-errors:not([hidden])").wait_for()
    assert_no_violations(page, f"invitation-new-account-errors-{viewport}")
    invalid, _ = open_page(None, viewport=viewport, path=f"/#/invitation/{uuid.uuid4().hex}", wait_ready=False)
    invalid.get_by_test_id("invitation-invalid").wait_for()
    assert_no_violations(invalid, f"invitation-invalid-{viewport}")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_admin_users_and_audit(open_page, viewport):
    page, _ = open_page(ADMIN, viewport=viewport, path="/#/admin")
    page.get_by_test_id("user-row").first.wait_for()
    assert_no_violations(page, f"admin-users-{viewport}")
    page.get_by_test_id("admin-audit-link").click()
    page.get_by_test_id("audit-row").first.wait_for()
    assert_no_violations(page, f"admin-audit-{viewport}")


# ---------------------------------------------------------------- (d) keyboard only


def test_invite_dialog_by_keyboard(open_page, api):
    wid = coordinated_workspace(api)
    organization = create_organization(api, unique("Tastaturverein"), "agency")
    page, probe = open_page(COORDINATOR, viewport="desktop", path=f"/#/workspaces/{wid}")
    page.locator("#invite-open").wait_for()
    page.get_by_test_id("member-list").wait_for()
    page.locator("#page-title").focus()

    tab_until(page, lambda f: f["id"] == "invite-open", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#member-dialog').open")
    assert focused(page)["id"] == "invite-email", "focus moves into the dialog"
    email = f"tastatur-{uuid.uuid4().hex[:8]}@roundtable.example"
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "invite-role"
    page.keyboard.type("Beob")  # type-ahead in the select: "Beobachtung"
    assert page.locator("#invite-role").input_value() == "observer"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "invite-org"
    # The list is loaded when the dialog opens; then type-ahead picks the organization.
    page.wait_for_function("id => [...document.querySelectorAll('#invite-org option')].some((o) => o.value === id)", arg=organization["id"])
    page.keyboard.type("Tastaturverein")  # the only one of that name in this hub
    assert page.locator("#invite-org").input_value() == organization["id"]
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "invite-submit"
    page.keyboard.press("Enter")

    page.get_by_test_id("invite-link").wait_for()
    assert focused(page)["id"] == "invite-result", "focus moves to the outcome"
    wait_announced(page, email)
    # Focus stays in the modal dialog while tabbing.
    for _ in range(8):
        page.keyboard.press("Tab")
        f = focused(page)
        assert f["inDialog"] or f["tag"] == "BODY", f
    tab_until(page, lambda f: f["id"] == "dialog-close", limit=10)
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('#member-dialog').open")
    page.wait_for_function("() => document.activeElement?.id === 'invite-open'", timeout=3_000)  # focus returns to the opener
    page.get_by_test_id("invitation-row").filter(has_text=email).wait_for()
    assert "Beobachtung" in page.get_by_test_id("invitation-row").filter(has_text=email).text_content()
    assert organization["name"] in page.get_by_test_id("invitation-row").filter(has_text=email).text_content()

    # Escape closes it too, and focus comes back.
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#member-dialog').open")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('#member-dialog').open")
    # Escape closes the dialog at once; focus comes back on its "close" event, a task later.
    page.wait_for_function("() => document.activeElement?.id === 'invite-open'", timeout=3_000)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "focus is visible"
    assert probe.dialogs == [] and probe.page_errors == []


def test_removed_member_is_told_at_once(open_page, api, make_user, identity_workspace):
    """A member looking at a workspace page who is removed sees it happen, without a reload."""
    person = make_user()
    page, probe = open_page((person.email, person.password), viewport="mobile", path=f"/#/workspaces/{identity_workspace['id']}")
    wait_connected(page)
    page.evaluate("window.__removalMarker = 42")
    admin = api(ADMIN)
    r = admin.http.delete(admin.url(f"/api/v1/workspaces/{identity_workspace['id']}/members/{person.id}"), timeout=10)
    assert r.status_code == 204, r.text
    import time
    deadline = time.time() + 10
    while not any("nicht mehr an" in text for text in page.locator("[aria-live]").all_text_contents()):
        assert time.time() < deadline, "no notice that the membership ended"
        page.wait_for_timeout(100)
    assert page.evaluate("window.__removalMarker") == 42, "no page reload"
    screenshot(page, "member-removed-notice-mobile")
    assert probe.page_errors == []
