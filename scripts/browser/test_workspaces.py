"""Creating, editing, conflicts, archiving, presence and signing out, through the UI."""
import time

from conftest import ADMIN, COORDINATOR, MEMBER, rows_named, screenshot, unique, wait_connected


def test_admin_creates_workspace_through_the_form(open_page, api):
    page, probe = open_page(ADMIN, viewport="mobile", path="/#/new")
    name = unique("Formular Task Force")
    page.get_by_label("Task Force").check()
    page.get_by_label("Name").first.fill(name)
    page.get_by_label("Beschreibung").fill("Angelegt über das Formular.")
    fields = page.locator("#ws-fields-list input[type=checkbox]")
    fields.first.wait_for()
    fields.first.check()
    page.get_by_label("Endet am").fill("2099-06-30")
    page.get_by_role("button", name="Arbeitsgruppe anlegen").click()
    page.locator("#page-title", has_text=name).wait_for()
    assert "/#/workspaces/" in page.url
    screenshot(page, "create-success-detail-mobile")
    page.get_by_role("link", name="Arbeitsgruppen", exact=True).click()
    rows_named(page, name).first.wait_for()
    time.sleep(0.8)
    assert rows_named(page, name).count() == 1
    assert any(w["name"] == name for w in api(ADMIN).workspaces())
    assert probe.page_errors == []


def test_member_sees_no_create_link(open_page):
    page, _ = open_page(MEMBER, viewport="mobile")
    page.get_by_test_id("workspace-list").wait_for()
    assert page.get_by_role("link", name="Neue Arbeitsgruppe").count() == 0


def test_edit_conflict_shows_current_version_and_offers_reload(open_page, api):
    client = api(ADMIN)
    ws = client.create_workspace(unique("Konflikt"), description="Ursprünglich")
    page, probe = open_page(ADMIN, viewport="mobile", path=f"/#/workspaces/{ws['id']}")
    page.locator("#edit-name").wait_for()
    wait_connected(page)

    page.locator("#edit-name").fill("Meine Fassung")
    # Someone else saves first.
    theirs = unique("Deren Fassung")
    r = client.patch(f"/api/v1/workspaces/{ws['id']}", {"name": theirs, "description": "Von anderswo"}, headers={"If-Match": f'"v{ws["version"]}"'})
    assert r.status_code == 200, r.text
    page.locator("#page-title", has_text=theirs).wait_for(timeout=5_000)  # live update of the heading
    assert page.locator("#edit-name").input_value() == "Meine Fassung", "typed text is kept"

    page.get_by_role("button", name="Änderungen speichern").click()
    box = page.locator("#conflict-box")
    box.wait_for()
    assert theirs in box.text_content()
    assert "Meine Fassung" in box.text_content()
    screenshot(page, "detail-conflict-mobile")
    page.get_by_role("button", name="Aktuelle Fassung übernehmen").click()
    assert page.locator("#edit-name").input_value() == theirs
    assert page.locator("#conflict-box").count() == 0

    page.locator("#edit-name").fill(theirs + " ergänzt")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.locator("#page-title", has_text=theirs + " ergänzt").wait_for()
    assert client.get(f"/api/v1/workspaces/{ws['id']}").json()["name"] == theirs + " ergänzt"
    assert probe.page_errors == []


def test_coordinator_edits_policy_fields_and_a_task_forces_end(open_page, api):
    """The edit form carries the policy fields (a fieldset of checkboxes) and, for task forces, the end date."""
    client = api(ADMIN)
    fields = sorted(client.get("/api/v1/policy-fields").json()["items"], key=lambda f: f["id"])
    r = client.post("/api/v1/workspaces", {"kind": "taskForce", "name": unique("Task Force Bearbeiten"), "description": "",
                                            "policyFieldIds": [fields[0]["id"]], "endsOn": "2099-03-31"})
    assert r.status_code == 201, r.text
    ws = r.json()
    page, probe = open_page(ADMIN, viewport="mobile", path=f"/#/workspaces/{ws['id']}")
    first = page.locator(f"#edit-pf-{fields[0]['id']}")
    second = page.locator(f"#edit-pf-{fields[1]['id']}")
    first.wait_for()
    assert first.is_checked() and not second.is_checked()
    assert page.locator("#edit-endsOn").input_value() == "2099-03-31"
    # Keyboard: Space toggles the checkboxes.
    first.focus()
    page.keyboard.press("Space")
    second.focus()
    page.keyboard.press("Space")
    page.locator("#edit-endsOn").fill("2099-09-30")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.locator("#edit-status .notice-success").wait_for()
    saved = client.get(f"/api/v1/workspaces/{ws['id']}").json()
    assert saved["policyFieldIds"] == [fields[1]["id"]] and saved["endsOn"] == "2099-09-30", saved
    page.locator("#detail-facts", has_text="30. September 2099").wait_for()
    # A focus group has no end date in the form.
    focus = client.create_workspace(unique("Fokus ohne Ende"))
    other, _ = open_page(ADMIN, viewport="mobile", path=f"/#/workspaces/{focus['id']}")
    other.locator("#edit-name").wait_for()
    assert other.locator("#edit-endsOn").count() == 0
    assert probe.page_errors == []


