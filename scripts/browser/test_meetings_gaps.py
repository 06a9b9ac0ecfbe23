"""Meetings, the smaller gaps of issue 4: deleting a meeting from its page (a confirmation step,
keyboard operable, axe at 360 px)."""
from __future__ import annotations

from conftest import COORDINATOR, MEMBER, focused, tab_until, unique, wait_connected
from mt_helpers import create_meeting
from rec_helpers import assert_no_violations
from test_meetings import mail_hub  # noqa: F401  (the hub that sends its mail to a local sink)


def open_overview(open_page, meeting_id, user=COORDINATOR, viewport="mobile"):
    page, probe = open_page(user, viewport=viewport, path=f"/#/meetings/{meeting_id}", wait_ready=False)
    page.get_by_test_id("mt-tab-overview").wait_for()
    page.locator("#mt-body .loading").wait_for(state="detached")
    return page, probe


def test_delete_meeting_with_confirmation_by_keyboard(open_page, api):
    m = create_meeting(api, unique("Zu löschen"))
    r = api(COORDINATOR).post(f"/api/v1/meetings/{m['id']}/invite", None, headers={"If-Match": '"v1"'})
    assert r.status_code == 200, r.text

    # Members see no delete button.
    page, _ = open_overview(open_page, m["id"], MEMBER)
    assert page.locator("#mt-delete").count() == 0

    page, _ = open_overview(open_page, m["id"])
    assert "Alle Eingeladenen erhalten eine Absage." in page.locator("#mt-delete-title").locator("..").inner_text()
    assert_no_violations(page, "mt-delete-offered-mobile")
    # By keyboard: reach the button, open the confirmation; focus moves to "Endgültig löschen".
    page.locator("#page-title").focus()
    tab_until(page, lambda f: f["id"] == "mt-delete", limit=200)
    page.keyboard.press("Enter")
    page.locator("#mt-delete-confirm-group").wait_for()
    assert focused(page)["id"] == "mt-delete-confirm"
    assert_no_violations(page, "mt-delete-confirm-mobile")
    # Escape keeps the meeting and gives focus back.
    page.keyboard.press("Escape")
    page.locator("#mt-delete-confirm-group").wait_for(state="detached")
    assert focused(page)["id"] == "mt-delete"
    page.keyboard.press("Enter")
    page.locator("#mt-delete-confirm-group").wait_for()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "mt-delete-cancel"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    # Deleted: back on the workspace's meetings with a message; the meeting is gone.
    page.wait_for_url("**/meetings", timeout=10_000)
    page.get_by_text("wurde gelöscht").first.wait_for()
    assert api(COORDINATOR).get(f"/api/v1/meetings/{m['id']}").status_code == 404
    assert_no_violations(page, "mt-delete-done-mobile")


def test_a_meeting_deleted_elsewhere_says_so(open_page, api):
    m = create_meeting(api, unique("Anderswo gelöscht"))
    page, _ = open_overview(open_page, m["id"], MEMBER, viewport="desktop")
    wait_connected(page)
    page.wait_for_timeout(1000)  # the page subscribes to meeting:<id> once it has loaded
    r = api(COORDINATOR).http.delete(api(COORDINATOR).url(f"/api/v1/meetings/{m['id']}"), headers={"If-Match": '"v1"'}, timeout=10)
    assert r.status_code == 204, r.text
    page.get_by_text("Diese Sitzung wurde gelöscht.").wait_for(timeout=10_000)
    assert_no_violations(page, "mt-deleted-elsewhere-desktop")


# ---------------------------------------------------------------- a guest objects by the signed link

