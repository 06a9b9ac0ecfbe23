"""Organizations as records: the administrators' list (#/admin/organizations: create, the
duplicate error, rename and change of kind in place), choosing an organization when
inviting someone and when changing a member, axe-core on the page and the create form by
keyboard alone. Against a real `roundtable serve --demo`."""
import json
import re
import uuid

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe

from conftest import (
    ADMIN, ARTIFACTS, COORDINATOR, coordinated_workspace, create_organization, focused, invitation_token, screenshot,
    tab_until, unique,
)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def assert_no_violations(page, name):
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    screenshot(page, f"a11y-{name}")
    if results.violations_count:
        (ARTIFACTS / f"a11y-{name}.json").write_text(json.dumps(results.response["violations"], indent=2))
    assert results.violations_count == 0, results.generate_report()


def wait_announced(page, text: str, timeout: float = 5_000) -> None:
    page.wait_for_function("t => (document.querySelector('#announcer')?.textContent || '').includes(t)", arg=text, timeout=timeout)


def org_row(page, name: str):
    return page.get_by_test_id("organization-row").filter(has=page.locator(".org-name", has_text=re.compile(f"^{re.escape(name)}$")))


def open_organizations(open_page, viewport="desktop"):
    page, probe = open_page(ADMIN, viewport=viewport, path="/#/admin")
    page.get_by_test_id("admin-organizations-link").click()
    page.wait_for_function("() => location.hash === '#/admin/organizations'")
    page.get_by_test_id("organization-list").wait_for()
    return page, probe


# ---------------------------------------------------------------- the administrators' list


def test_admin_creates_renames_and_hits_the_duplicate(open_page, api):
    page, probe = open_organizations(open_page)
    assert page.get_by_test_id("admin-organizations-link").get_attribute("aria-current") == "page"
    # The demo data's organizations are listed with their kind.
    demo = org_row(page, "Stadt Nordheim")
    demo.wait_for()
    assert "Kommune" in demo.text_content()

    # Create.
    name = unique("Gemeinde Testdorf")
    page.locator("#org-name").fill(f"  {name}  ")
    page.locator("#org-kind").select_option("municipality")
    page.get_by_role("button", name="Organisation anlegen").click()
    row = org_row(page, name)
    row.wait_for()
    assert row.get_attribute("data-kind") == "municipality"
    assert "Kommune" in row.text_content()
    page.get_by_test_id("organization-created").wait_for()
    wait_announced(page, f"Organisation „{name}“ wurde angelegt.")
    assert page.locator("#org-name").input_value() == "", "the form is ready for the next one"
    assert page.evaluate("document.activeElement.id") == "org-name"
    created = next(o for o in api(ADMIN).get("/api/v1/organizations").json()["items"] if o["name"] == name)
    assert created["kind"] == "municipality"

    # The same name in other letter case: 409 organization.duplicate, shown on the name field.
    page.locator("#org-name").fill(name.upper())
    page.locator("#org-kind").select_option("agency")
    page.locator("#org-create-submit").click()
    error = page.locator("#org-name-error:not([hidden])")
    error.wait_for()
    assert "gibt es schon" in error.text_content()
    assert page.locator("#org-name").get_attribute("aria-invalid") == "true"
    assert "org-name-error" in (page.locator("#org-name").get_attribute("aria-describedby") or "")
    assert page.locator("#org-create-errors:not([hidden])").is_visible()
    screenshot(page, "organizations-duplicate-desktop")

    # Rename and change the kind in place; focus returns to the row's edit button.
    row.get_by_role("button", name=re.compile("Bearbeiten")).click()
    page.locator("#org-edit-form").wait_for()
    assert page.evaluate("document.activeElement.id") == "org-edit-name"
    renamed = unique("Seniorenrat Testdorf")
    page.locator("#org-edit-name").fill(renamed)
    page.locator("#org-edit-kind").select_option("council")
    page.locator("#org-edit-save").click()
    new_row = org_row(page, renamed)
    new_row.wait_for()
    assert "Beirat oder Gremium" in new_row.text_content()
    assert org_row(page, name).count() == 0
    page.wait_for_function("id => document.activeElement && document.activeElement.id === 'org-edit-' + id", arg=created["id"])
    wait_announced(page, f"Organisation „{renamed}“ wurde gespeichert.")
    after = next(o for o in api(ADMIN).get("/api/v1/organizations").json()["items"] if o["id"] == created["id"])
    assert after == {"id": created["id"], "name": renamed, "kind": "council"}

    # Renaming onto an existing name (the demo's "Kreisverwaltung", other case) is refused inline.
    new_row.get_by_role("button", name=re.compile("Bearbeiten")).click()
    page.locator("#org-edit-name").fill("KREISVERWALTUNG")
    page.locator("#org-edit-save").click()
    inline = page.locator("#org-edit-name-error:not([hidden])")
    inline.wait_for()
    assert "gibt es schon" in inline.text_content()
    assert page.evaluate("document.activeElement.id") == "org-edit-name"
    assert page.locator("#org-edit-name").get_attribute("aria-invalid") == "true"
    # Cancel keeps the old name.
    page.locator("#org-edit-cancel").click()
    page.wait_for_function("id => document.activeElement && document.activeElement.id === 'org-edit-' + id", arg=created["id"])
    assert org_row(page, renamed).count() == 1
    assert probe.page_errors == []


