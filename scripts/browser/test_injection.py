"""Hostile names render as text: no element, no script, no dialog."""
import time

from conftest import ADMIN, screenshot, wait_connected

PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def test_script_injection_in_name_renders_as_text(open_page, api):
    client = api(ADMIN)
    page, probe = open_page(ADMIN, viewport="desktop")
    page.get_by_test_id("workspace-list").wait_for()
    wait_connected(page)

    # One created while the page is open (live path) ...
    live_ws = client.create_workspace(PAYLOAD, description=f'Beschreibung {PAYLOAD} "quoted" \'single\'')
    row = page.locator(f'[data-testid="workspace-row"][data-id="{live_ws["id"]}"]')
    row.wait_for(timeout=5_000)
    time.sleep(0.5)

    assert row.get_by_role("link").text_content() == PAYLOAD
    lst = page.get_by_test_id("workspace-list")
    assert lst.locator("img").count() == 0
    assert lst.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert PAYLOAD in row.text_content()

    # ... and the snapshot path after a reload.
    page.reload()
    row = page.locator(f'[data-testid="workspace-row"][data-id="{live_ws["id"]}"]')
    row.wait_for()
    assert page.get_by_test_id("workspace-list").locator("img").count() == 0
    assert row.get_by_role("link").text_content() == PAYLOAD

    # The detail page too (heading, facts, edit form value).
    row.get_by_role("link").click()
    heading = page.locator("h1#page-title")
    heading.wait_for()
    page.wait_for_function("() => document.querySelector('#page-title')?.textContent.includes('<img')")
    assert heading.text_content() == PAYLOAD
    assert page.locator("main img, main script").count() == 0
    edit_name = page.locator("#edit-name")
    if edit_name.count():
        assert edit_name.input_value() == PAYLOAD
    assert PAYLOAD in page.title()
    time.sleep(0.5)
    assert probe.dialogs == [], probe.dialogs
    assert probe.page_errors == []
    assert probe.csp_violations(page) == []
    screenshot(page, "injection-detail-desktop")


def test_script_injection_in_panel_fields_renders_as_text(open_page, browser, hub, api):
    """Every panel field shown to others: texts, questions, options, scale labels, answers,
    section comments, pseudonym, hide reason and response. On the public pages (server
    HTML), the receipt page and the coordinator's and member's views (client HTML)."""
    import re

    import requests

    from conftest import COORDINATOR, MEMBER
    from panel_helpers import create_panel, queue

    p = PAYLOAD
    scale = [{"de": f"{p} {n}"} for n in range(1, 6)]
    panel = create_panel(api, title=f"Befragung {p}", moderation="pre", audience={"de": f"Alle {p}"}, summary={"de": f"Worum {p}"},
                         easyReadSummary={"de": f"Leicht {p}"}, offersEnglish=False,
                         questions=[{"prompt": {"de": f"Skala {p}"}, "kind": "scale", "labels": scale, "help": {"de": f"Hilfe {p}"}},
                                    {"prompt": {"de": f"Wahl {p}"}, "kind": "singleChoice",
                                     "options": [{"key": "a", "label": {"de": f"A {p}"}}, {"key": "b", "label": {"de": f"B {p}"}}]},
                                    {"prompt": {"de": f"Frei {p}"}, "kind": "freeText", "maxLength": 500}])
    q = panel["questions"]
    fields = [(f"q.{q[0]['id']}", "3"), (f"q.{q[1]['id']}", "a"), (f"q.{q[2]['id']}", f"Text {p}"), ("s.goals.rating", "2"),
              ("s.goals.comment", f"Kommentar {p}"), ("pseudonym", "<b>Mira</b>"), ("consent", "2026-1"), ("website", "")]
    r = requests.post(f"{hub.base_url}/p/{panel['id']}", data=fields, timeout=10)
    assert r.status_code == 200, r.text[:300]
    code = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", r.text).group(0)
    r2 = requests.post(f"{hub.base_url}/p/{panel['id']}", data=[(k, v + " zwei" if k == f"q.{q[2]['id']}" else v) for k, v in fields], timeout=10)
    assert r2.status_code == 200
    coordinator = api(COORDINATOR)
    first, second = queue(api, panel["id"])
    assert coordinator.post(f"/api/v1/panels/{panel['id']}/items/{first['id']}/approve", {}, headers={"If-Match": '"v1"'}).status_code == 200
    assert coordinator.post(f"/api/v1/panels/{panel['id']}/items/{second['id']}/hide", {"reason": f"Grund {p}"},
                            headers={"If-Match": '"v1"'}).status_code == 200
    resp = coordinator.http.put(coordinator.url(f"/api/v1/panels/{panel['id']}/items/{first['id']}/response"), json={"text": f"Antwort {p}"}, timeout=10)
    assert resp.status_code == 200, resp.text

    def clean(page, where):
        main = page.locator("main")
        assert main.locator("img:not(.panel-qr), script, b").count() == 0, where
        assert p in main.inner_text(), where

    # Server-rendered public pages, with scripts on (an injected script would run).
    context = browser.new_context(viewport={"width": 360, "height": 800}, base_url=hub.base_url)
    dialogs = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"/p/{panel['id']}")
    clean(page, "form")
    assert page.locator("#q-" + q[0]["id"] + "-0").count() == 1
    page.goto(f"/p/{panel['id']}/responses")
    clean(page, "responses")
    page.goto(f"/p/{panel['id']}/receipt")
    page.get_by_label("Beleg-Code").fill(code)
    page.get_by_role("button", name="Öffnen").click()
    clean(page, "receipt")
    assert page.locator("#pseudonym").input_value() == "<b>Mira</b>"
    screenshot(page, "injection-panel-receipt")
    context.close()

    # The coordinator's and the member's views.
    for user in (COORDINATOR, MEMBER):
        view, probe = open_page(user, viewport="desktop", path=f"/#/panels/{panel['id']}")
        view.get_by_test_id("panel-item").first.wait_for()
        clean(view, f"panel view {user[0]}")
        time.sleep(0.3)
        assert probe.dialogs == [] and probe.page_errors == [], (probe.dialogs, probe.page_errors)
    assert dialogs == []


