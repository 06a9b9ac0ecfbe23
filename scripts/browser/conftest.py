"""Fixtures for the browser tests of the Roundtable web client.

* `hub`: starts `roundtable serve --demo` on a free loopback port with a fresh data
  directory, waits for GET /readyz, and stops it afterwards (one hub per test session).
* `browser`: Debian's /usr/bin/chromium driven by Playwright (never `playwright install`).
* `open_page`: a factory for pages in fresh browser contexts, optionally signed in (the
  session cookie of one API login per user is copied into the context, which keeps the
  number of logins low so the hub's login rate limit is not hit).
* `api`: a factory for plain `requests` clients signed in through the API.

Every page records console errors, page errors, dialogs and CSP violations; tests can
assert on them. Screenshots go to test-artifacts/ (gitignored).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from playwright.sync_api import sync_playwright, Page, BrowserContext

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ROUNDTABLE_CHROMIUM", "/usr/bin/chromium")

ADMIN = ("admin@roundtable.example", "demo-admin-passwort")
COORDINATOR = ("koordination@roundtable.example", "demo-koordination")
MEMBER = ("mitglied@roundtable.example", "demo-mitglied")

VIEWPORTS = {"mobile": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 800}}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def hub(tmp_path_factory, artifacts) -> Hub:
    binary = Path(os.environ.get("ROUNDTABLE_BIN", ROOT / ".build" / "debug" / "roundtable"))
    if not binary.is_absolute():
        binary = ROOT / binary
    if not binary.exists():
        pytest.fail(f"hub binary not found: {binary} (set ROUNDTABLE_BIN)")
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("hub-data")
    log_path = artifacts / "hub.log"
    log = open(log_path, "wb")
    # The harness's own variables are not the hub's configuration.
    env = {k: v for k, v in os.environ.items() if k not in ("ROUNDTABLE_BIN", "ROUNDTABLE_CHROMIUM")}
    env.setdefault("ROUNDTABLE_WEB_ROOT", str(ROOT / "Web"))
    process = subprocess.Popen(
        [str(binary), "serve", "--demo", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    hub = Hub(base_url=base_url, process=process, log_path=log_path)
    deadline = time.monotonic() + 60
    ready = False
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            pytest.fail(f"hub exited early with {process.returncode}:\n{hub.log_tail()}")
        try:
            if requests.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                ready = True
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    if not ready:
        _stop(process)
        log.close()
        pytest.fail(f"hub did not become ready within 60 s:\n{hub.log_tail()}")
    yield hub
    _stop(process)
    log.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class ApiClient:
    """A signed-in API client (cookie and bearer token), as a second user or tab would be."""

    def __init__(self, base_url: str, email: str, password: str):
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers.update({"Accept": "application/json", "Origin": base_url})
        r = self.http.post(f"{base_url}/api/v1/session", json={"email": email, "password": password}, timeout=10)
        assert r.status_code == 200, f"login {email}: {r.status_code} {r.text}"
        body = r.json()
        self.user = body["user"]
        self.token = body.get("token")
        if self.token:
            self.http.headers["Authorization"] = f"Bearer {self.token}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def get(self, path: str, **kw):
        return self.http.get(self.url(path), timeout=10, **kw)

    def post(self, path: str, body=None, **kw):
        return self.http.post(self.url(path), json=body, timeout=10, **kw)

    def patch(self, path: str, body=None, **kw):
        return self.http.patch(self.url(path), json=body, timeout=10, **kw)

    def policy_fields(self) -> list[dict]:
        r = self.get("/api/v1/policy-fields")
        assert r.status_code == 200, r.text
        return r.json()["items"]

    def workspaces(self) -> list[dict]:
        r = self.get("/api/v1/workspaces")
        assert r.status_code == 200, r.text
        return r.json()["items"]

    def create_workspace(self, name: str, kind: str = "focusGroup", description: str = "", **extra) -> dict:
        fields = self.policy_fields()
        body = {
            "kind": kind,
            "name": name,
            "description": description,
            "policyFieldIds": [fields[0]["id"]] if fields else [],
            "endsOn": "2099-12-31" if kind == "taskForce" else None,
        }
        body.update(extra)
        r = self.post("/api/v1/workspaces", body)
        assert r.status_code == 201, f"create workspace: {r.status_code} {r.text}"
        return r.json()

    def cookies_for_browser(self) -> list[dict]:
        return [
            {"name": c.name, "value": c.value, "url": self.base_url, "httpOnly": True, "sameSite": "Lax"}
            for c in self.http.cookies
        ]


@pytest.fixture(scope="session")
def api(hub):
    """api(user=ADMIN) → a signed-in client; one login per user per session."""
    clients: dict[str, ApiClient] = {}

    def get(user=ADMIN) -> ApiClient:
        if user[0] not in clients:
            clients[user[0]] = ApiClient(hub.base_url, user[0], user[1])
        return clients[user[0]]

    return get


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run scripts/browser/setup.sh")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    )
    yield browser
    browser.close()


@dataclass
class PageProbe:
    """What a page did that a test may want to assert on."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def csp_violations(self, page: Page) -> list[dict]:
        return page.evaluate("() => window.__cspViolations || []")