def test_guest_objects_by_link_without_javascript(browser, mail_hub):
    """The circulation mail gives a guest who was present a signed link to a plain HTML page:
    it works with JavaScript switched off, and every state passes axe at 360 px."""
    import re
    import time

    from conftest import VIEWPORTS, ApiClient
    from mt_helpers import save_section, soon

    base, sink = mail_hub
    coordinator = ApiClient(base, *COORDINATOR)
    api_local = lambda user=COORDINATOR: coordinator  # noqa: E731
    guest = "gast.einwand@example.org"
    m = create_meeting(api_local, unique("Einwand-Sitzung"), when=soon(), guests=[guest])
    assert coordinator.post(f"/api/v1/meetings/{m['id']}/invite", None, headers={"If-Match": f'"v{m["version"]}"'}).status_code == 200
    assert coordinator.post(f"/api/v1/meetings/{m['id']}/agenda/live", {"step": "start"}).status_code == 200
    save_section(api_local, m["id"], {"kind": "attendance", "baseVersion": 0,
                                      "attendance": {"person": f"guest:{guest}", "name": "Gast Einwand", "status": "present"}})
    assert coordinator.post(f"/api/v1/meetings/{m['id']}/minutes/circulate", {}).status_code == 200

    def links():
        import email
        out = []
        for raw in sink.messages:
            for part in email.message_from_string(raw).walk():
                if part.get_content_maintype() == "text":
                    out += re.findall(r"/objection/[A-Za-z0-9._~-]+", (part.get_payload(decode=True) or b"").decode("utf-8", "replace"))
        return out

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not links():
        time.sleep(0.2)
    assert links(), f"no objection link in {len(sink.messages)} mails"
    path = links()[-1]

    # Without JavaScript: the form works on its own.
    context = browser.new_context(viewport=VIEWPORTS["mobile"], base_url=base, locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    page.goto(path)
    assert page.locator("script").count() == 0
    page.get_by_label("Ihr Einwand", exact=True).fill("Der Beitrag der Träger fehlt.")
    page.get_by_role("button", name="Einwand senden").click()
    page.get_by_text("Ihr Einwand ist eingegangen").wait_for()
    assert "Der Beitrag der Träger fehlt." in page.locator("main").inner_text()
    context.close()

    # With axe (which needs scripts), every state at 360 px: the form, the error summary, the saved objection, English.
    context = browser.new_context(viewport=VIEWPORTS["mobile"], base_url=base, locale="de-DE")
    page = context.new_page()
    page.goto(path)
    page.get_by_role("heading", name="Einwand gegen das Protokoll").wait_for()
    assert_no_violations(page, "mt-objection-link-form-mobile")
    page.get_by_role("button", name="Einwand senden").click()
    page.locator(".error-summary").wait_for()
    assert_no_violations(page, "mt-objection-link-errors-mobile")
    page.get_by_label("Worauf bezieht sich Ihr Einwand?").select_option(label="Offene Punkte")
    page.get_by_label("Ihr Einwand", exact=True).fill("Ein offener Punkt fehlt.")
    page.get_by_role("button", name="Einwand senden").click()
    page.get_by_text("Ihr Einwand ist eingegangen").wait_for()
    assert_no_violations(page, "mt-objection-link-saved-mobile")
    page.get_by_role("button", name="Einwand zurückziehen").first.click()
    page.get_by_text("Ihr Einwand ist zurückgezogen.").wait_for()
    assert "(zurückgezogen)" in page.locator("main").inner_text()
    assert_no_violations(page, "mt-objection-link-withdrawn-mobile")
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name="Objection to the minutes").wait_for()
    assert_no_violations(page, "mt-objection-link-english-mobile")
    page.goto("/objection/not-a-real-token")
    page.get_by_text("nicht (mehr) gültig").wait_for()
    assert_no_violations(page, "mt-objection-link-invalid-mobile")
    context.close()

    minutes = coordinator.get(f"/api/v1/meetings/{m['id']}/minutes").json()["minutes"]
    assert [o["text"] for o in minutes["objections"]] == ["Der Beitrag der Träger fehlt.", "Ein offener Punkt fehlt."]
    assert minutes["objections"][0].get("withdrawnAt") and not minutes["objections"][1].get("withdrawnAt")


# ---------------------------------------------------------------- an objection names its section

def test_member_objection_names_a_section(open_page, api):
    from mt_helpers import attend, live, save_section, soon

    m = create_meeting(api, unique("Abschnitt"), when=soon())
    live(api, m["id"], "start")
    live(api, m["id"], "finish")
    attend(api, m["id"], MEMBER)
    save_section(api, m["id"], {"kind": "openPoints", "baseVersion": 0, "text": "Haushalt offen."})
    assert api(COORDINATOR).post(f"/api/v1/meetings/{m['id']}/minutes/circulate", {}).status_code == 200

    page, _ = open_page(MEMBER, viewport="mobile", path=f"/#/meetings/{m['id']}/minutes", wait_ready=False)
    page.locator("#mn-object-section").wait_for()
    page.get_by_label("Worauf bezieht sich der Einwand?").select_option(label="Offene Punkte")
    page.get_by_label("Einwand erheben").fill("Der Haushalt fehlt.")
    page.get_by_role("button", name="Einwand einreichen").click()
    objection = page.get_by_test_id("mt-objection").filter(has_text="Der Haushalt fehlt.")
    objection.wait_for()
    assert objection.get_by_test_id("mt-objection-section").inner_text() == "Betrifft: Offene Punkte"
    assert_no_violations(page, "mt-objection-section-mobile")
    minutes = api(COORDINATOR).get(f"/api/v1/meetings/{m['id']}/minutes").json()["minutes"]
    assert minutes["objections"][0]["section"] == "openPoints"


