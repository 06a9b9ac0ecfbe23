"""Recommendations in the web client: the list in a workspace, the editor (sections, save,
preview, indicators, presence, live changes, merge of a section both changed, a draft kept
over a reload), history with diffs and restore, sign-off into the catalogue, read-only
observers, hostile text, and keyboard-only flows."""
import time

from conftest import ADMIN, COORDINATOR, MEMBER, screenshot, unique, wait_connected, focused, tab_until
from rec_helpers import (
    MD_PAYLOAD, PAYLOAD, complete_sections, create_recommendation, current, finish, no_script_elements, put_member,
    save_sections, workspace_id,
)


def open_editor(open_page, user, rec_id, viewport="desktop"):
    page, probe = open_page(user, viewport=viewport, path=f"/#/recommendations/{rec_id}")
    page.locator("#sec-goals").wait_for()
    wait_connected(page)
    return page, probe


def test_workspace_lists_recommendations_and_creates_a_draft(open_page, api):
    wid = workspace_id(api)
    page, probe = open_page(MEMBER, viewport="mobile", path=f"/#/workspaces/{wid}")
    card = page.get_by_test_id("recommendations-card")
    card.get_by_test_id("recommendation-list").wait_for()
    wait_connected(page)
    assert card.locator('[data-testid="recommendation-row"][data-status="finished"]').count() >= 1
    # A draft created elsewhere appears live.
    other = unique("Live angelegt")
    created = create_recommendation(api, other, wid)
    row = card.locator(f'[data-testid="recommendation-row"][data-id="{created["id"]}"]')
    row.wait_for()
    assert "Entwurf" in row.text_content() and "Fassung 1" in row.text_content()
    # Too short a title is refused at the field.
    page.get_by_label("Titel der neuen Handlungsempfehlung").fill("ab")
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.locator("#rec-create-errors:not([hidden])").wait_for()
    assert page.locator("#rec-new-title").get_attribute("aria-invalid") == "true"
    screenshot(page, "rec-create-error-mobile")
    title = unique("Neuer Entwurf über das Formular")
    page.get_by_label("Titel der neuen Handlungsempfehlung").fill(title)
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.locator("#page-title", has_text=title).wait_for()
    assert "/#/recommendations/" in page.url
    page.locator("#sec-title-input").wait_for()
    assert page.locator("#sec-title-input").input_value() == title
    assert probe.page_errors == []