def test_script_injection_in_meeting_fields_renders_as_text(open_page, api):
    """Every meeting field shown to others: title, description (Markdown), place, guest name,
    cancellation reason, agenda item title and presenter, minutes notes, decision, action
    item text and owner, open points, attendance name and organization, objection and
    answer, template name; on the list, overview, live, approval and action-list pages."""
    from conftest import ADMIN, COORDINATOR, MEMBER
    from mt_helpers import add_item, agenda, attend, create_meeting, live, save_section, soon, user_id
    from rec_helpers import MD_PAYLOAD, workspace_id

    p = PAYLOAD
    m = create_meeting(api, f"Sitzung {p}", when=soon(), description=MD_PAYLOAD, place=f"Raum {p}", guests=["gast.inj@example.org"])
    coordinator = api(COORDINATOR)
    add_item(api, m["id"], f"Punkt {p}", presenter=f"Vortrag {p}")
    item = next(x["id"] for x in agenda(api, m["id"])["items"] if x["title"] == f"Punkt {p}")
    live(api, m["id"], "start")
    live(api, m["id"], "finish")
    save_section(api, m["id"], {"kind": "notes", "itemId": item, "baseVersion": 0, "text": f"Notiz {MD_PAYLOAD}"})
    save_section(api, m["id"], {"kind": "decision", "baseVersion": 0, "decision": {"text": f"Beschluss {MD_PAYLOAD}", "agendaItemId": item}})
    save_section(api, m["id"], {"kind": "actionItem", "baseVersion": 0,
                                "actionItem": {"text": f"Aufgabe {p}", "ownerName": f"Person {p}", "due": "2020-01-01"}})
    save_section(api, m["id"], {"kind": "openPoints", "baseVersion": 0, "text": f"Offen {MD_PAYLOAD}"})
    save_section(api, m["id"], {"kind": "attendance", "baseVersion": 0,
                                "attendance": {"person": f"member:{user_id(api, MEMBER)}", "name": f"Name {p}", "organization": f"Org {p}", "status": "present"}})
    attend(api, m["id"], COORDINATOR)
    r = coordinator.post(f"/api/v1/meetings/{m['id']}/minutes/circulate", {})
    assert r.status_code == 200, r.text
    r = api(MEMBER).post(f"/api/v1/meetings/{m['id']}/minutes/objections", {"text": f"Einwand {MD_PAYLOAD}"})
    assert r.status_code == 201, r.text
    objection = r.json()["objections"][0]["id"]
    r = coordinator.post(f"/api/v1/meetings/{m['id']}/minutes/objections/{objection}/answer", {"text": f"Antwort {p}", "resolution": "rejected"})
    assert r.status_code == 200, r.text
    cancelled = create_meeting(api, f"Abgesagt {p}")
    r = coordinator.post(f"/api/v1/meetings/{cancelled['id']}/cancel", {"reason": f"Grund {p}"}, headers={"If-Match": f'"v{cancelled["version"]}"'})
    assert r.status_code == 200, r.text

    def clean(page, where, must=(p,)):
        main = page.locator("main")
        assert main.locator("img, script, b, [onerror], [onmouseover], a[href^='javascript']").count() == 0, where
        text = main.inner_text()
        for needle in must:
            assert needle in text, (where, needle)

    wid = workspace_id(api)
    pages = [
        (f"/#/workspaces/{wid}/meetings", '[data-testid="mt-upcoming"]', [f"Sitzung {p}", f"Raum {p}"]),
        (f"/#/meetings/{m['id']}", '[data-testid="mt-agenda"]', [f"Punkt {p}", f"Vortrag {p}", f"Raum {p}"]),
        (f"/#/meetings/{m['id']}/live", '#mt-minutes-editor', [f"Punkt {p}", f"Aufgabe {p}", f"Person {p}", f"Name {p}"]),
        (f"/#/meetings/{m['id']}/minutes", '[data-testid="mt-objections"]', [f"Org {p}", f"Antwort {p}", f"Aufgabe {p}"]),
        (f"/#/meetings/{cancelled['id']}", '[data-testid="mt-agenda"]', [f"Grund {p}"]),
        (f"/#/workspaces/{wid}/actions", '[data-testid="ai-list"]', [f"Aufgabe {p}", f"Sitzung {p}"]),
    ]
    for user in (COORDINATOR, MEMBER):
        for path, ready, must in pages:
            page, probe = open_page(user, viewport="desktop", path=path, wait_ready=False)
            page.locator(ready).wait_for()
            time.sleep(0.2)
            clean(page, f"{path} as {user[0]}", must)
            assert probe.dialogs == [] and probe.page_errors == [], (path, probe.dialogs, probe.page_errors)
    # Markdown fields show their text, not markup.
    page, _ = open_page(COORDINATOR, viewport="desktop", path=f"/#/meetings/{m['id']}/minutes", wait_ready=False)
    page.locator('[data-testid="mt-objections"]').wait_for()
    for needle in ("Notiz", "Einwand", "Offen"):
        assert needle in page.locator("main").inner_text()
    # A template named with the payload on the admin page.
    admin = api(ADMIN)
    tpl = admin.get("/api/v1/meeting-templates").json()["items"][0]
    body = {k: tpl[k] for k in ("invitationSubject", "invitationBody", "agenda", "minutesSections")}
    r = admin.post("/api/v1/meeting-templates", {**body, "name": f"Vorlage {p}"})
    assert r.status_code == 201, r.text
    page, probe = open_page(ADMIN, viewport="desktop", path="/#/admin/meeting-templates", wait_ready=False)
    page.get_by_test_id("tpl-list").wait_for()
    clean(page, "templates", [f"Vorlage {p}"])
    assert probe.dialogs == []