# Runs before any page script (Playwright injects it through the DevTools protocol, so
# the page's CSP does not apply to it). Enables the test hooks and records CSP violations.
INIT_SCRIPT = """
(() => {
  try { if (%(debug)s) localStorage.setItem('debug', '1'); %(lang)s } catch (e) {}
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
})();
"""


@pytest.fixture
def open_page(browser, hub, api, artifacts):
    """open_page(user=ADMIN|None, viewport='mobile'|'desktop', path='/#/', lang=None, debug=True) → (page, probe)."""
    contexts: list[BrowserContext] = []
    opened: list[tuple[Page, PageProbe]] = []

    def open_(user=ADMIN, viewport="desktop", path="/#/", lang=None, debug=True, wait_ready=True):
        context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=hub.base_url, locale="de-DE")
        contexts.append(context)
        context.set_default_timeout(10_000)
        lang_js = f"localStorage.setItem('roundtable.lang', {json.dumps(lang)});" if lang else ""
        context.add_init_script(INIT_SCRIPT % {"debug": "true" if debug else "false", "lang": lang_js})
        if user is not None:
            context.add_cookies(api(user).cookies_for_browser())
        page = context.new_page()
        probe = PageProbe()
        page.on("console", lambda m: probe.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: probe.page_errors.append(str(e)))

        def on_dialog(d):
            probe.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", on_dialog)
        opened.append((page, probe))
        page.goto(path)
        if wait_ready:
            if user is None:
                page.get_by_label("E-Mail-Adresse" if lang != "en" else "Email address").wait_for()
            else:
                page.locator('[data-testid="workspace-list"], #page-title').first.wait_for()
        return page, probe

    yield open_
    problems = []
    for page, probe in opened:
        if page.is_closed():
            continue
        try:
            violations = probe.csp_violations(page)
        except Exception:  # page navigated away or crashed; nothing to read
            violations = []
        if violations:
            problems.append(f"CSP violations on {page.url}: {violations}")
        if probe.page_errors:
            problems.append(f"uncaught errors on {page.url}: {probe.page_errors}")
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("\n".join(problems))


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def wait_connected(page: Page, timeout: float = 10_000) -> None:
    page.locator('[data-testid="connection-status"][data-state="open"]').wait_for(timeout=timeout)


def rows_named(page: Page, name: str):
    return page.locator('[data-testid="workspace-row"]').filter(has=page.get_by_role("link", name=name, exact=True))


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# ---------------------------------------------------------------- identity helpers

import base64
import hashlib
import hmac
import struct
from typing import NamedTuple
from urllib.parse import urlparse


def totp_code(secret: str, step: int, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1, 30 s steps) for one time step, computed here, not by the hub."""
    clean = secret.replace(" ", "").upper()
    key = base64.b32decode(clean + "=" * (-len(clean) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return f"{value:0{digits}d}"


def totp_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // 30)


class Authenticator:
    """A phone app for one secret. The hub accepts the current step and one either side, but
    never a step at or below the last one used (replay), so each code is for a fresh step.
    Codes are for the current step or the next one, never the previous: a code for the
    previous step turns invalid if a 30-second boundary passes before the hub checks it (that
    made the enrolment test fail now and then)."""

    def __init__(self, secret: str):
        self.secret = secret.replace(" ", "").upper()
        self.last_step = -1

    def code(self) -> str:
        while True:
            now = totp_step()
            for step in (now, now + 1):
                if step > self.last_step:
                    self.last_step = step
                    return totp_code(self.secret, step)
            time.sleep(0.5)

    def wrong_code(self) -> str:
        """Six digits that match none of the steps the hub would accept now."""
        now = totp_step()
        valid = {totp_code(self.secret, s) for s in range(now - 2, now + 3)}
        for candidate in ("000000", "111111", "123456", "654321", "999999"):
            if candidate not in valid:
                return candidate
        raise AssertionError("no wrong code found")


class NewUser(NamedTuple):
    """A person created for one test (usable wherever a (email, password) tuple is)."""

    email: str
    password: str
    id: str
    name: str


def invitation_path(link: str) -> str:
    """/#/invitation/<token> from an absolute or relative invitation link."""
    parsed = urlparse(link)
    assert parsed.fragment.startswith("/invitation/"), link
    return f"/#{parsed.fragment}"


