"""Meetings in the browser (issue 4): the planner from a template up to the invitation, the
agenda reordered by keyboard, buttons and drag and drop, two people in the live meeting view
(one advances the agenda and writes minutes, the other sees it without reload), a concurrent
edit of the same minutes section merged without losing text, the approval flow, the action
list, the RSVP page from an e-mail link without signing in, the template admin, axe-core on
every page state at 360 and 1280 px, keyboard only, and English without German leaking."""
import os
import re
import subprocess
import time

import pytest
import requests

from conftest import ADMIN, CHROMIUM, COORDINATOR, MEMBER, VIEWPORTS, focused, screenshot, tab_until, unique, wait_connected, _free_port, _stop
from mt_helpers import (SMTPSink, add_item, agenda, attend, create_meeting, demo_meeting, detail, german_messages, in_days, live,
                        minutes, save_section, soon, user_id)
from rec_helpers import MD_PAYLOAD, PAYLOAD, assert_no_violations, no_script_elements, workspace_id


def open_meeting(open_page, meeting_id, user=COORDINATOR, tab="", viewport="desktop", lang=None):
    suffix = f"/{tab}" if tab else ""
    page, probe = open_page(user, viewport=viewport, path=f"/#/meetings/{meeting_id}{suffix}", lang=lang, wait_ready=False)
    page.get_by_test_id(f"mt-tab-{tab or 'overview'}").wait_for()
    page.locator("#mt-body .loading").wait_for(state="detached")
    return page, probe


def numbers(page) -> list[str]:
    return [x.strip() for x in page.locator('[data-testid="mt-agenda-item"] .mt-number').all_text_contents()]


def titles(page) -> list[str]:
    return [x.strip() for x in page.locator('[data-testid="mt-agenda-item"] .mt-title').all_text_contents()]


# ---------------------------------------------------------------- planner → invitation

def test_planner_from_template_to_invitation(open_page, api):
    page, probe = open_page(COORDINATOR, viewport="mobile", path=f"/#/workspaces/{workspace_id(api)}", wait_ready=False)
    page.get_by_test_id("detail-meetings-link").click()
    page.get_by_role("heading", name="Neue Sitzung planen").wait_for()
    page.locator("#mt-plan-template option").nth(1).wait_for(state="attached")

    # Submitting empty explains every missing field in a summary and next to the fields.
    page.get_by_role("button", name="Sitzung anlegen").click()
    page.locator(".error-summary").wait_for()
    assert page.locator("#mt-plan-template").get_attribute("aria-invalid") == "true"
    assert "Bitte wählen Sie eine Vorlage." in page.locator(".error-summary").text_content()

    title = unique("Planungssitzung")
    start, end = in_days(10)
    page.get_by_label("Vorlage").select_option(label="Sitzung einer Fokusgruppe (Version 1)")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Datum").fill(start[:10])
    page.get_by_label("Beginn (Uhrzeit in Berlin)").fill("17:00")
    page.get_by_label("Ende (Uhrzeit in Berlin)").fill("19:00")
    page.get_by_label("Ort").fill("Kreishaus, Sitzungsraum 2")
    page.get_by_label("Gäste (E-Mail-Adressen, eine pro Zeile)").fill("gast@example.org")
    page.get_by_role("button", name="Sitzung anlegen").click()

    # The meeting page: the template's standard agenda, then an item of our own.
    page.get_by_role("heading", name=title, level=1).wait_for()
    assert "geplant" in page.get_by_test_id("mt-status").first.text_content()
    assert numbers(page)[:2] == ["1", "2"]
    page.get_by_label("Titel des Punkts").fill("Radverkehr im Kreis")
    page.get_by_role("button", name="Hinzufügen", exact=True).click()
    page.locator('[data-testid="mt-agenda-item"]', has_text="Radverkehr im Kreis").wait_for()
    meeting_id = page.url.split("/meetings/")[1]
    assert any(x["title"] == "Radverkehr im Kreis" and x.get("parentId") for x in agenda(api, meeting_id)["items"])

    page.get_by_role("button", name="Einladung verschicken").click()
    page.get_by_test_id("mt-status").filter(has_text="eingeladen").wait_for()
    d = detail(api, meeting_id)
    assert d["meeting"]["status"] == "invited"
    assert {i["key"] for i in d["invitees"]} >= {f"member:{user_id(api, MEMBER)}", "guest:gast@example.org"}

    # The member answers in the UI; the coordinator's count follows.
    member, _ = open_meeting(open_page, meeting_id, MEMBER, viewport="mobile")
    member.get_by_role("button", name="Zusage").click()
    member.get_by_role("button", name="Zusage").and_(member.locator('[aria-pressed="true"]')).wait_for()
    assert detail(api, meeting_id, MEMBER)["myResponse"] == "accepted"
    assert "1 Zusagen" in member.get_by_test_id("mt-tally").text_content()
    screenshot(page, "mt-planned-invited-mobile")


