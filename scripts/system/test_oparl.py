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