def invitation_token(link: str) -> str:
    return urlparse(link).fragment.split("/invitation/", 1)[1]


@pytest.fixture(scope="session")
def identity_workspace(api):
    """A workspace of the demo admin where people made for tests are invited first."""
    return api(ADMIN).create_workspace(unique("Identität Testpersonen"))


@pytest.fixture(scope="session")
def make_user(hub, api, identity_workspace):
    """make_user(name=None, admin=False, steering=False) → NewUser: invited by the demo
    admin and signed up through POST /api/v1/invitations/{token}/accept."""

    def make(name: str | None = None, admin: bool = False, steering: bool = False) -> NewUser:
        tag = uuid.uuid4().hex[:10]
        email = f"person-{tag}@roundtable.example"
        password = f"Kanal-Sonne-{uuid.uuid4().hex[:8]}-Wiese"
        display = name or f"Testperson {tag[:6]}"
        admin_client = api(ADMIN)
        r = admin_client.post(f"/api/v1/workspaces/{identity_workspace['id']}/invitations", {"email": email, "role": "member"})
        assert r.status_code == 201, f"invite {email}: {r.status_code} {r.text}"
        link = r.json().get("link")
        assert link, f"the demo hub should answer delivery 'link': {r.text}"
        anon = requests.Session()
        anon.headers.update({"Accept": "application/json", "Origin": hub.base_url})
        r = anon.post(f"{hub.base_url}/api/v1/invitations/{invitation_token(link)}/accept", json={"displayName": display, "password": password}, timeout=10)
        assert r.status_code == 200, f"accept {email}: {r.status_code} {r.text}"
        user = r.json()["user"]
        flags = {k: v for k, v in (("isAdmin", admin), ("isSteering", steering)) if v}
        if flags:
            r = admin_client.patch(f"/api/v1/users/{user['id']}", flags)
            if r.status_code == 403 and "secondFactorRequired" in r.text:
                pytest.skip("this hub requires the demo admin to have a second factor before changing roles")
            assert r.status_code == 200, f"patch {email}: {r.status_code} {r.text}"
        return NewUser(email, password, user["id"], display)

    return make


def enrol_totp(client: "ApiClient") -> tuple[Authenticator, list[str]]:
    """Switches TOTP on for a signed-in API client; returns the 'phone' and the recovery codes."""
    r = client.post("/api/v1/me/totp", {})
    assert r.status_code == 200, r.text
    phone = Authenticator(r.json()["secret"])
    r = client.post("/api/v1/me/totp/confirm", {"code": phone.code()})
    assert r.status_code == 200, r.text
    codes = r.json()["recoveryCodes"]
    assert len(codes) == 10, codes
    return phone, codes


def focused(page: Page) -> dict | None:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return el ? { tag: el.tagName, id: el.id, text: (el.textContent || '').trim(), type: el.type || '',
                        inDialog: Boolean(el.closest('dialog[open]')) } : null;
        }"""
    )


def tab_until(page: Page, predicate, limit: int = 80, key: str = "Tab") -> dict:
    for _ in range(limit):
        page.keyboard.press(key)
        f = focused(page)
        if f and predicate(f):
            return f
    raise AssertionError(f"never reached the element; last focus: {focused(page)}")


def sign_in_through_form(page: Page, email: str, password: str) -> None:
    page.locator("#signin-email").fill(email)
    page.locator("#signin-password").fill(password)
    page.locator("#signin-submit").click()


def coordinated_workspace(api) -> str:
    """A workspace the demo coordinator coordinates (from the demo data)."""
    me = api(COORDINATOR).get("/api/v1/me").json()
    ids = [m["workspaceId"] for m in me.get("memberships", []) if m["role"] == "coordinator"]
    assert ids, f"the demo coordinator should coordinate a workspace: {me}"
    for wid in ids:
        ws = api(COORDINATOR).get(f"/api/v1/workspaces/{wid}").json()
        if not ws.get("archived"):
            return wid
    return ids[0]


def create_organization(api, name: str, kind: str = "other") -> dict:
    """An organization made by the demo admin over the API (names are unique, ignoring case)."""
    r = api(ADMIN).post("/api/v1/organizations", {"name": name, "kind": kind})
    assert r.status_code == 201, f"create organization {name!r}: {r.status_code} {r.text}"
    return r.json()