# ---------------------------------------------------------------- agenda reorder

def test_agenda_reorder_by_keyboard_buttons_and_drag(open_page, api):
    m = create_meeting(api, unique("Reihenfolge"))
    for name in ("Alpha", "Beta", "Gamma"):
        add_item(api, m["id"], name)
    page, _ = open_meeting(open_page, m["id"])
    assert titles(page)[4:7] == ["Alpha", "Beta", "Gamma"]
    start_numbers = numbers(page)[4:7]

    # Keyboard: focus Gamma, Alt+↑ twice → first among the topics; focus stays on it.
    grab = page.get_by_role("button", name=f"{start_numbers[2]} Gamma", exact=True)
    grab.focus()
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_function("() => [...document.querySelectorAll('.mt-title')].map(e => e.textContent).join(',').includes('Alpha,Gamma,Beta')")
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_function("() => [...document.querySelectorAll('.mt-title')].map(e => e.textContent).join(',').includes('Gamma,Alpha,Beta')")
    assert focused(page)["id"].startswith("ag-grab-")
    assert "Gamma" in focused(page)["text"]
    # Alt+→ indents Alpha into Gamma ("x.1.1"), Alt+← brings it back.
    page.locator(".mt-grab", has_text="Alpha").focus()
    page.keyboard.press("Alt+ArrowRight")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=mt-agenda-item]')].some(li => li.textContent.includes('Alpha') && /\\d+\\.1\\.1/.test(li.querySelector('.mt-number').textContent))")
    page.keyboard.press("Alt+ArrowLeft")
    server = [x["title"] for x in agenda(api, m["id"])["items"]]
    assert server.index("Gamma") < server.index("Beta")

    # A standard item cannot be moved: it has no move controls (only "edit", for its duration).
    welcome = page.locator('[data-testid="mt-agenda-item"]', has_text="Begrüßung")
    assert welcome.locator("[data-edit], [data-grab]").count() == 0
    assert welcome.locator("button").all_text_contents() == ["Bearbeiten"]

    # Buttons: Beta up.
    page.wait_for_function("() => !document.querySelector('[data-testid=mt-agenda-item] .mt-number')?.textContent.includes('.1.1')")
    # By the end of its name: the number in front may change under a late live redraw.
    page.get_by_role("button", name=re.compile(r"^[\d.]+ Beta nach oben$")).click()
    page.wait_for_function("() => [...document.querySelectorAll('.mt-title')].map(e => e.textContent).join(',').includes('Beta,Alpha')")

    # Drag and drop: Gamma after Alpha.
    alpha = page.locator('[data-testid="mt-agenda-item"]', has_text="Alpha")
    box = settled_box(page, alpha)
    page.locator('[data-testid="mt-agenda-item"]', has_text="Gamma").drag_to(alpha, target_position={"x": 20, "y": box["height"] - 4})
    page.wait_for_function("() => [...document.querySelectorAll('.mt-title')].map(e => e.textContent).join(',').includes('Beta,Alpha,Gamma')")
    server = [x["title"] for x in agenda(api, m["id"])["items"]]
    assert server.index("Beta") < server.index("Alpha") < server.index("Gamma")


def wait_quiet(page, selector, quiet_ms=600, timeout_ms=8000):
    """Waits until the element's subtree has not changed for `quiet_ms` (live redraws done)."""
    page.evaluate("""([selector, quietMs, timeoutMs]) => new Promise((resolve, reject) => {
        const el = document.querySelector(selector);
        if (!el) return reject(new Error('no ' + selector));
        let timer = setTimeout(done, quietMs);
        const limit = setTimeout(() => { observer.disconnect(); reject(new Error(selector + ' kept changing')); }, timeoutMs);
        const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quietMs); });
        observer.observe(el, { childList: true, subtree: true, characterData: true });
        function done() { observer.disconnect(); clearTimeout(limit); resolve(); }
    })""", [selector, quiet_ms, timeout_ms])


