"""Helpers for the feedback-panel browser tests: a panel on a fresh draft, made through the API."""
from __future__ import annotations

import datetime

from conftest import COORDINATOR
from rec_helpers import create_recommendation, workspace_id


def create_panel(api, title="Ihre Meinung zu den Ämterlotsen", moderation="pre", open_it=True, user=COORDINATOR, **overrides) -> dict:
    rec = create_recommendation(api, "Ämterlotsinnen und Ämterlotsen", goals="Menschen finden **schneller** den Weg durch die Ämter.",
                                measures="Lotsinnen begleiten zu Terminen.", user=user)
    today = datetime.date.today()
    body = {
        "recommendationId": rec["id"],
        "title": {"de": title, "en": "Your view on the office guides"},
        "audience": {"de": "Menschen, die Hilfe bei Anträgen brauchen", "en": "People who need help with applications"},
        "summary": {"de": "Lotsinnen und Lotsen begleiten Sie zu Ämtern.\n\nSie helfen beim Ausfüllen.",
                    "en": "Guides go with you to public offices.\n\nThey help with forms."},
        "easyReadSummary": {"de": "Ein Lotse hilft Ihnen beim Amt. Das kostet nichts."},
        "offersEnglish": True,
        "opensOn": today.isoformat(), "closesOn": (today + datetime.timedelta(days=30)).isoformat(),
        "questions": [
            {"prompt": {"de": "Wie hilfreich wäre eine Lotsin für Sie?", "en": "How helpful would a guide be for you?"}, "kind": "scale", "required": True,
             "labels": [{"de": d, "en": e} for d, e in [("gar nicht", "not at all"), ("wenig", "a little"), ("mittel", "somewhat"),
                                                         ("ziemlich", "quite"), ("sehr", "very")]]},
            {"prompt": {"de": "Wo brauchen Sie Hilfe?", "en": "Where do you need help?"}, "kind": "multipleChoice", "min": 0, "max": 3,
             "options": [{"key": "jobcenter", "label": {"de": "Jobcenter", "en": "Job centre"}},
                         {"key": "auslaenderbehoerde", "label": {"de": "Ausländerbehörde", "en": "Immigration office"}},
                         {"key": "wohngeld", "label": {"de": "Wohngeldstelle", "en": "Housing benefit office"}}]},
            {"prompt": {"de": "Was sollen wir noch wissen?", "en": "What else should we know?"}, "kind": "freeText", "maxLength": 1000},
        ],
        "sections": ["goals"], "access": "publicLink", "moderation": moderation, "consentVersion": "2026-1",
    }
    body.update(overrides)
    client = api(user)
    r = client.post(f"/api/v1/workspaces/{workspace_id(api, user=user)}/panels", body)
    assert r.status_code == 201, f"create panel: {r.status_code} {r.text}"
    panel = r.json()
    if open_it:
        r = client.post(f"/api/v1/panels/{panel['id']}/open", headers={"If-Match": f'"v{panel["version"]}"'})
        assert r.status_code == 200, f"open panel: {r.status_code} {r.text}"
        panel = r.json()
    return panel


def queue(api, panel_id, user=COORDINATOR) -> list[dict]:
    r = api(user).get(f"/api/v1/panels/{panel_id}/queue")
    assert r.status_code == 200, r.text
    return r.json()["items"]