def test_script_injection_in_meeting_series_fields_renders_as_text(open_page, api):
    """Every field of a recurring meeting shown to others: title, description, place, guest name;
    on the workspace's meetings page and the series page, for the coordinator and a member."""
    from conftest import COORDINATOR, MEMBER
    from mt_helpers import template_id, user_id
    from rec_helpers import MD_PAYLOAD, workspace_id
    from test_meeting_series import next_tuesday

    p = PAYLOAD
    day = next_tuesday()
    wid = workspace_id(api)
    r = api(COORDINATOR).post(f"/api/v1/workspaces/{wid}/meeting-series", {
        "templateId": template_id(api), "title": f"Reihe {p}", "description": f"Beschreibung {MD_PAYLOAD}", "start": f"{day}T17:00",
        "end": f"{day}T19:00", "rule": "FREQ=WEEKLY;BYDAY=TU;COUNT=3", "place": f"Raum {p}",
        "invitees": [{"key": f"member:{user_id(api, MEMBER)}"}, {"key": "guest:gast.reihe@example.org", "name": f"Gast {p}"}]})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    for user in (COORDINATOR, MEMBER):
        for path, ready, must in [(f"/#/workspaces/{wid}/meetings", '[data-testid="mt-series-list"]', [f"Reihe {p}"]),
                                  (f"/#/meeting-series/{sid}", '[data-testid="ms-occurrences"]', [f"Reihe {p}", f"Raum {p}", "Beschreibung"])]:
            page, probe = open_page(user, viewport="desktop", path=path, wait_ready=False)
            page.locator(ready).wait_for()
            time.sleep(0.2)
            main = page.locator("main")
            assert main.locator("img, script, b, [onerror], [onmouseover], a[href^='javascript']").count() == 0, path
            text = main.inner_text()
            for needle in must:
                assert needle in text, (path, needle)
            if user == COORDINATOR and "meeting-series" in path:
                assert f"Gast {p}" in text, "the guest's name as text"
            assert probe.dialogs == [] and probe.page_errors == [], (path, probe.dialogs, probe.page_errors)