def settled_box(page, locator, timeout=5.0):
    """The element's box once it stays put: a live redraw (the answer, then the event of the
    same change) may replace the list between finding the element and measuring it."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        box = locator.bounding_box()
        if box is not None and box == last:
            return box
        last = box
        page.wait_for_timeout(100)
    raise AssertionError(f"{locator} did not settle: {last}")


# ---------------------------------------------------------------- live, two contexts

def test_live_meeting_two_people_see_agenda_and_minutes_without_reload(open_page, api):
    m = create_meeting(api, unique("Live-Sitzung"), when=soon())
    add_item(api, m["id"], "Sprachförderung")
    add_item(api, m["id"], "Kurzpunkt", minutes=0)
    chair, _ = open_meeting(open_page, m["id"], COORDINATOR, tab="live", viewport="desktop")
    member, _ = open_meeting(open_page, m["id"], MEMBER, tab="live", viewport="mobile")
    wait_connected(chair)
    wait_connected(member)
    time.sleep(0.5)  # both subscribed
    member.get_by_test_id("mt-not-started").wait_for()

    chair.get_by_role("button", name="Sitzung beginnen").click()
    member.get_by_test_id("mt-current-item").filter(has_text="Begrüßung").wait_for(timeout=5_000)
    member.wait_for_function("() => /\\d:\\d\\d/.test(document.querySelector('#mt-countdown')?.textContent ?? '')")
    before = member.locator("#mt-countdown").text_content()
    # The countdown ticks locally (no server message): it changes within a few seconds even on a loaded machine.
    member.wait_for_function("(before) => (document.querySelector('#mt-countdown')?.textContent ?? before) !== before", arg=before, timeout=5_000)
    assert member.get_by_test_id("mt-agenda").locator('[aria-current="step"]').count() == 1

    chair.get_by_role("button", name="Nächster Punkt").click()
    member.get_by_test_id("mt-current-item").filter(has_text="2").wait_for(timeout=5_000)
    current = agenda(api, m["id"])["live"]["currentItemId"]
    assert member.locator(f'[data-testid="mt-agenda-item"][data-id="{current}"]').get_attribute("aria-current") == "step"

    # The chair writes notes on the current item; the member's (untouched) editor follows.
    chair.locator('[data-testid="mn-notes"]').fill("Protokoll der letzten Sitzung ohne Änderungen genehmigt.")
    chair.get_by_role("button", name="Abschnitt speichern").first.click()
    member.wait_for_function("() => document.querySelector('[data-testid=mn-notes]')?.value.includes('ohne Änderungen genehmigt')", timeout=5_000)
    assert minutes(api, m["id"])["notes"][current]["text"].startswith("Protokoll der letzten")

    # A draft survives switching the language (and back).
    member.locator('[data-testid="mn-notes"]').fill("Entwurf, noch nicht gespeichert")
    member.locator("#lang-toggle").click()
    member.get_by_role("button", name="Save section").first.wait_for()
    assert member.locator('[data-testid="mn-notes"]').input_value() == "Entwurf, noch nicht gespeichert"
    member.locator("#lang-toggle").click()
    member.get_by_role("button", name="Abschnitt speichern").first.wait_for()
    assert member.locator('[data-testid="mn-notes"]').input_value() == "Entwurf, noch nicht gespeichert"

    # Attendance: the chair records the member as present, with consent to be named.
    member_key = f"member:{user_id(api, MEMBER)}"
    chair.locator(f'select[data-attendance="{member_key}"]').select_option("present")
    consent = chair.locator(f'input[data-consent="{member_key}"]')
    consent.wait_for()
    consent.check()
    chair.wait_for_function("() => document.querySelector('#announcer')?.textContent.includes('Einwilligung')")
    entry = next(a for a in minutes(api, m["id"])["attendance"] if a["value"]["person"] == member_key)
    assert entry["value"]["status"] == "present" and entry["value"]["publicationConsent"] is True
    member.locator(f'select[data-attendance="{member_key}"] option[value="present"]:checked').wait_for(state="attached", timeout=5_000)

    # An item planned with 0 minutes is over at once: both show the overrun, counting up.
    zero = next(x["id"] for x in agenda(api, m["id"])["items"] if x["title"] == "Kurzpunkt")
    live(api, m["id"], "goTo", itemId=zero)
    for page in (chair, member):
        page.locator('#mt-countdown[data-overrun="true"]').wait_for(timeout=5_000)
        assert page.locator("#mt-countdown").text_content().startswith("+0:0")
        assert page.locator("#mt-timer-label").text_content() == "Überzogen"
    # Extending gives the item time again (from now, as it was overrun).
    chair.get_by_role("button", name="5 Minuten verlängern").click()
    member.locator('#mt-countdown[data-overrun="false"]').wait_for(timeout=5_000)
    assert member.locator("#mt-countdown").text_content() in ("5:00", "4:59", "4:58")
    screenshot(member, "mt-live-member-mobile")
    screenshot(chair, "mt-live-chair-desktop")


def test_concurrent_edit_of_one_section_merges_without_losing_text(open_page, api):
    m = create_meeting(api, unique("Gleichzeitig"), when=soon())
    item = add_item(api, m["id"], "Wohnen")["items"][-1]
    live(api, m["id"], "start")
    chair, _ = open_meeting(open_page, m["id"], COORDINATOR, tab="live")
    member, _ = open_meeting(open_page, m["id"], MEMBER, tab="live", viewport="mobile")
    wait_connected(member)
    notes_id = next(x["id"] for x in agenda(api, m["id"])["items"] if x["title"] == "Wohnen")
    for page in (chair, member):
        page.locator("#mn-item").select_option(notes_id)
    member.locator('[data-testid="mn-notes"]').fill("Meine Zeile vom Mitglied")
    chair.locator('[data-testid="mn-notes"]').fill("Zeile der Koordination")
    chair.get_by_role("button", name="Abschnitt speichern").first.click()
    member.get_by_text("Dieser Abschnitt wurde inzwischen von anderen geändert").wait_for(timeout=5_000)
    # The member's text was kept while the other save arrived.
    assert member.locator('[data-testid="mn-notes"]').input_value() == "Meine Zeile vom Mitglied"
    member.get_by_role("button", name="Abschnitt speichern").first.click()
    merge = member.get_by_test_id("mt-merge")
    merge.wait_for()
    assert "Zeile der Koordination" in merge.get_by_test_id("mt-merge-theirs").text_content()
    assert "Meine Zeile vom Mitglied" in merge.get_by_test_id("mt-merge-mine").text_content()
    assert_no_violations(member, "mt-merge-mobile")
    member.get_by_role("button", name="Zusammengeführt speichern").click()
    member.locator('[data-testid="mt-merge"]').wait_for(state="detached")
    text = minutes(api, m["id"])["notes"][notes_id]["text"]
    assert "Zeile der Koordination" in text and "Meine Zeile vom Mitglied" in text, text
    chair.wait_for_function("() => document.querySelector('[data-testid=mn-notes]')?.value.includes('Meine Zeile vom Mitglied')", timeout=5_000)


# ---------------------------------------------------------------- approval

def test_approval_flow_circulate_object_answer_and_publish(open_page, api):
    m = create_meeting(api, unique("Genehmigung"), when=soon())
    live(api, m["id"], "start")
    live(api, m["id"], "finish")
    attend(api, m["id"], COORDINATOR)
    attend(api, m["id"], MEMBER)
    save_section(api, m["id"], {"kind": "openPoints", "baseVersion": 0, "text": "Nächster Termin offen."})

    chair, _ = open_meeting(open_page, m["id"], COORDINATOR, tab="minutes", viewport="mobile")
    assert "Entwurf" in chair.get_by_test_id("mt-stage").text_content()
    assert_no_violations(chair, "mt-approval-draft-mobile")
    chair.get_by_role("button", name="Zur Genehmigung versenden").click()
    chair.get_by_test_id("mt-stage").filter(has_text="zur Genehmigung versandt").wait_for()
    # Before the deadline there is no approving; the reason is said.
    assert "nach Ablauf der Einwandsfrist" in chair.locator("#mn-approve-why").text_content()

    member, _ = open_meeting(open_page, m["id"], MEMBER, tab="minutes", viewport="desktop")
    member.get_by_label("Einwand erheben").fill("Unter Offene Punkte fehlt der Haushalt.")
    member.get_by_role("button", name="Einwand einreichen").click()
    member.get_by_test_id("mt-objection").filter(has_text="fehlt der Haushalt").wait_for()
    assert_no_violations(member, "mt-approval-objection-desktop")

    chair.reload()
    objection = chair.get_by_test_id("mt-objection").filter(has_text="fehlt der Haushalt")
    objection.wait_for()
    objection.get_by_label("Antwort").fill("Ergänzt.")
    objection.get_by_label("Ergebnis").select_option("accepted")
    objection.get_by_role("button", name="Antwort speichern").click()
    chair.get_by_test_id("mt-objection").filter(has_text="beantwortet").wait_for()
    assert_no_violations(chair, "mt-approval-answered-mobile")
    mins = minutes(api, m["id"])
    assert mins["approval"]["stage"] == "circulated"
    assert mins["objections"][0]["answer"]["resolution"] == "accepted"

    # The demo's earlier meeting is approved (deemed, after its deadline): publish it.
    approved = demo_meeting(api, "Sitzung 2")
    page, _ = open_meeting(open_page, approved["id"], COORDINATOR, tab="minutes")
    if approved["status"] == "minutesApproved":
        assert "Prüfsumme" in page.get_by_test_id("mt-approval").text_content()
        assert_no_violations(page, "mt-approval-approved-desktop")
        page.get_by_role("button", name="Öffentlichen Teil veröffentlichen").click()
        page.get_by_role("link", name="Veröffentlichtes Protokoll (HTML)").wait_for()
    assert detail(api, approved["id"])["meeting"]["status"] == "published"


# ---------------------------------------------------------------- action list

def test_action_list_marks_overdue_and_status_changes(open_page, api):
    page, _ = open_page(COORDINATOR, viewport="mobile", path=f"/#/workspaces/{workspace_id(api)}/actions", wait_ready=False)
    entry = page.get_by_test_id("ai-entry").filter(has_text="Kosten je Standort")
    entry.wait_for()
    assert entry.get_attribute("data-overdue") == "true"
    assert "überfällig" in entry.text_content()
    assert_no_violations(page, "mt-actions-mobile")
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert_no_violations(page, "mt-actions-desktop")


# ---------------------------------------------------------------- RSVP without an account

@pytest.fixture(scope="module")
def mail_hub(tmp_path_factory, artifacts):
    """A second hub (demo data) that sends its mail to a local SMTP sink, for the RSVP links."""
    binary = os.environ.get("ROUNDTABLE_BIN")
    if not binary:
        pytest.skip("ROUNDTABLE_BIN not set")
    sink = SMTPSink()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("ROUNDTABLE_BIN", "ROUNDTABLE_CHROMIUM")}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    base = f"http://127.0.0.1:{port}"
    env.update({"ROUNDTABLE_WEB_ROOT": os.path.join(root, "Web"), "ROUNDTABLE_SMTP_HOST": "127.0.0.1", "ROUNDTABLE_SMTP_PORT": str(sink.port),
                "ROUNDTABLE_SMTP_SECURITY": "none", "ROUNDTABLE_SMTP_FROM": "hub@roundtable.example", "ROUNDTABLE_PUBLIC_ORIGIN": base})
    log = open(artifacts / "hub-mail.log", "wb")
    process = subprocess.Popen([binary, "serve", "--demo", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(tmp_path_factory.mktemp("mail-hub"))],
                               stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/readyz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    yield base, sink
    _stop(process)
    log.close()
    sink.shutdown()


def test_rsvp_page_from_the_mail_link_without_signing_in(browser, mail_hub):
    from conftest import ApiClient
    base, sink = mail_hub
    coordinator = ApiClient(base, *COORDINATOR)
    api_local = lambda user=COORDINATOR: coordinator  # noqa: E731  (one user is enough here)
    m = create_meeting(api_local, unique("RSVP-Sitzung"), guests=["gast.rsvp@example.org"])
    r = coordinator.post(f"/api/v1/meetings/{m['id']}/invite", None, headers={"If-Match": f'"v{m["version"]}"'})
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not sink.rsvp_links():
        time.sleep(0.2)
    links = sink.rsvp_links()
    assert links, f"no RSVP link in {len(sink.messages)} mails"

    for viewport in ("mobile", "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=base, locale="de-DE")
        page = context.new_page()
        page.goto("/" + links[-1])
        page.get_by_test_id("rsvp-title").wait_for()
        assert "RSVP-Sitzung" in page.get_by_test_id("rsvp-title").text_content()
        assert_no_violations(page, f"mt-rsvp-{viewport}")
        page.get_by_role("button", name="Vielleicht").click()
        page.get_by_test_id("rsvp-current").filter(has_text="Vielleicht").wait_for()
        assert page.locator("#rsvp-tentative").get_attribute("aria-pressed") == "true"
        assert_no_violations(page, f"mt-rsvp-answered-{viewport}")
        context.close()
    tally = coordinator.get(f"/api/v1/meetings/{m['id']}").json()["tally"]
    assert tally["tentative"] >= 1, tally

    # A forged link is refused with a clear message.
    context = browser.new_context(viewport=VIEWPORTS["mobile"], base_url=base, locale="de-DE")
    page = context.new_page()
    page.goto("/#/rsvp/not-a-real-token")
    page.locator(".notice-error").wait_for()
    assert "ungültig oder veraltet" in page.locator("main").text_content()
    assert_no_violations(page, "mt-rsvp-invalid")
    context.close()


# ---------------------------------------------------------------- axe on every state, both widths

@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_axe_on_every_meeting_page_state(open_page, api, viewport):
    planned = create_meeting(api, unique("A11y geplant"))
    add_item(api, planned["id"], "Thema mit Unterpunkt", presenter="Jugendamt")
    running = create_meeting(api, unique("A11y live"), when=soon())
    add_item(api, running["id"], "Laufender Punkt")

    page, _ = open_page(COORDINATOR, viewport=viewport, path=f"/#/workspaces/{workspace_id(api)}/meetings", wait_ready=False)
    page.get_by_test_id("mt-upcoming").wait_for()
    assert_no_violations(page, f"mt-list-{viewport}")
    page.get_by_role("button", name="Sitzung anlegen").click()
    page.locator(".error-summary").wait_for()
    assert_no_violations(page, f"mt-planner-errors-{viewport}")

    page, _ = open_meeting(open_page, planned["id"], viewport=viewport)
    assert_no_violations(page, f"mt-overview-planned-{viewport}")
    page, _ = open_meeting(open_page, planned["id"], MEMBER, viewport=viewport)
    assert_no_violations(page, f"mt-overview-member-{viewport}")

    page, _ = open_meeting(open_page, running["id"], tab="live", viewport=viewport)
    page.get_by_test_id("mt-not-started").wait_for()
    assert_no_violations(page, f"mt-live-not-started-{viewport}")
    page.get_by_role("button", name="Sitzung beginnen").click()
    page.get_by_test_id("mt-current").wait_for()
    assert_no_violations(page, f"mt-live-running-{viewport}")
    live(api, running["id"], "finish")
    page.get_by_test_id("mt-finished").wait_for(timeout=5_000)
    assert_no_violations(page, f"mt-live-finished-{viewport}")

    page, _ = open_meeting(open_page, planned["id"], tab="minutes", viewport=viewport)
    assert_no_violations(page, f"mt-minutes-none-{viewport}")

    page, _ = open_page(ADMIN, viewport=viewport, path="/#/admin/meeting-templates", wait_ready=False)
    page.get_by_test_id("tpl-list").wait_for()
    assert_no_violations(page, f"mt-templates-{viewport}")
    page.locator("[data-edit-template]").first.click()
    page.locator("#tpl-form").wait_for()
    assert_no_violations(page, f"mt-template-editor-{viewport}")


# ---------------------------------------------------------------- keyboard only

def test_keyboard_only_meeting_flow(open_page, api):
    m = create_meeting(api, unique("Tastatur"), when=soon())
    add_item(api, m["id"], "Erster Tastaturpunkt")
    add_item(api, m["id"], "Zweiter Tastaturpunkt")
    page, _ = open_page(COORDINATOR, viewport="desktop", path=f"/#/meetings/{m['id']}", wait_ready=False)
    page.get_by_test_id("mt-agenda").wait_for()
    page.locator("#page-title").focus()
    # Reach the second item's move handle by Tab and move it up with Alt+↑.
    tab_until(page, lambda f: f["id"].startswith("ag-grab-") and "Zweiter" in f["text"])
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_function("() => [...document.querySelectorAll('.mt-title')].map(e => e.textContent).join(',').includes('Zweiter Tastaturpunkt,Erster')")
    # The live view by its tab link, started by Enter.
    tab_until(page, lambda f: f["tag"] == "A" and "Live-Sitzung" in f["text"], key="Shift+Tab")
    page.keyboard.press("Enter")
    page.get_by_test_id("mt-tab-live").and_(page.locator('[aria-current="page"]')).wait_for()
    page.locator("#page-title").focus()
    tab_until(page, lambda f: f["id"] == "live-start")
    page.keyboard.press("Enter")
    page.get_by_test_id("mt-current").wait_for()
    page.locator("#live-advance").focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("mt-current-item").filter(has_text="2").wait_for()
    # Notes typed and saved without a mouse.
    tab_until(page, lambda f: f["tag"] == "TEXTAREA")
    page.keyboard.type("Per Tastatur notiert.")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Abschnitt speichern"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#announcer')?.textContent.includes('Gespeichert')")
    mins = minutes(api, m["id"])
    assert any("Per Tastatur notiert." in n["text"] for n in mins["notes"].values())


# ---------------------------------------------------------------- English complete

def test_english_has_no_german_in_the_meeting_views(open_page, api):
    m = create_meeting(api, unique("Meeting EN"), when=soon())
    add_item(api, m["id"], "Topic EN")
    live(api, m["id"], "start")
    messages = german_messages()
    # German texts that differ from English, split at placeholders; data words (the
    # template's standard item and section names) also appear in the demo's German content.
    data_like = {k for k in messages if k.startswith(("mt.standard.", "mt.sectionKind."))}
    phrases, words = set(), set()
    for key, (de, en) in messages.items():
        if key in data_like or de == en:
            continue
        for part in re.split(r"\{[^}]*\}", de):
            part = part.strip(" .,:;()–-+")
            if len(part) < 5 or part in en:
                continue
            (phrases if " " in part else words).add(part)
    pages = [f"/#/workspaces/{workspace_id(api)}/meetings", f"/#/workspaces/{workspace_id(api)}/actions",
             f"/#/meetings/{m['id']}", f"/#/meetings/{m['id']}/live", f"/#/meetings/{m['id']}/minutes", "/#/admin/meeting-templates"]
    for path in pages:
        page, _ = open_page(ADMIN if "admin" in path else COORDINATOR, viewport="mobile", path=path, lang="en", wait_ready=False)
        page.locator("#page-title").wait_for()
        page.wait_for_function("() => !document.querySelector('main .loading')")
        time.sleep(0.3)
        text = page.locator("main").inner_text() + " " + page.title()
        # Single words only where no user text goes (headings, labels, buttons, badges, names).
        chrome = page.evaluate(r"""() => [...document.querySelectorAll('main h2, main label, main legend, main dt, main button:not(.mt-grab), main .badge, main .hint, main .notice')]
            .map(e => e.textContent).concat([...document.querySelectorAll('main [aria-label]')].map(e => e.getAttribute('aria-label'))).join(' | ').replace(/[“„][^”“]*[”“]/g, '').replace(/\([^)]*\)/g, '')
            .split(' | ').map((part) => [...document.querySelectorAll('main .mt-title, main h1')].map((e) => e.textContent.trim()).filter(Boolean)
              .reduce((acc, title) => acc.split(title).join(''), part)).join(' | ')""")
        leaked = sorted([f for f in phrases if f in text or f in chrome] + [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", chrome)])
        assert not leaked, f"German on {path}: {leaked}"
        assert page.evaluate("() => document.documentElement.lang") == "en"


# ---------------------------------------------------------------- editing with a conflict

def test_edit_meeting_conflict_keeps_my_entries(open_page, api):
    m = create_meeting(api, unique("Bearbeiten"))
    page, _ = open_meeting(open_page, m["id"], viewport="mobile")
    page.locator("#mt-edit-details summary").click()
    page.get_by_label("Ort", exact=True).fill("Rathaus, Saal 1")
    # Meanwhile someone else renames the meeting, while this page hears nothing live (409 path).
    page.evaluate("() => window.__roundtable.live.dropForTest({ hold: true })")
    r = api(COORDINATOR).patch(f"/api/v1/meetings/{m['id']}", {"title": m["title"] + " (neu)"}, headers={"If-Match": f'"v{m["version"]}"'})
    assert r.status_code == 200, r.text
    page.get_by_role("button", name="Änderungen speichern").click()
    notice = page.get_by_test_id("mt-edit-conflict")
    notice.wait_for()
    assert "(neu)" in notice.text_content()
    assert page.get_by_label("Ort", exact=True).input_value() == "Rathaus, Saal 1"
    assert_no_violations(page, "mt-edit-conflict-mobile")
    page.evaluate("() => window.__roundtable.live.resumeForTest()")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.get_by_test_id("mt-edit-conflict").wait_for(state="detached")
    now = detail(api, m["id"])["meeting"]
    assert now["place"] == "Rathaus, Saal 1"
    assert now["title"].endswith("(neu)"), "the other person's title is not overwritten"

    # Live path: a change underneath while the form is open is shown at once; saving keeps it.
    wait_connected(page)
    time.sleep(1)
    page.locator("#mt-edit-details summary").click()
    page.locator("#mt-edit-details[open]").wait_for()
    page.get_by_label("Ort", exact=True).fill("Bürgerhaus")
    time.sleep(0.3)
    r = api(COORDINATOR).patch(f"/api/v1/meetings/{m['id']}", {"description": "Neue Beschreibung"}, headers={"If-Match": f'"v{now["version"]}"'})
    assert r.status_code == 200, r.text
    page.get_by_test_id("mt-edit-conflict").wait_for(timeout=5_000)
    assert page.get_by_label("Ort", exact=True).input_value() == "Bürgerhaus"
    page.get_by_role("button", name="Änderungen speichern").click()
    page.get_by_test_id("mt-edit-conflict").wait_for(state="detached")
    final = detail(api, m["id"])["meeting"]
    assert (final["place"], final["description"]) == ("Bürgerhaus", "Neue Beschreibung")


# ---------------------------------------------------------------- item edit, calendar feed

def test_agenda_item_edit_and_calendar_feed(open_page, api, hub):
    m = create_meeting(api, unique("Punkte bearbeiten"))
    add_item(api, m["id"], "Zu ändern")
    page, _ = open_meeting(open_page, m["id"], viewport="mobile")
    item = page.locator('[data-testid="mt-agenda-item"]', has_text="Zu ändern")
    item.get_by_role("button", name="Bearbeiten").click()
    form = item.locator("form")
    form.get_by_label("Titel des Punkts").fill("Geändert")
    form.get_by_label("Dauer in Minuten").fill("25")
    form.get_by_label("Vortragende Person oder Stelle").fill("Sozialamt")
    form.get_by_label("öffentlich").uncheck()
    assert_no_violations(page, "mt-item-edit-mobile")
    form.get_by_role("button", name="Punkt speichern").click()
    page.locator('[data-testid="mt-agenda-item"]', has_text="Geändert").filter(has_text="nicht öffentlich").wait_for()
    changed = next(x for x in agenda(api, m["id"])["items"] if x["title"] == "Geändert")
    assert (changed["durationMinutes"], changed["presenter"], changed["isPublic"]) == (25, "Sozialamt", False)
    # A standard item keeps its title; its duration changes.
    welcome = page.locator('[data-testid="mt-agenda-item"]').first
    welcome.get_by_role("button", name="Bearbeiten").click()
    assert welcome.locator('input[name="title"]').count() == 0
    welcome.get_by_label("Dauer in Minuten").fill("3")
    welcome.get_by_role("button", name="Punkt speichern").click()
    page.wait_for_function("() => document.querySelector('[data-testid=mt-agenda-item]')?.textContent.includes('3 Min.')")

    # The calendar feed: a secret address whose file lists the workspace's meetings.
    lst, _ = open_page(COORDINATOR, viewport="mobile", path=f"/#/workspaces/{workspace_id(api)}/meetings", wait_ready=False)
    lst.get_by_role("button", name="Abo-Adresse erzeugen").click()
    url = lst.get_by_test_id("mt-feed-url").input_value()
    assert "/calendar/" in url and url.endswith(".ics")
    path = url[url.index("/calendar/"):]
    r = requests.get(hub.base_url + path, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar"), r.status_code
    assert "BEGIN:VCALENDAR" in r.text and m["title"][:20] in r.text.replace("\r\n ", "")
    assert_no_violations(lst, "mt-feed-mobile")


# ---------------------------------------------------------------- template admin

def test_admin_revises_a_template_and_past_meetings_keep_their_version(open_page, api):
    admin = api(ADMIN)
    base = admin.get("/api/v1/meeting-templates").json()["items"][0]
    name = unique("Vorlage Test")
    r = admin.post("/api/v1/meeting-templates", {**{k: base[k] for k in ("invitationSubject", "invitationBody", "agenda", "minutesSections")}, "name": name})
    assert r.status_code == 201, r.text
    tpl = r.json()
    page, _ = open_page(ADMIN, viewport="mobile", path="/#/admin/meeting-templates", wait_ready=False)
    page.get_by_role("button", name=f"Bearbeiten ({name})").click()
    page.get_by_label("Betreff der Einladung").fill("Einladung zur {{meeting.title}}")
    page.get_by_label("Punkt 3", exact=True).fill("Berichte aus den Gemeinden")
    page.get_by_role("button", name="Als neue Version speichern").click()
    page.get_by_test_id("tpl-list").filter(has_text=name).filter(has_text="Version 2").wait_for()
    current = admin.get(f"/api/v1/meeting-templates/{tpl['id']}").json()
    assert current["template"]["version"] == 2 and current["versions"] == [1, 2]
    assert current["template"]["agenda"][2]["title"] == "Berichte aus den Gemeinden"
    assert admin.get(f"/api/v1/meeting-templates/{tpl['id']}?version=1").json()["template"]["agenda"][2]["title"] == base["agenda"][2]["title"]
    # A placeholder outside the allow-list is refused with the field named.
    page.get_by_role("button", name=f"Bearbeiten ({name})").click()
    page.get_by_label("Betreff der Einladung").fill("{{{meeting.title}}}")
    page.get_by_role("button", name="Als neue Version speichern").click()
    page.locator("#tpl-errors .error-summary, #tpl-errors .notice-error").first.wait_for()
    assert_no_violations(page, "mt-template-error-mobile")


# ---------------------------------------------------------------- decisions and action items in the live view

def test_decisions_and_action_items_recorded_and_removed_in_the_live_view(open_page, api):
    m = create_meeting(api, unique("Beschlüsse"), when=soon())
    add_item(api, m["id"], "Haushalt")
    live(api, m["id"], "start")
    page, _ = open_meeting(open_page, m["id"], tab="live", viewport="mobile")
    # The live view redraws its forms when its later answers and the start's live event arrive,
    # and a redraw empties a half-typed form (known gap, see the session notes): type once it is quiet.
    wait_quiet(page, "#mt-body")
    page.get_by_label("Beschluss (Markdown)").fill("Die Gruppe empfiehlt **zwei** Standorte.")
    page.get_by_label("Ja", exact=True).fill("7")
    page.get_by_label("Nein", exact=True).fill("1")
    page.get_by_label("Enthaltungen").fill("2")
    page.get_by_role("button", name="Beschluss eintragen").click()
    page.get_by_test_id("mt-decision").filter(has_text="Ja 7, Nein 1, Enthaltungen 2").wait_for()
    assert page.get_by_test_id("mt-decision").locator("strong").text_content() == "zwei"

    page.get_by_label("Aufgabe", exact=True).fill("Kosten ermitteln")
    page.get_by_label("Verantwortlich", exact=True).select_option(label="Mitglied Fokusgruppe (Demo)")
    page.get_by_label("Fällig am (optional)").fill("2020-01-31")
    page.get_by_role("button", name="Aufgabe eintragen").click()
    item = page.get_by_test_id("mt-action-item").filter(has_text="Kosten ermitteln")
    item.wait_for()
    assert "überfällig" in item.text_content()
    mins = minutes(api, m["id"])
    action = mins["actionItems"][0]["value"]
    assert action["owner"]["userID"] == user_id(api, MEMBER) and action["due"] == "2020-01-31"
    assert mins["decisions"][0]["value"]["votes"] == {"inFavour": 7, "against": 1, "abstentions": 2}
    assert_no_violations(page, "mt-live-decisions-mobile")

    # The owner sees the task in the workspace's action list, overdue, and can close it.
    lst, _ = open_page(MEMBER, viewport="mobile", path=f"/#/workspaces/{workspace_id(api)}/actions", wait_ready=False)
    entry = lst.get_by_test_id("ai-entry").filter(has_text="Kosten ermitteln")
    entry.wait_for()
    assert entry.get_attribute("data-overdue") == "true"
    entry.get_by_role("combobox").select_option("done")
    lst.get_by_test_id("ai-entry").filter(has_text="Kosten ermitteln").wait_for(state="detached")
    assert minutes(api, m["id"])["actionItems"][0]["value"]["status"] == "done"

    # Removing the decision again (confirmed).
    page.evaluate("() => { window.confirm = () => true; }")
    page.get_by_test_id("mt-decision").get_by_role("button", name="Entfernen").click()
    page.get_by_test_id("mt-decision").wait_for(state="detached")
    assert minutes(api, m["id"])["decisions"] == []