def test_archive_and_restore_from_detail(open_page, api):
    ws = api(ADMIN).create_workspace(unique("Archivtest"))
    page, probe = open_page(ADMIN, viewport="desktop", path=f"/#/workspaces/{ws['id']}")
    page.get_by_role("button", name="Archivieren").click()
    page.get_by_role("button", name="Wiederherstellen").wait_for()
    assert page.get_by_text("Diese Arbeitsgruppe ist archiviert.").is_visible()
    # Archived workspaces are read-only: the edit form is gone, restoring is offered.
    assert page.locator("#edit-form").count() == 0
    assert page.get_by_text("Archivierte Arbeitsgruppen sind schreibgeschützt.", exact=False).is_visible()
    assert page.evaluate("document.activeElement && document.activeElement.id") == "archive-toggle"
    assert api(ADMIN).get(f"/api/v1/workspaces/{ws['id']}").json()["archived"] is True
    page.get_by_role("button", name="Wiederherstellen").click()
    page.get_by_role("button", name="Archivieren").wait_for()
    assert page.locator("#edit-form").is_visible()
    assert api(ADMIN).get(f"/api/v1/workspaces/{ws['id']}").json()["archived"] is False
    assert probe.page_errors == []


def test_presence_shows_who_else_is_viewing(open_page, api):
    admin = api(ADMIN)
    # A workspace the coordinator belongs to: from the demo data, via /me.
    me = api(COORDINATOR).get("/api/v1/me").json()
    coordinated = [m["workspaceId"] for m in me.get("memberships", [])]
    assert coordinated, "the demo coordinator should belong to at least one workspace"
    wid = coordinated[0]
    page_a, _ = open_page(ADMIN, viewport="desktop", path=f"/#/workspaces/{wid}")
    page_a.locator("#detail-presence").wait_for()
    wait_connected(page_a)
    page_b, _ = open_page(COORDINATOR, viewport="mobile", path=f"/#/workspaces/{wid}")
    page_b.locator("#detail-presence").wait_for()
    coordinator_name = api(COORDINATOR).user["displayName"]
    admin_name = admin.user["displayName"]
    page_a.get_by_test_id("presence").filter(has_text=coordinator_name).wait_for(timeout=5_000)
    page_b.get_by_test_id("presence").filter(has_text=admin_name).wait_for(timeout=5_000)
    screenshot(page_b, "detail-presence-mobile")
    page_b.close()
    page_a.get_by_test_id("presence").filter(has_not_text=coordinator_name).wait_for(timeout=5_000)


def test_sign_out(open_page):
    page, _ = open_page(None, viewport="mobile", path="/#/signin")
    page.get_by_label("E-Mail-Adresse").fill(MEMBER[0])
    page.get_by_label("Passwort").fill(MEMBER[1])
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_test_id("workspace-list").wait_for()
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_label("E-Mail-Adresse").wait_for()
    assert page.get_by_text("Sie haben sich abgemeldet.").is_visible()
    page.goto("/#/")
    page.get_by_label("E-Mail-Adresse").wait_for()
    assert page.get_by_test_id("workspace-list").count() == 0


def test_create_form_field_errors_are_german_and_linked(open_page):
    page, _ = open_page(ADMIN, viewport="mobile", path="/#/new")
    page.get_by_label("Task Force").check()
    page.get_by_label("Name").first.fill("ab")
    page.get_by_role("button", name="Arbeitsgruppe anlegen").click()
    summary = page.locator("#create-errors:not([hidden])")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "create-errors", "focus moves to the summary"
    name_error = page.locator("#ws-name-error")
    assert "mindestens" in name_error.text_content(), name_error.text_content()
    assert page.locator("#ws-endsOn").get_attribute("aria-invalid") == "true"
    assert "Enddatum" in page.locator("#ws-endsOn-error").text_content()
    # The summary links move focus to the field.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "ws-name"
    assert page.evaluate("location.hash") == "#/new"
    # Fixing the input and sending again clears the errors.
    page.get_by_label("Name").first.fill(unique("Korrigiert"))
    page.get_by_label("Endet am").fill("2099-09-30")
    page.get_by_role("button", name="Arbeitsgruppe anlegen").click()
    page.wait_for_function("() => location.hash.startsWith('#/workspaces/')")


def test_rate_limited_sign_in_is_explained(open_page, hub):
    import requests
    email = f"gesperrt-{unique('x').split()[1]}@roundtable.example"
    for _ in range(6):
        requests.post(f"{hub.base_url}/api/v1/session", json={"email": email, "password": "falsch"}, headers={"Origin": hub.base_url}, timeout=5)
    page, _ = open_page(None, viewport="mobile", path="/#/signin")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    page.locator("#signin-error:not([hidden])").wait_for()
    assert "Zu viele Anmeldeversuche" in page.locator("#signin-error").text_content()


def test_member_viewing_a_foreign_workspace(open_page, api):
    """Members can open any workspace; its member list and presence stay members-only."""
    ws = api(ADMIN).create_workspace(unique("Fremde Gruppe"))
    page, probe = open_page(MEMBER, viewport="mobile", path=f"/#/workspaces/{ws['id']}")
    page.locator("#page-title", has_text=ws["name"]).wait_for()
    page.get_by_text("Die Mitgliederliste sehen nur Mitglieder dieser Arbeitsgruppe.").wait_for()
    assert page.get_by_text("Wer gerade hier ist, sehen nur Mitglieder").is_visible()
    assert page.locator("#edit-form").count() == 0
    assert probe.page_errors == []
