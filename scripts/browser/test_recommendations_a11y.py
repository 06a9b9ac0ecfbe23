"""axe-core (WCAG 2.0/2.1 A and AA) finds no violations on every state of the
recommendation pages, the public catalogue and the steering page, at 360 and 1280 px."""
import pytest

from conftest import ADMIN, COORDINATOR, MEMBER, unique, wait_connected
from rec_helpers import (
    STEERING, assert_no_violations, complete_sections, create_recommendation, finish, put_member, save_sections, workspace_id,
)

VIEWPORTS = ["mobile", "desktop"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_workspace_recommendations_card(open_page, api, viewport):
    wid = workspace_id(api)
    page, _ = open_page(MEMBER, viewport=viewport, path=f"/#/workspaces/{wid}")
    page.get_by_test_id("recommendation-list").wait_for()
    wait_connected(page)
    assert_no_violations(page, f"rec-workspace-{viewport}")
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.locator("#rec-create-errors:not([hidden])").wait_for()
    assert_no_violations(page, f"rec-workspace-create-error-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_editor_states(open_page, api, viewport):
    rec = create_recommendation(api, unique("Barrierefreiheit Editor"), goals="**Ziele** mit Markdown.\n\n- Punkt eins\n- Punkt zwei",
                                indicators=[{"name": "Quote", "unit": "%", "baseline": 10, "target": 20, "direction": "increase", "source": "Statistik"}])
    page, _ = open_page(COORDINATOR, viewport=viewport, path=f"/#/recommendations/{rec['id']}")
    page.locator("#sec-goals").wait_for()
    wait_connected(page)
    assert_no_violations(page, f"rec-editor-{viewport}")

    # Unsaved edits, a preview, a field error (client-side) and one from the server.
    page.locator("#sec-goals-preview").click()
    page.get_by_test_id("preview-goals").wait_for()
    page.locator("#sec-measures-input").fill("Noch nicht gespeichert.")
    page.locator("#sec-title-input").fill("ab")
    page.locator("#sec-title-save").click()
    page.locator("#sec-title-error:not([hidden])").wait_for()
    page.locator("#sec-indicators-0-name").fill("")
    page.locator("#sec-indicators-save").click()
    page.locator("#sec-indicators-0-name-error:not([hidden])").wait_for()
    assert_no_violations(page, f"rec-editor-errors-{viewport}")

    # A section both changed: the merge panel.
    page.locator("#sec-timeline-input").fill("Mein Zeitplan.")
    save_sections(api, rec, user=MEMBER, timeline="Deren Zeitplan.")
    page.get_by_test_id("merge-timeline").wait_for()
    assert_no_violations(page, f"rec-editor-merge-{viewport}")

    # Saved with similar drafts shown, and the success message.
    page.get_by_role("button", name="Zusammengeführten Text speichern").click()
    page.get_by_test_id("save-result").wait_for()
    assert_no_violations(page, f"rec-editor-saved-{viewport}")

    # Someone else works in a section (presence), and unsaved text is restored after a reload.
    other, _ = open_page(MEMBER, viewport="desktop", path=f"/#/recommendations/{rec['id']}")
    other.locator("#sec-goals").wait_for()
    wait_connected(other)
    other.locator("#sec-situation-input").click()
    page.get_by_test_id("presence-situation").wait_for()
    page.locator("#sec-targetGroups-input").fill("Noch nicht gespeichert.")
    page.reload()
    page.get_by_test_id("draft-restored").wait_for()
    page.get_by_test_id("presence-situation").wait_for()
    assert_no_violations(page, f"rec-editor-presence-restored-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_editor_read_only_and_finished(open_page, api, make_user, viewport):
    wid = workspace_id(api)
    observer = make_user(name=unique("Beobachtung"))
    put_member(api, wid, observer.id, "observer")
    rec = create_recommendation(api, unique("Barrierefreiheit fertig"), **complete_sections(api))
    page, _ = open_page(observer, viewport=viewport, path=f"/#/recommendations/{rec['id']}")
    page.get_by_test_id("recommendation-readonly").wait_for()
    assert_no_violations(page, f"rec-editor-observer-{viewport}")
    finish(api, rec)
    page2, _ = open_page(COORDINATOR, viewport=viewport, path=f"/#/recommendations/{rec['id']}")
    page2.get_by_test_id("recommendation-finished").wait_for()
    assert_no_violations(page2, f"rec-editor-finished-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_history_pages(open_page, api, viewport):
    rec = create_recommendation(api, unique("Barrierefreiheit Verlauf"), goals="Alte Ziele.", impactKinds=["financial"])
    save_sections(api, rec, goals="Neue und bessere Ziele.", impactKinds=["structural"], budgetYears=[2027, 2028])
    page, _ = open_page(COORDINATOR, viewport=viewport, path=f"/#/recommendations/{rec['id']}/history")
    page.get_by_test_id("revision-list").wait_for()
    assert_no_violations(page, f"rec-history-{viewport}")
    page.goto(f"/#/recommendations/{rec['id']}/history/3")
    page.get_by_test_id("diff-goals").wait_for()
    page.locator("details.full-text summary").click()
    assert_no_violations(page, f"rec-revision-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_catalogue_pages(open_page, viewport):
    page, _ = open_page(None, viewport=viewport, path="/#/catalogue", wait_ready=False)
    page.get_by_test_id("catalogue-list").wait_for()
    page.locator('[data-testid="catalogue-entry"][data-ref="HE-2023-001"]').wait_for()
    assert_no_violations(page, f"catalogue-{viewport}")
    page.locator("#cat-HE-2023-001-button").click()
    page.locator("#cat-HE-2023-001-panel .profile").wait_for()
    assert_no_violations(page, f"catalogue-open-{viewport}")
    page.get_by_label("Volltextsuche").fill("Quantenphysik")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_text("Keine Handlungsempfehlung passt zu den Filtern.").wait_for()
    assert_no_violations(page, f"catalogue-empty-{viewport}")
    page.goto("/#/catalogue/HE-2023-003")
    page.get_by_test_id("catalogue-article").wait_for()
    assert_no_violations(page, f"catalogue-entry-{viewport}")
    page.goto("/#/catalogue/HE-2000-999")
    page.get_by_text("HE-2000-999 gibt es nicht im Katalog.").wait_for()
    assert_no_violations(page, f"catalogue-entry-missing-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_catalogue_english_signed_in(open_page, viewport):
    page, _ = open_page(MEMBER, viewport=viewport, path="/#/catalogue?year=2023", lang="en")
    page.get_by_test_id("catalogue-list").wait_for()
    page.locator("#cat-HE-2023-002-button").click()
    page.locator("#cat-HE-2023-002-panel .profile").wait_for()
    assert_no_violations(page, f"catalogue-english-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_steering_pages(open_page, api, viewport):
    rec = create_recommendation(api, unique("Barrierefreiheit Bewertung"), **complete_sections(api))
    reference = finish(api, rec)["recommendation"]["reference"]
    page, _ = open_page(STEERING, viewport=viewport, path="/#/steering")
    entry = page.locator(f'[data-testid="steering-entry"][data-ref="{reference}"]')
    entry.wait_for()
    wait_connected(page)
    assert_no_violations(page, f"steering-{viewport}")
    entry.get_by_role("button", name="Bewertung speichern", exact=True).click()
    entry.locator(f"#rate-{reference}-level-error:not([hidden])").wait_for()
    assert_no_violations(page, f"steering-errors-{viewport}")
    entry.get_by_label("in hohem Maße steuerungsrelevant").check()
    entry.get_by_label("Begründung").fill("Wirkt in viele Handlungsfelder.")
    entry.get_by_role("button", name="Bewertung speichern", exact=True).click()
    entry.get_by_test_id("rate-saved").wait_for()
    admin, _ = open_page(ADMIN, viewport=viewport, path="/#/steering")
    admin_entry = admin.locator(f'[data-testid="steering-entry"][data-ref="{reference}"]')
    admin_entry.get_by_test_id("rating-list").wait_for()
    assert_no_violations(admin, f"steering-admin-{viewport}")
    admin_entry.get_by_label("steuerungsrelevant", exact=True).check()
    admin_entry.get_by_label("Begründung").fill("In der Sitzung vereinbart.")
    admin_entry.get_by_role("button", name="Gemeinsame Bewertung speichern").click()
    admin_entry.get_by_test_id("consensus-saved").wait_for()
    page.wait_for_function("ref => document.querySelector(`#steer-${ref}-results [data-testid=consensus]`).textContent.includes('vereinbart')", arg=reference)
    assert_no_violations(page, f"steering-rated-{viewport}")
    assert_no_violations(admin, f"steering-consensus-{viewport}")
    admin.get_by_label("Jahr", exact=True).select_option(str(int(reference.split('-')[1]) + 1))
    admin.locator("#round-form").wait_for()
    admin.get_by_role("button", name="Runde festlegen").click()
    admin.locator("#round-opens-error:not([hidden])").wait_for()
    assert_no_violations(admin, f"steering-round-errors-{viewport}")
    other, _ = open_page(MEMBER, viewport=viewport, path="/#/steering")
    other.get_by_text("Diese Seite ist für die Mitglieder der Steuerungsgruppe").wait_for()
    assert_no_violations(other, f"steering-forbidden-{viewport}")