def test_editor_saves_sections_and_all_changes_with_only_changed_sections(open_page, api):
    rec = create_recommendation(api, unique("Speichern"))
    page, probe = open_editor(open_page, COORDINATOR, rec["id"], viewport="mobile")
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.post_data)) if "/api/v1/recommendations/" in r.url and r.method == "PATCH" else None)

    page.locator("#sec-goals-input").fill("Kinder früh fördern.")
    assert "Nicht gespeichert" in page.locator("#sec-goals-state").text_content()
    page.locator("#sec-goals-save").click()
    page.get_by_test_id("save-result").wait_for()
    assert "Fassung 2" in page.get_by_test_id("save-result").text_content()
    assert requests[-1][1] == '{"goals":"Kinder früh fördern."}', requests[-1]
    assert "Gespeichert" in page.locator("#sec-goals-state").text_content()

    # Several sections at once: text, numbers, checkboxes, budget years, a new indicator row.
    page.locator("#sec-measures-input").fill("- Sprachkurse\n- Elternabende")
    page.locator("#sec-resources-personnelFte").fill("1.5")
    page.locator("#sec-resources-durationMonths").fill("12")
    page.locator("#sec-resources-moneyEuroPerYear").fill("40000")
    page.locator("#sec-impactKinds-structural").check()
    page.locator("#sec-budgetYears-year").fill("2027")
    page.locator("#sec-budgetYears-double").check()
    page.get_by_role("button", name="Indikator hinzufügen").click()
    assert focused(page)["id"] == "sec-indicators-0-name", "focus moves to the new row"
    page.locator("#sec-indicators-0-name").fill("Teilnehmende Familien")
    page.locator("#sec-indicators-0-baseline").fill("10")
    page.locator("#sec-indicators-0-target").fill("40")
    assert "5 Abschnitte" in page.get_by_test_id("unsaved-count").text_content()
    page.locator("#rec-save-all").click()
    page.get_by_test_id("save-result").filter(has_text="Fassung 3").wait_for()
    body = requests[-1][1]
    for key in ('"measures"', '"resources"', '"impactKinds"', '"budgetYears":[2027,2028]', '"indicators"'):
        assert key in body, body
    assert '"goals"' not in body and '"title"' not in body, "unchanged sections are not sent"
    saved = current(api, rec["id"])["recommendation"]["profile"]
    assert saved["resources"]["personnelFte"] == 1.5 and saved["budgetYears"] == [2027, 2028]
    assert saved["indicators"][0]["name"] == "Teilnehmende Familien" and saved["indicators"][0]["target"] == 40
    assert page.get_by_test_id("unsaved-count").text_content().strip().startswith("Alle Änderungen sind gespeichert")

    # Preview renders Markdown.
    page.locator("#sec-measures-preview").click()
    preview = page.get_by_test_id("preview-measures")
    preview.wait_for()
    assert preview.locator("li").count() == 2
    assert page.locator("#sec-measures-input").is_hidden()
    assert page.locator("#sec-measures-preview").get_attribute("aria-pressed") == "true"
    screenshot(page, "rec-editor-saved-mobile")

    # Removing an indicator row.
    page.get_by_role("button", name="Indikator 1 entfernen").click()
    assert page.locator('[data-testid="indicator-row"]').count() == 0
    assert "Nicht gespeichert" in page.locator("#sec-indicators-state").text_content()
    page.get_by_role("button", name="Änderung verwerfen (Indikatoren)").click()
    assert page.locator('[data-testid="indicator-row"]').count() == 1
    assert probe.page_errors == []


def test_client_and_server_field_errors_are_shown_at_the_section(open_page, api):
    rec = create_recommendation(api, unique("Fehler"))
    page, probe = open_editor(open_page, COORDINATOR, rec["id"])
    page.locator("#sec-title-input").fill("ab")
    page.locator("#sec-title-save").click()
    page.locator("#sec-title-error:not([hidden])").wait_for()
    assert page.locator("#sec-title-input").get_attribute("aria-invalid") == "true"
    assert focused(page)["id"] == "sec-title-input"
    assert "3 bis 200 Zeichen" in page.locator("#sec-title-error").text_content()
    page.locator("#sec-title-input").fill(rec["profile"]["title"])
    assert page.locator("#sec-title-error").is_hidden()
    assert probe.page_errors == []


