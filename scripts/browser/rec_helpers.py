"""Helpers for the recommendation, catalogue and steering browser tests: API fixtures that
create, fill and finish recommendations, and axe-core runs."""
from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe

from conftest import ADMIN, ARTIFACTS, COORDINATOR, screenshot

STEERING = ("steuerung@roundtable.example", "demo-steuerung")
PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script>"
MD_PAYLOAD = PAYLOAD + " [klick](javascript:alert(3)) **fett** <b onmouseover=alert(4)>b</b>"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def assert_no_violations(page, name):
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    screenshot(page, f"a11y-{name}")
    if results.violations_count:
        (ARTIFACTS / f"a11y-{name}.json").write_text(json.dumps(results.response["violations"], indent=2))
    assert results.violations_count == 0, results.generate_report()


def workspace_id(api, name: str = "Integration", user=COORDINATOR) -> str:
    for ws in api(user).workspaces():
        if ws["name"] == name:
            return ws["id"]
    raise AssertionError(f"no workspace {name!r}")


def etag(revision: int) -> dict:
    return {"If-Match": f'"v{revision}"'}


def create_recommendation(api, title: str, workspace: str | None = None, user=COORDINATOR, **sections) -> dict:
    """A draft with a title, then the given sections saved (returns the current view)."""
    client = api(user)
    wid = workspace or workspace_id(api, user=user)
    r = client.post(f"/api/v1/workspaces/{wid}/recommendations", {"title": title})
    assert r.status_code == 201, f"create recommendation: {r.status_code} {r.text}"
    rec = r.json()
    if sections:
        rec = save_sections(api, rec, user=user, **sections)
    return rec


def save_sections(api, rec: dict, user=COORDINATOR, **sections) -> dict:
    client = api(user)
    r = client.patch(f"/api/v1/recommendations/{rec['id']}", sections, headers=etag(rec["revision"]))
    assert r.status_code == 200, f"save: {r.status_code} {r.text}"
    return r.json()["recommendation"]


def current(api, rec_id: str, user=COORDINATOR) -> dict:
    r = api(user).get(f"/api/v1/recommendations/{rec_id}")
    assert r.status_code == 200, r.text
    return r.json()


def complete_sections(api, **override) -> dict:
    """Every section the completeness check asks for."""
    fields = api(COORDINATOR).policy_fields()
    sections = {
        "policyFieldIds": [fields[0]["id"]],
        "situation": "Die Ausgangslage.",
        "dataBasis": "Statistik des Kreises 2025.",
        "goals": "Die Ziele.",
        "measures": "- Erste Maßnahme\n- Zweite Maßnahme",
        "targetGroups": "Familien",
        "responsibleBody": "Fachdienst Soziales",
        "resources": {"personnelFte": 0.5, "durationMonths": 12, "moneyEuroPerYear": 20000, "note": ""},
        "budgetYears": [2027],
        "impactKinds": ["structural"],
        "indicators": [{"name": "Erreichte Familien", "unit": "Anzahl", "baseline": 10, "target": 50, "direction": "increase", "source": "Träger"}],
        "timeline": "2027",
    }
    sections.update(override)
    return sections


def finish(api, rec: dict) -> dict:
    """Signs a complete draft off as its coordinator: it enters the catalogue. Returns the detail."""
    client = api(COORDINATOR)
    r = client.post(f"/api/v1/recommendations/{rec['id']}/sign-offs", {"capacity": "coordinator"}, headers=etag(rec["revision"]))
    assert r.status_code == 201, f"sign off: {r.status_code} {r.text}"
    detail = r.json()
    assert detail["recommendation"]["status"] == "finished", detail
    return detail


def put_member(api, workspace: str, user_id: str, role: str) -> None:
    client = api(ADMIN)
    r = client.http.put(client.url(f"/api/v1/workspaces/{workspace}/members/{user_id}"), json={"role": role}, timeout=10)
    assert r.status_code in (200, 201), f"put member: {r.status_code} {r.text}"


def no_script_elements(page, scope: str = "main") -> None:
    assert page.locator(f"{scope} img").count() == 0, "an <img> from user text was rendered"
    assert page.locator(f"{scope} script").count() == 0
    assert page.locator(f'{scope} a[href^="javascript"]').count() == 0
    assert page.locator(f"{scope} [onmouseover], {scope} [onerror]").count() == 0