# ---------------------------------------------------------------- editing decisions and action items

def test_edit_decision_and_action_item_with_conflict(open_page, api):
    from mt_helpers import live, save_section, soon, user_id

    m = create_meeting(api, unique("Nachbearbeitung"), when=soon())
    live(api, m["id"], "start")
    save_section(api, m["id"], {"kind": "decision", "baseVersion": 0, "decision": {"text": "Der Beirat tagt monatlich."}})
    mins = save_section(api, m["id"], {"kind": "actionItem", "baseVersion": 0,
                                       "actionItem": {"text": "Zahlen einholen", "ownerName": "Frau Beispiel"}})
    decision = mins["decisions"][0]["value"]["id"]
    action = mins["actionItems"][0]["value"]["id"]

    page, _ = open_page(MEMBER, viewport="mobile", path=f"/#/meetings/{m['id']}/live", wait_ready=False)
    page.get_by_test_id("mt-decision").first.wait_for()
    # The decision: text and votes changed.
    page.locator(f"#ed-dec-{decision}-edit").click()
    assert focused(page)["id"] == f"ed-dec-{decision}-text"
    assert_no_violations(page, "mt-entry-edit-decision-mobile")
    page.locator(f"#ed-dec-{decision}-text").fill("Der Beirat tagt alle zwei Monate.")
    page.locator(f"#ed-dec-{decision}-yes").fill("7")
    page.locator(f"#ed-dec-{decision}-no").fill("1")
    page.locator(f"#ed-dec-{decision}-abstain").fill("0")
    page.locator(f"#ed-dec-{decision}-save").click()
    page.get_by_test_id("mt-decision").filter(has_text="alle zwei Monate").wait_for()
    assert focused(page)["id"] == f"ed-dec-{decision}-edit"
    d = api(COORDINATOR).get(f"/api/v1/meetings/{m['id']}/minutes").json()["minutes"]["decisions"][0]["value"]
    assert d["text"] == "Der Beirat tagt alle zwei Monate." and d["votes"] == {"inFavour": 7, "against": 1, "abstentions": 0}

    # The action item: owner and due date; someone else changes it meanwhile → 409, my values stay in the form.
    page.locator(f"#ed-ai-{action}-edit").click()
    page.locator(f"#ed-ai-{action}-owner").select_option(value=f"member:{user_id(api, MEMBER)}")
    page.locator(f"#ed-ai-{action}-owner-name").fill("")
    page.locator(f"#ed-ai-{action}-due").fill("2027-01-15")
    save_section(api, m["id"], {"kind": "actionItem", "baseVersion": 1,
                                "actionItem": {"id": action, "text": "Zahlen beim Jugendamt einholen", "ownerName": "Frau Beispiel"}})
    page.locator(f"#ed-ai-{action}-save").click()
    page.get_by_text("Jemand hat diesen Eintrag inzwischen geändert").wait_for()
    assert page.locator(f"#ed-ai-{action}-due").input_value() == "2027-01-15"
    assert page.get_by_test_id("mt-action-item").filter(has_text="beim Jugendamt").count() == 1
    assert_no_violations(page, "mt-entry-edit-conflict-mobile")
    page.locator(f"#ed-ai-{action}-text").fill("Zahlen beim Jugendamt einholen")
    page.locator(f"#ed-ai-{action}-save").click()
    page.get_by_text("Die Änderung ist gespeichert.").first.wait_for(state="attached")
    page.locator(f"#ed-ai-{action}-edit").wait_for()
    a = api(COORDINATOR).get(f"/api/v1/meetings/{m['id']}/minutes").json()["minutes"]["actionItems"][0]["value"]
    assert a["text"] == "Zahlen beim Jugendamt einholen" and a["due"] == "2027-01-15" and a["owner"]["userID"] == user_id(api, MEMBER)