def test_two_editors_see_presence_and_changes_live_and_merge_a_conflict(open_page, api):
    rec = create_recommendation(api, unique("Zwei Editoren"), goals="Gemeinsamer Anfang.")
    a, probe_a = open_editor(open_page, COORDINATOR, rec["id"], viewport="desktop")
    b, probe_b = open_editor(open_page, MEMBER, rec["id"], viewport="mobile")

    # Presence per section: B sees where A works, A where B works.
    a.locator("#sec-measures-input").click()
    tag = b.get_by_test_id("presence-measures")
    tag.wait_for()
    assert "Koordination Fokusgruppe (Demo)" in tag.text_content()
    assert "bearbeitet „Maßnahmen“" in b.get_by_test_id("recommendation-presence").text_content()
    b.locator("#sec-timeline-input").click()
    a.get_by_test_id("presence-timeline").wait_for()
    assert "Mitglied Fokusgruppe (Demo)" in a.get_by_test_id("presence-timeline").text_content()
    assert a.get_by_test_id("presence-measures").count() == 0, "one's own focus is not shown"
    screenshot(b, "rec-two-editors-presence-mobile")

    # A saves another section: B sees it at once.
    a.locator("#sec-measures-input").fill("Maßnahmen von A.")
    a.locator("#sec-measures-save").click()
    b.wait_for_function("() => document.querySelector('#sec-measures-input').value === 'Maßnahmen von A.'")
    assert "Gerade von anderen geändert" in b.locator("#sec-measures-state").text_content()

    # Both change "Ziele"; A saves first. B's typing is kept and offered for merging.
    b.locator("#sec-goals-input").fill("Gemeinsamer Anfang. Ergänzung von B.")
    a.locator("#sec-goals-input").fill("Gemeinsamer Anfang. Ergänzung von A.")
    a.locator("#sec-goals-save").click()
    merge = b.get_by_test_id("merge-goals")
    merge.wait_for()
    assert "Ergänzung von A." in merge.get_by_test_id("merge-theirs").text_content()
    assert "Ergänzung von B." in merge.get_by_test_id("merge-yours").text_content()
    assert b.locator("#sec-goals-input").input_value() == "Gemeinsamer Anfang. Ergänzung von B.", "nothing typed is overwritten"
    merged = b.locator("#sec-goals-merged")
    assert "Ergänzung von A." in merged.input_value() and "Ergänzung von B." in merged.input_value()
    screenshot(b, "rec-merge-live-mobile")
    b.get_by_role("button", name="Zusammengeführten Text speichern").click()
    b.get_by_test_id("save-result").wait_for()
    goals = current(api, rec["id"])["recommendation"]["profile"]["goals"]
    assert "Ergänzung von A." in goals and "Ergänzung von B." in goals, goals
    a.wait_for_function("() => document.querySelector('#sec-goals-input').value.includes('Ergänzung von B.')")
    assert b.get_by_test_id("merge-goals").count() == 0

    # The server's 409: B does not hear of A's save (socket held), saves, and gets the merge.
    b.evaluate("() => window.__roundtable.live.dropForTest({ hold: true })")
    b.locator('[data-testid="connection-status"][data-state="reconnecting"]').wait_for()
    time.sleep(0.8)  # let B's refresh after its own save settle, so it cannot learn of A's save over HTTP either
    b.locator("#sec-timeline-input").fill("Zeitplan von B: 2027.")
    a.locator("#sec-timeline-input").fill("Zeitplan von A: 2026.")
    a.locator("#sec-timeline-save").click()
    a.get_by_test_id("save-result").filter(has_text="Zeitplan").wait_for()
    b.locator("#sec-timeline-save").click()
    b.get_by_test_id("conflict-notice").wait_for()
    merge = b.get_by_test_id("merge-timeline")
    merge.wait_for()
    assert "Zeitplan von A: 2026." in merge.get_by_test_id("merge-theirs").text_content()
    assert "Zeitplan von B: 2027." in merge.get_by_test_id("merge-yours").text_content()
    assert focused(b)["id"] == "sec-timeline-merge", "focus goes to the merge panel"
    screenshot(b, "rec-merge-409-mobile")
    b.get_by_role("button", name="Zusammengeführten Text speichern").click()
    b.get_by_test_id("save-result").wait_for()
    timeline = current(api, rec["id"])["recommendation"]["profile"]["timeline"]
    assert "Zeitplan von A: 2026." in timeline and "Zeitplan von B: 2027." in timeline, timeline
    b.evaluate("() => window.__roundtable.live.resumeForTest()")
    wait_connected(b)
    a.wait_for_function("() => document.querySelector('#sec-timeline-input').value.includes('Zeitplan von B')")

    # Leaving the editor clears one's focus for the others.
    a.locator("#sec-goals-input").click()
    b.get_by_test_id("presence-goals").wait_for()
    a.get_by_role("link", name="Zurück zu „Integration“").click()
    b.get_by_test_id("presence-goals").wait_for(state="detached")
    assert probe_a.page_errors == [] and probe_b.page_errors == []


