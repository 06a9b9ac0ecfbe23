"""The catalogue's public formats, validated against their published schemas with a real hub
(`serve --demo`): the versioned catalogue-entry JSON schema in Docs/api/, and the OParl 1.1
export against the OParl schemas (Tests/Fixtures/oparl-1.1/schema)."""
from __future__ import annotations

import json
from pathlib import Path

import requests
from jsonschema import Draft202012Validator, Draft7Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[2]
OPARL = ROOT / "Tests" / "Fixtures" / "oparl-1.1" / "schema"


def oparl_validator(name: str) -> Draft7Validator:
    schema = json.loads((OPARL / f"{name}.json").read_text())
    return Draft7Validator(schema, format_checker=FormatChecker())


def check(validator, instance, what: str):
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{what}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_catalogue_entries_match_the_versioned_schema(hub_with_mail):
    schema = json.loads((ROOT / "Docs" / "api" / "catalogue-entry.v1.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    items = requests.get(hub_with_mail.base + "/api/v1/catalogue", timeout=10).json()["items"]
    assert len(items) >= 8
    for item in items:
        check(validator, item, item["reference"])
    one = requests.get(hub_with_mail.base + "/api/v1/catalogue/HE-2023-001", timeout=10).json()
    check(validator, one, "HE-2023-001")
    assert one["status"] == "inImplementation" and len(one["reports"]) == 2
    # A broken entry fails: the schema is not vacuous.
    broken = dict(one, status="unknown", reference="2023-1")
    assert list(validator.iter_errors(broken))


def test_oparl_export_is_valid_oparl_1_1(hub_with_mail):
    base = hub_with_mail.base + "/api/oparl/1.1"
    system = requests.get(base + "/system", timeout=10).json()
    check(oparl_validator("System"), system, "System")
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    # Object URLs use the configured public origin; fetch by path on the test server.
    def get(url: str):
        path = url.split("/api/oparl/1.1", 1)[1]
        response = requests.get(base + path.split("?")[0], timeout=10)
        assert response.status_code == 200, url
        return response.json()

    body_list = get(system["body"])
    assert body_list["pagination"]["totalElements"] == 1
    body = body_list["data"][0]
    check(oparl_validator("Body"), body, "Body")

    papers = get(body["paper"])
    assert papers["pagination"]["totalElements"] == len(papers["data"]) >= 8
    paper_validator, consultation_validator = oparl_validator("Paper"), oparl_validator("Consultation")
    for paper in papers["data"]:
        check(paper_validator, paper, paper["reference"])
        assert paper["paperType"] == "Handlungsempfehlung" and paper["originatorOrganization"]
        for consultation in paper.get("consultation", []):
            check(consultation_validator, consultation, consultation["id"])
            assert consultation["paper"] == paper["id"]
    first = next(p for p in papers["data"] if p["reference"] == "HE-2023-001")
    assert first["name"] == "Sprachstandserhebung von Kindern in Kindertageseinrichtungen"
    roles = [c["role"] for c in first["consultation"]]
    assert roles == ["Einschätzung: in hohem Maße steuerungsrelevant", "Beschlussfassung: beschlossen"]
    assert get(first["id"]) == first

    organizations = get(body["organization"])
    org_validator = oparl_validator("Organization")
    ids = set()
    for organization in organizations["data"]:
        check(org_validator, organization, organization["id"])
        ids.add(organization["id"])
    for paper in papers["data"]:
        for reference in paper["originatorOrganization"] + [o for c in paper.get("consultation", []) for o in c["organization"]]:
            assert reference in ids, f"{paper['reference']} names an organization the list lacks: {reference}"
    assert get(body["person"])["data"] == []
    assert requests.get(base + "/papers/HE-1999-001", timeout=10).status_code == 404


def test_oparl_meetings_agenda_items_and_files(hub_with_mail):
    """Meetings in OParl: listed once invited, cancelled ones with `cancelled: true`, only public
    agenda items, the invitation and the published minutes as File; every object validated."""
    import datetime
    from zoneinfo import ZoneInfo

    from test_mail import sign_in

    hub = hub_with_mail
    base = hub.base + "/api/oparl/1.1"
    coordinator = sign_in(hub, "koordination@roundtable.example", "demo-koordination")
    workspaces = requests.get(hub.base + "/api/v1/workspaces", headers=coordinator, timeout=10).json()["items"]
    integration = next(w for w in workspaces if w["name"] == "Integration")
    template = requests.get(hub.base + "/api/v1/meeting-templates", headers=coordinator, timeout=10).json()["items"][0]["id"]
    berlin = ZoneInfo("Europe/Berlin")

    def plan(title: str, days: int) -> str:
        start = (datetime.datetime.now(berlin) + datetime.timedelta(days=days)).replace(hour=17, minute=0, second=0, microsecond=0)
        r = requests.post(f"{hub.base}/api/v1/workspaces/{integration['id']}/meetings", headers=coordinator, timeout=10, json={
            "templateId": template, "title": title, "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "place": "Kreishaus, Raum 3",
            "onlineUrl": "https://video.kreis.example/raum-geheim-123",
            "invitees": [{"key": "guest:oparl.gast@traeger.example", "name": "Gast"}]})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def invite(mid: str) -> int:
        r = requests.post(f"{hub.base}/api/v1/meetings/{mid}/invite", headers={**coordinator, "If-Match": '"v1"'}, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["version"]

    # An invited meeting with a non-public item, a cancelled one, a planned one (not listed).
    invited = plan("OParl-Sitzung mit Einladung", 10)
    agenda = requests.get(f"{hub.base}/api/v1/meetings/{invited}/agenda", headers=coordinator, timeout=10).json()
    topics = next(i for i in agenda["items"] if i.get("standard") == "topics")
    r = requests.post(f"{hub.base}/api/v1/meetings/{invited}/agenda/edits", headers={**coordinator, "If-Match": f'"v{agenda["version"]}"'},
                      timeout=10, json={"op": "add", "parentId": topics["id"],
                                        "item": {"title": "Vertrauliche Personalsache Zeta", "durationMinutes": 10, "isPublic": False}})
    assert r.status_code == 200, r.text
    invite(invited)
    cancelled = plan("OParl-Sitzung, abgesagt", 11)
    version = invite(cancelled)
    r = requests.post(f"{hub.base}/api/v1/meetings/{cancelled}/cancel", headers={**coordinator, "If-Match": f'"v{version}"'},
                      timeout=10, json={"reason": "Terminkonflikt"})
    assert r.status_code == 200, r.text
    planned = plan("OParl-Sitzung in Planung", 12)
    # The demo's held meeting (minutes deemed approved) gets published.
    meetings = requests.get(f"{hub.base}/api/v1/workspaces/{integration['id']}/meetings", headers=coordinator, timeout=10).json()["items"]
    held = next(m for m in meetings if m["title"] == "Fokusgruppe Integration: Sitzung 2")
    if held["status"] != "published":
        r = requests.post(f"{hub.base}/api/v1/meetings/{held['id']}/publish", headers=coordinator, timeout=10)
        assert r.status_code == 200, r.text

    body = requests.get(base + "/bodies/district", timeout=10).json()
    check(oparl_validator("Body"), body, "Body")
    listing = requests.get(base + "/bodies/district/meetings", timeout=10)
    assert listing.status_code == 200
    page = listing.json()
    assert set(page) == {"data", "pagination", "links"} and page["pagination"]["totalElements"] == len(page["data"])
    by_id = {m["id"].rsplit("/", 1)[1]: m for m in page["data"]}
    assert invited in by_id and cancelled in by_id and held["id"] in by_id
    assert planned not in by_id, "meetings still being planned are not published"
    assert by_id[cancelled]["cancelled"] is True and by_id[invited]["cancelled"] is False
    raw = listing.text
    assert "Zeta" not in raw, "non-public agenda items are left out"
    assert "raum-geheim" not in raw and "oparl.gast@" not in raw, "no online link, no invitees"

    meeting_v, item_v, file_v, location_v = (oparl_validator(n) for n in ("Meeting", "AgendaItem", "File", "Location"))
    organizations = {o["id"] for o in requests.get(base + "/bodies/district/organizations", timeout=10).json()["data"]}
    for meeting in page["data"]:
        check(meeting_v, meeting, meeting["id"])
        assert all(o in organizations for o in meeting["organization"]), meeting["organization"]
        if "location" in meeting:
            check(location_v, meeting["location"], meeting["id"] + " location")
        for order, item in enumerate(meeting.get("agendaItem", []), start=1):
            check(item_v, item, item["id"])
            assert item["meeting"] == meeting["id"] and item["order"] == order and item["public"] is True
        check(file_v, meeting["invitation"], meeting["id"] + " invitation")
        one = requests.get(base + "/meetings/" + meeting["id"].rsplit("/", 1)[1], timeout=10)
        assert one.status_code == 200 and one.json() == meeting
    published = by_id[held["id"]]
    assert "resultsProtocol" in published and "resultsProtocol" not in by_id[invited]
    check(file_v, published["resultsProtocol"], "resultsProtocol")
    minutes = requests.get(base + published["resultsProtocol"]["accessUrl"].split("/api/oparl/1.1", 1)[1], timeout=10)
    assert minutes.status_code == 200 and minutes.headers["Content-Type"].startswith("text/markdown")
    assert len(minutes.content) == published["resultsProtocol"]["size"]
    assert "Rucksack" in minutes.text
    invitation = requests.get(base + by_id[invited]["invitation"]["accessUrl"].split("/api/oparl/1.1", 1)[1], timeout=10)
    assert invitation.status_code == 200 and "Sitzung mit Einladung" in invitation.text and "Zeta" not in invitation.text

    # The flat lists, each object the same as by its own URL.
    items = requests.get(base + "/bodies/district/agenda-items", timeout=10).json()
    assert items["pagination"]["totalElements"] == sum(len(m.get("agendaItem", [])) for m in page["data"])
    for item in items["data"]:
        check(item_v, item, item["id"])
        assert requests.get(base + "/agenda-items/" + item["id"].rsplit("/", 1)[1], timeout=10).json() == item
    files = requests.get(base + "/bodies/district/files", timeout=10).json()
    assert files["pagination"]["totalElements"] == len(page["data"]) + 1, "one invitation each, one published protocol"
    for f in files["data"]:
        check(file_v, f, f["id"])
        assert requests.get(base + "/files/" + f["id"].rsplit("/", 1)[1], timeout=10).json() == f

    # modified_since: later than everything → empty; earlier → all; nonsense → 422; kept in links.
    future = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    later = requests.get(base + "/bodies/district/meetings", params={"modified_since": future}, timeout=10).json()
    assert later["data"] == [] and "modified_since=" in later["links"]["first"]
    since = requests.get(base + "/bodies/district/meetings", params={"modified_since": "2000-01-01T00:00:00+01:00"}, timeout=10).json()
    assert since["pagination"]["totalElements"] == page["pagination"]["totalElements"]
    assert requests.get(base + "/bodies/district/meetings", params={"modified_since": "gestern"}, timeout=10).status_code == 422
    # No Person objects (no consent to publish people in OParl is recorded).
    assert requests.get(base + "/bodies/district/people", timeout=10).json()["data"] == []
    assert requests.get(base + f"/meetings/{planned}", timeout=10).status_code == 404
    assert requests.get(base + f"/files/minutes-{invited}", timeout=10).status_code == 404


def test_oparl_deleted_meeting_stays_as_deleted(hub_with_mail):
    """A deleted meeting that OParl listed stays in the lists as a deleted object (OParl 1.1:
    `id`, `type`, `deleted: true`, `modified`), with its public agenda items and invitation
    file; `modified_since` finds it; every object still validates against the schemas."""
    import datetime
    from zoneinfo import ZoneInfo

    from test_mail import sign_in

    hub = hub_with_mail
    base = hub.base + "/api/oparl/1.1"
    coordinator = sign_in(hub, "koordination@roundtable.example", "demo-koordination")
    workspaces = requests.get(hub.base + "/api/v1/workspaces", headers=coordinator, timeout=10).json()["items"]
    integration = next(w for w in workspaces if w["name"] == "Integration")
    template = requests.get(hub.base + "/api/v1/meeting-templates", headers=coordinator, timeout=10).json()["items"][0]["id"]
    start = (datetime.datetime.now(ZoneInfo("Europe/Berlin")) + datetime.timedelta(days=20)).replace(hour=17, minute=0, second=0, microsecond=0)
    r = requests.post(f"{hub.base}/api/v1/workspaces/{integration['id']}/meetings", headers=coordinator, timeout=10, json={
        "templateId": template, "title": "OParl-Sitzung, später gelöscht", "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "place": "Kreishaus",
        "invitees": [{"key": "guest:oparl.geloescht@traeger.example", "name": "Gast"}]})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    r = requests.post(f"{hub.base}/api/v1/meetings/{mid}/invite", headers={**coordinator, "If-Match": '"v1"'}, timeout=10)
    assert r.status_code == 200, r.text
    listed = requests.get(base + f"/meetings/{mid}", timeout=10).json()
    items = [i["id"] for i in listed["agendaItem"]]
    assert listed["deleted"] is False and items

    before = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = requests.delete(f"{hub.base}/api/v1/meetings/{mid}", headers={**coordinator, "If-Match": '"v2"'}, timeout=10)
    assert r.status_code == 204, r.text

    meeting_v, item_v, file_v = (oparl_validator(n) for n in ("Meeting", "AgendaItem", "File"))
    one = requests.get(base + f"/meetings/{mid}", timeout=10)
    assert one.status_code == 200
    deleted = one.json()
    check(meeting_v, deleted, "deleted meeting")
    assert deleted["deleted"] is True and deleted["id"] == listed["id"] and deleted["type"] == listed["type"]
    assert "name" not in deleted and "modified" in deleted
    assert "später gelöscht" not in one.text

    changed = requests.get(base + "/bodies/district/meetings", params={"modified_since": before}, timeout=10).json()
    assert [m for m in changed["data"] if m["id"] == listed["id"]] == [deleted]
    everything = requests.get(base + "/bodies/district/meetings", timeout=10).json()
    assert deleted in everything["data"]
    for meeting in everything["data"]:
        check(meeting_v, meeting, meeting["id"])

    agenda = [i for i in requests.get(base + "/bodies/district/agenda-items", params={"modified_since": before}, timeout=10).json()["data"]
              if i["id"] in items]
    assert sorted(i["id"] for i in agenda) == sorted(items)
    for item in agenda:
        check(item_v, item, item["id"])
        assert item["deleted"] is True
        assert requests.get(base + "/agenda-items/" + item["id"].rsplit("/", 1)[1], timeout=10).json() == item
    files = [f for f in requests.get(base + "/bodies/district/files", params={"modified_since": before}, timeout=10).json()["data"]
             if f["id"] == listed["invitation"]["id"]]
    assert len(files) == 1 and files[0]["deleted"] is True
    check(file_v, files[0], "deleted invitation")
    assert requests.get(base + f"/files/invitation-{mid}/content", timeout=10).status_code == 404