def test_organizations_page_in_english_and_for_non_admins(open_page):
    page, _ = open_page(ADMIN, viewport="mobile", path="/#/admin/organizations", lang="en")
    page.get_by_test_id("organization-list").wait_for()
    assert page.get_by_role("heading", name="Organizations", level=2).is_visible()
    assert page.get_by_role("button", name="Create organization").is_visible()
    assert "Municipality" in org_row(page, "Gemeinde Südtal").text_content()
    coordinator, _ = open_page(COORDINATOR, viewport="mobile", path="/#/admin/organizations")
    coordinator.get_by_text("nur für Administratorinnen und Administratoren").wait_for()
    assert coordinator.locator("#org-create-form").count() == 0


# ---------------------------------------------------------------- choosing an organization for members


def test_invite_with_an_organization_shows_it_in_the_lists(open_page, api, hub):
    wid = coordinated_workspace(api)
    organization = create_organization(api, unique("Diakonie Kreisstelle"), "agency")
    page, probe = open_page(COORDINATOR, viewport="desktop", path=f"/#/workspaces/{wid}")
    page.locator("#invite-open").click()
    dialog = page.get_by_test_id("member-dialog")
    select = dialog.get_by_label("Organisation (freiwillig)")
    select.wait_for()
    # "none" comes first and is the default; the organizations are grouped by kind.
    assert select.input_value() == ""
    assert page.locator("#invite-org option").first.text_content().strip() == "keine Angabe"
    page.wait_for_function("id => [...document.querySelectorAll('#invite-org option')].some((o) => o.value === id)", arg=organization["id"])
    group = page.locator("#invite-org optgroup", has=page.locator(f'option[value="{organization["id"]}"]'))
    assert group.get_attribute("label") == "Träger und Einrichtungen"
    email = f"org-{uuid.uuid4().hex[:8]}@roundtable.example"
    dialog.get_by_label("E-Mail-Adresse").fill(email)
    select.select_option(label=organization["name"])
    dialog.get_by_role("button", name="Einladung erstellen").click()
    link = page.get_by_test_id("invite-link").input_value()
    dialog.get_by_role("button", name="Schließen").click()
    pending = page.get_by_test_id("invitation-row").filter(has_text=email)
    pending.wait_for()
    assert organization["name"] in pending.text_content(), "pending invitations name the organization"
    listed = next(i for i in api(COORDINATOR).get(f"/api/v1/workspaces/{wid}/invitations").json()["items"] if i["email"] == email)
    assert listed["organizationId"] == organization["id"]

    # The person accepts; the member list shows the organization's name (live).
    anon = requests.Session()
    anon.headers.update({"Accept": "application/json", "Origin": hub.base_url})
    name = unique("Person mit Organisation")
    r = anon.post(f"{hub.base_url}/api/v1/invitations/{invitation_token(link)}/accept",
                  json={"displayName": name, "password": f"Kanal-Sonne-{uuid.uuid4().hex[:8]}-Wiese"}, timeout=10)
    assert r.status_code == 200, r.text
    row = page.get_by_test_id("member-row").filter(has_text=name)
    row.wait_for(timeout=5_000)
    row.get_by_test_id("member-organization").filter(has_text=organization["name"]).wait_for()
    assert probe.page_errors == []