def test_unsaved_text_survives_a_reload_and_a_change_meanwhile_is_merged(open_page, api):
    rec = create_recommendation(api, unique("Neu laden"), goals="Basis.")
    page, probe = open_editor(open_page, MEMBER, rec["id"], viewport="mobile")
    page.locator("#sec-goals-input").fill("Basis. Nicht gespeicherter Zusatz.")
    page.locator("#sec-situation-input").fill("Ausgangslage, nicht gespeichert.")
    # Someone else changes "Ziele" while this tab reloads.
    save_sections(api, rec, goals="Basis. Von anderen gespeichert.")
    page.reload()
    page.locator("#sec-goals").wait_for()
    page.get_by_test_id("draft-restored").wait_for()
    assert page.locator("#sec-situation-input").input_value() == "Ausgangslage, nicht gespeichert."
    assert page.locator("#sec-goals-input").input_value() == "Basis. Nicht gespeicherter Zusatz."
    page.get_by_test_id("merge-goals").wait_for()
    assert "2 Abschnitte" in page.get_by_test_id("unsaved-count").text_content()
    page.get_by_role("button", name="Aktuelle Fassung übernehmen").click()
    assert page.locator("#sec-goals-input").input_value() == "Basis. Von anderen gespeichert."
    page.locator("#rec-save-all").click()
    page.get_by_test_id("save-result").wait_for()
    assert current(api, rec["id"])["recommendation"]["profile"]["situation"] == "Ausgangslage, nicht gespeichert."
    assert page.evaluate("() => Object.keys(sessionStorage).filter((k) => k.startsWith('roundtable.draft.')).length") == 0
    assert probe.page_errors == []


def test_history_shows_word_diffs_and_restores(open_page, api):
    rec = create_recommendation(api, unique("Verlauf"), goals="Kinder früh fördern.")
    rec = save_sections(api, rec, goals="Kinder und Eltern früh fördern.")
    page, probe = open_page(COORDINATOR, viewport="mobile", path=f"/#/recommendations/{rec['id']}/history")
    page.get_by_test_id("revision-list").wait_for()
    assert page.locator(".revision-row").count() == 3
    page.get_by_role("link", name="Fassung 3", exact=True).click()
    diff = page.get_by_test_id("diff-goals")
    diff.wait_for()
    assert diff.locator("ins").first.text_content().strip().startswith("[eingefügt:")
    assert "und Eltern" in diff.locator("ins").first.text_content()
    # The hidden text alternative is read, the visual one shows the words only.
    assert diff.locator("ins .visually-hidden").count() == 2
    screenshot(page, "rec-history-diff-mobile")
    page.get_by_role("link", name="Zurück zum Verlauf").click()
    page.get_by_role("link", name="Fassung 2", exact=True).click()
    page.get_by_test_id("restore-revision").wait_for()
    page.get_by_test_id("restore-revision").click()
    page.locator("#sec-goals").wait_for()
    page.wait_for_function("() => location.hash.endsWith('" + rec["id"] + "')")
    page.locator("#view .notice", has_text="Fassung 2 wurde wiederhergestellt (jetzt Fassung 4).").wait_for()
    assert page.locator("#sec-goals-input").input_value() == "Kinder früh fördern."
    assert current(api, rec["id"])["recommendation"]["revision"] == 4
    assert probe.page_errors == []