def test_script_injection_in_meeting_edit_forms_and_objection_sections(open_page, api):
    """The forms that edit a decision or an action item show the stored text as field values,
    and the objection form's section choice shows agenda titles, decisions and action items,
    all as text."""
    from conftest import COORDINATOR, MEMBER
    from mt_helpers import add_item, attend, create_meeting, live, save_section, soon

    p = PAYLOAD
    m = create_meeting(api, f"Sitzung {p}", when=soon())
    add_item(api, m["id"], f"Punkt {p}")
    live(api, m["id"], "start")
    live(api, m["id"], "finish")
    save_section(api, m["id"], {"kind": "decision", "baseVersion": 0, "decision": {"text": f"Beschluss {p}"}})
    mins = save_section(api, m["id"], {"kind": "actionItem", "baseVersion": 0, "actionItem": {"text": f"Aufgabe {p}", "ownerName": f"Person {p}"}})
    decision = mins["decisions"][0]["value"]["id"]
    action = mins["actionItems"][0]["value"]["id"]
    attend(api, m["id"], MEMBER)
    assert api(COORDINATOR).post(f"/api/v1/meetings/{m['id']}/minutes/circulate", {}).status_code == 200

    page, probe = open_page(COORDINATOR, viewport="desktop", path=f"/#/meetings/{m['id']}/live", wait_ready=False)
    page.locator(f"#ed-dec-{decision}-edit").click()
    assert page.locator(f"#ed-dec-{decision}-text").input_value() == f"Beschluss {p}"
    page.locator(f"#ed-ai-{action}-edit").click()
    assert page.locator(f"#ed-ai-{action}-text").input_value() == f"Aufgabe {p}"
    assert page.locator(f"#ed-ai-{action}-owner-name").input_value() == f"Person {p}"
    main = page.locator("main")
    assert main.locator("img, script, b, [onerror], [onmouseover]").count() == 0
    assert probe.dialogs == [] and probe.page_errors == []

    page, probe = open_page(MEMBER, viewport="desktop", path=f"/#/meetings/{m['id']}/minutes", wait_ready=False)
    page.locator("#mn-object-section").wait_for()
    labels = page.locator("#mn-object-section option").all_inner_texts()
    assert any(f"Punkt {p}" in x for x in labels) and any(f"Beschluss {p}"[:20] in x for x in labels)
    assert page.locator("main").locator("img, script, b, [onerror], [onmouseover]").count() == 0
    assert probe.dialogs == [] and probe.page_errors == []