def test_change_a_members_organization_and_back_to_none(open_page, make_user, api):
    person = make_user("Organisation Wechsel")
    wid = coordinated_workspace(api)
    first = create_organization(api, unique("Stadt Westhafen"), "municipality")
    second = create_organization(api, unique("Jugendrat Westhafen"), "council")
    r = api(COORDINATOR).http.put(api(COORDINATOR).url(f"/api/v1/workspaces/{wid}/members/{person.id}"),
                                  json={"role": "member", "organizationId": first["id"]}, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["organization"] == first["name"]
    page, probe = open_page(COORDINATOR, viewport="mobile", path=f"/#/workspaces/{wid}")
    row = page.get_by_test_id("member-row").filter(has_text=person.name)
    row.wait_for()
    assert first["name"] in row.text_content()

    # The dialog starts with the member's organization; choose another and a new role.
    row.get_by_role("button", name=re.compile("Rolle ändern")).click()
    dialog = page.get_by_test_id("member-dialog")
    select = dialog.get_by_label("Organisation (freiwillig)")
    select.wait_for()
    assert select.input_value() == first["id"]
    dialog.get_by_label("Rolle").select_option("observer")
    select.select_option(label=second["name"])
    dialog.get_by_role("button", name="Speichern").click()
    page.wait_for_function("() => !document.querySelector('#member-dialog').open")
    row.filter(has_text=second["name"]).wait_for()
    assert "Beobachtung" in row.text_content()
    assert first["name"] not in row.text_content()
    wait_announced(page, f"spricht für {second['name']}")
    member = next(m for m in api(COORDINATOR).get(f"/api/v1/workspaces/{wid}/members").json()["items"] if m["userId"] == person.id)
    assert (member["role"], member["organizationId"], member["organization"]) == ("observer", second["id"], second["name"])

    # "keine Angabe" removes it.
    row.get_by_role("button", name=re.compile("Rolle ändern")).click()
    select.wait_for()
    assert select.input_value() == second["id"]
    select.select_option(value="")
    dialog.get_by_role("button", name="Speichern").click()
    page.wait_for_function("() => !document.querySelector('#member-dialog').open")
    row.get_by_test_id("member-organization").wait_for(state="detached")
    member = next(m for m in api(COORDINATOR).get(f"/api/v1/workspaces/{wid}/members").json()["items"] if m["userId"] == person.id)
    assert member["organizationId"] is None and member["organization"] is None

    # A renamed organization shows its new name (the member list joins the record).
    api(ADMIN).patch(f"/api/v1/organizations/{second['id']}", {"name": second["name"] + " (neu)"})
    r = api(COORDINATOR).http.put(api(COORDINATOR).url(f"/api/v1/workspaces/{wid}/members/{person.id}"),
                                  json={"role": "observer", "organizationId": second["id"]}, timeout=10)
    assert r.json()["organization"] == second["name"] + " (neu)"
    row.filter(has_text=second["name"] + " (neu)").wait_for(timeout=5_000)
    assert probe.page_errors == []


# ---------------------------------------------------------------- axe


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_organizations_page_with_errors(open_page, viewport):
    page, _ = open_organizations(open_page, viewport)
    assert_no_violations(page, f"organizations-{viewport}")
    page.locator("#org-create-submit").click()
    page.locator("#org-create-errors:not([hidden])").wait_for()
    for field in ("org-name", "org-kind"):
        assert page.locator(f"#{field}").get_attribute("aria-invalid") == "true", field
        assert page.locator(f"#{field}-error").is_visible(), field
    assert page.evaluate("document.activeElement.id") == "org-create-errors"
    assert_no_violations(page, f"organizations-errors-{viewport}")
    # The inline edit form, with an error.
    org_row(page, "Seniorenbeirat").get_by_role("button", name=re.compile("Bearbeiten")).click()
    page.locator("#org-edit-name").fill("")
    page.locator("#org-edit-save").click()
    page.locator("#org-edit-name-error:not([hidden])").wait_for()
    assert_no_violations(page, f"organizations-edit-errors-{viewport}")
    page.locator("#org-edit-cancel").click()


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a11y_member_dialog_with_organizations(open_page, api, viewport):
    wid = coordinated_workspace(api)
    page, _ = open_page(ADMIN, viewport=viewport, path=f"/#/workspaces/{wid}")
    page.locator("#invite-open").click()
    page.wait_for_function("() => document.querySelectorAll('#invite-org optgroup').length > 0")
    assert_no_violations(page, f"invite-dialog-organizations-{viewport}")


# ---------------------------------------------------------------- keyboard only


def test_create_form_by_keyboard(open_page, api):
    page, probe = open_organizations(open_page)
    page.locator("#page-title").focus()

    # An empty form: the summary gets focus, its link leads to the field.
    tab_until(page, lambda f: f["id"] == "org-create-submit", limit=60)
    page.keyboard.press("Enter")
    page.locator("#org-create-errors:not([hidden])").wait_for()
    assert focused(page)["id"] == "org-create-errors"
    tab_until(page, lambda f: f["tag"] == "A" and f["text"].startswith("Name"), limit=3)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "org-name"

    name = unique("Kommune Tastenhausen")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "org-kind"
    page.keyboard.type("Kom")  # type-ahead in the select: "Kommune"
    assert page.locator("#org-kind").input_value() == "municipality"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "org-create-submit"
    page.keyboard.press("Enter")

    org_row(page, name).wait_for()
    wait_announced(page, name)
    assert focused(page)["id"] == "org-name", "focus is back in the form for the next one"
    assert page.locator("#org-name").get_attribute("aria-invalid") is None, "the old errors are gone"
    assert not page.locator("#org-create-errors").is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "focus is visible"

    # Rename by keyboard too: Tab to the row's button, edit, Enter saves.
    created = next(o for o in api(ADMIN).get("/api/v1/organizations").json()["items"] if o["name"] == name)
    tab_until(page, lambda f: f["id"] == f"org-edit-{created['id']}", limit=200)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "org-edit-name"
    page.keyboard.press("End")
    page.keyboard.type(" Nord")
    page.keyboard.press("Enter")
    org_row(page, name + " Nord").wait_for()
    assert focused(page)["id"] == f"org-edit-{created['id']}"
    assert probe.page_errors == [] and probe.dialogs == []