def test_sign_off_finishes_into_the_catalogue(open_page, api):
    rec = create_recommendation(api, unique("Freigabe"), **complete_sections(api))
    page, probe = open_editor(open_page, COORDINATOR, rec["id"], viewport="mobile")
    panel = page.get_by_test_id("signoff-panel")
    assert "vollständig" in page.get_by_test_id("completeness").text_content()
    # Unsaved edits block the sign-off (it covers the saved revision).
    page.locator("#sec-timeline-input").fill("2027, geändert")
    panel.get_by_role("button", name="Freigeben als Koordination der Arbeitsgruppe").click()
    panel.get_by_text("Speichern oder verwerfen Sie zuerst Ihre Änderungen").first.wait_for()
    page.get_by_role("button", name="Änderung verwerfen (Zeitplan)").click()
    panel.get_by_role("button", name="Freigeben als Koordination der Arbeitsgruppe").click()
    page.get_by_test_id("recommendation-finished").wait_for()
    reference = current(api, rec["id"])["recommendation"]["reference"]
    assert reference and reference.startswith("HE-")
    # Read-only now: no forms, the text rendered.
    assert page.locator(".sec-form").count() == 0
    screenshot(page, "rec-finished-mobile")
    page.get_by_role("link", name=f"{reference} im Katalog ansehen").click()
    page.get_by_test_id("catalogue-article").wait_for()
    assert rec["profile"]["title"] in page.locator("h1").text_content()
    assert probe.page_errors == []


def test_observer_reads_only(open_page, api, make_user):
    wid = workspace_id(api)
    observer = make_user(name=unique("Beobachtung"))
    put_member(api, wid, observer.id, "observer")
    rec = create_recommendation(api, unique("Nur lesen"), goals="**Wichtig**: früh fördern.")
    page, probe = open_page(observer, viewport="mobile", path=f"/#/recommendations/{rec['id']}")
    page.get_by_test_id("recommendation-readonly").wait_for()
    assert page.locator(".sec-form").count() == 0
    assert page.locator("#sec-goals strong").text_content() == "Wichtig"
    assert page.get_by_role("button", name="Alle Änderungen speichern").count() == 0
    page.goto(f"/#/workspaces/{wid}")
    page.get_by_test_id("recommendation-list").wait_for()
    assert page.locator("#rec-create-form").count() == 0, "observers start no drafts"
    assert probe.page_errors == []


def test_hostile_text_renders_inert_everywhere(open_page, api):
    wid = workspace_id(api)
    fields = complete_sections(api, goals=MD_PAYLOAD, measures=MD_PAYLOAD, responsibleBody=PAYLOAD, targetGroups=PAYLOAD,
                               indicators=[{"name": PAYLOAD, "unit": "<b>%</b>", "baseline": 1, "target": 2, "direction": "increase", "source": PAYLOAD}])
    rec = create_recommendation(api, PAYLOAD, wid, **fields)

    page, probe = open_page(MEMBER, viewport="desktop", path=f"/#/workspaces/{wid}")
    row = page.locator(f'[data-testid="recommendation-row"][data-id="{rec["id"]}"]')
    row.wait_for()
    assert row.get_by_role("link").text_content() == PAYLOAD
    no_script_elements(page)

    row.get_by_role("link").click()
    page.locator("#sec-goals").wait_for()
    page.wait_for_function("() => document.querySelector('#page-title')?.textContent.includes('<img')")
    assert page.locator("#page-title").text_content() == PAYLOAD
    assert page.locator("#sec-title-input").input_value() == PAYLOAD
    assert page.locator("#sec-goals-input").input_value() == MD_PAYLOAD
    assert page.locator("#sec-indicators-0-name").input_value() == PAYLOAD
    page.locator("#sec-goals-preview").click()
    preview = page.get_by_test_id("preview-goals")
    assert preview.locator("strong").text_content() == "fett"
    assert "<img" in preview.text_content()
    assert preview.locator("a").count() == 0, "a javascript: link keeps only its text"
    no_script_elements(page)

    # A live change of another person with hostile text.
    save_sections(api, current(api, rec["id"])["recommendation"], situation=MD_PAYLOAD)
    page.wait_for_function("() => document.querySelector('#sec-situation-input').value.includes('<img')")
    no_script_elements(page)

    # History diff.
    page.goto(f"/#/recommendations/{rec['id']}/history/3")
    page.get_by_test_id("diff-situation").wait_for()
    assert "<img" in page.get_by_test_id("diff-situation").text_content()
    no_script_elements(page)

    # Finished: in the catalogue and on its own page.
    finish(api, current(api, rec["id"])["recommendation"])
    reference = current(api, rec["id"])["recommendation"]["reference"]
    page.goto(f"/#/catalogue?q={reference}")
    entry = page.locator(f'[data-testid="catalogue-entry"][data-ref="{reference}"]')
    entry.wait_for()
    entry.locator(".cat-toggle").click()
    entry.get_by_test_id("catalogue-panel").locator(".profile").wait_for()
    assert entry.locator(".cat-title").text_content() == PAYLOAD
    assert "<img" in entry.get_by_test_id("catalogue-panel").text_content()
    no_script_elements(page)
    page.goto(f"/#/catalogue/{reference}")
    page.get_by_test_id("catalogue-article").wait_for()
    assert page.locator("#page-title").text_content() == PAYLOAD
    no_script_elements(page)
    time.sleep(0.5)
    assert probe.dialogs == [], probe.dialogs
    assert probe.page_errors == []
    assert probe.csp_violations(page) == []


def test_create_and_edit_with_the_keyboard_alone(open_page, api):
    wid = workspace_id(api)
    page, probe = open_page(MEMBER, viewport="desktop", path=f"/#/workspaces/{wid}")
    page.get_by_test_id("recommendation-list").wait_for()
    page.locator("#page-title").focus()
    tab_until(page, lambda f: f["id"] == "rec-new-title", limit=60)
    title = unique("Per Tastatur")
    page.keyboard.type(title)
    page.keyboard.press("Enter")
    page.locator("#page-title", has_text=title).wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'page-title'")
    tab_until(page, lambda f: f["id"] == "sec-goals-input", limit=60)
    page.keyboard.type("Mit der Tastatur geschrieben.")
    tab_until(page, lambda f: f["id"] == "sec-goals-save", limit=5)
    page.keyboard.press("Enter")
    page.get_by_test_id("save-result").wait_for()
    assert focused(page)["id"] == "sec-goals-save", "focus stays on the button"
    # The preview toggle and an indicator row, by keyboard.
    page.locator("#sec-goals-preview").focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("preview-goals").wait_for()
    assert focused(page)["id"] == "sec-goals-preview"
    page.locator("#sec-indicators-add").focus()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "sec-indicators-0-name"
    page.keyboard.type("Indikator per Tastatur")
    rec_id = page.evaluate("location.hash.split('/')[2]")
    tab_until(page, lambda f: f["id"] == "sec-indicators-save", limit=20)
    page.keyboard.press("Enter")
    page.get_by_test_id("save-result").filter(has_text="Indikatoren").wait_for()
    assert current(api, rec_id, user=MEMBER)["recommendation"]["profile"]["indicators"][0]["name"] == "Indikator per Tastatur"
    assert probe.page_errors == []


def test_similar_drafts_in_other_groups_after_save(open_page, api):
    # The demo data has the draft "Mehrsprachige Elterninformation in Kitas" in "Integration".
    other = workspace_id(api, "Inklusion")
    rec = create_recommendation(api, unique("Mehrsprachige Elterninformation in Kitas"), other)
    page, probe = open_editor(open_page, MEMBER, rec["id"], viewport="mobile")
    page.locator("#sec-goals-input").fill("Eltern in ihrer Sprache über Sprachförderung in Kitas informieren.")
    page.locator("#sec-goals-save").click()
    page.get_by_test_id("save-result").wait_for()
    similar = page.get_by_test_id("similar-list")
    similar.wait_for()
    assert "Mehrsprachige Elterninformation in Kitas" in similar.text_content()
    assert "Integration" in similar.text_content()
    assert "% ähnlich" in similar.text_content()
    screenshot(page, "rec-similar-mobile")
    assert probe.page_errors == []
