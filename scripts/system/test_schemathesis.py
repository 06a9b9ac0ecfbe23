"""API fuzzing with schemathesis against the OpenAPI document, as anonymous and as each role.

For every operation schemathesis sends the documented examples, boundary values (coverage)
and random data (fuzzing). Checks: no 5xx, every status code and content type documented, and
every response body valid against its documented schema, which for errors is the error
envelope. A hub with the demo data serves the run; the roles sign in with the demo accounts.

Routes that end the caller's own session or credentials (sign-out, password change, session
and token revocation) are left out of the signed-in runs, because the fuzzer would otherwise
sign itself out after a few requests and test nothing but 401s; they are fuzzed anonymously.

`ROUNDTABLE_SCHEMATHESIS_EXAMPLES` sets the examples per operation (CI: 4); the seed is fixed
so a failure reproduces (`st replay` with the printed test case id, or the curl line shown).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from test_backup import serve

EXAMPLES = os.environ.get("ROUNDTABLE_SCHEMATHESIS_EXAMPLES", "4")
SEED = os.environ.get("ROUNDTABLE_SCHEMATHESIS_SEED", "20261122")
ST = Path(sys.executable).parent / "st"
ROLES = {
    "anonymous": None,
    "member": ("mitglied@roundtable.example", "demo-mitglied"),
    "coordinator": ("koordination@roundtable.example", "demo-koordination"),
    "steering": ("steuerung@roundtable.example", "demo-steuerung"),
    "admin": ("admin@roundtable.example", "demo-admin-passwort"),
}
SELF_ENDING = r"^/api/v1/(session|me/password|me/sessions|me/tokens)"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    data = tmp_path_factory.mktemp("schemathesis")
    process, base = serve(data, data / "hub.log", demo=True)
    yield base, data / "hub.log"
    process.terminate()
    process.wait(timeout=15)


@pytest.mark.parametrize("role", list(ROLES))
def test_api_fuzzing_finds_no_undocumented_behaviour(hub, role, tmp_path):
    base, log = hub
    args = [str(ST), "run", base + "/api/v1/openapi.json", "--url", base,
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--phases", "examples,coverage,fuzzing", "--max-examples", EXAMPLES, "--seed", SEED,
            "--suppress-health-check", "all", "--no-color"]
    if ROLES[role]:
        email, password = ROLES[role]
        answer = requests.post(base + "/api/v1/session", json={"email": email, "password": password, "mode": "token"}, timeout=10)
        assert answer.status_code == 200, answer.text
        args += ["--header", "Authorization: Bearer " + answer.json()["token"], "--exclude-path-regex", SELF_ENDING]
    result = subprocess.run(args, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    summary = [line for line in output.splitlines() if "generated" in line or "Tested:" in line]
    print(f"\nschemathesis as {role}: {' / '.join(s.strip() for s in summary)}")
    assert result.returncode == 0, output[-12000:]
    hub_log = log.read_text(errors="replace")
    assert '"msg":"unhandled error"' not in hub_log, "the hub logged an unhandled error:\n" + "\n".join(
        line for line in hub_log.splitlines() if "unhandled error" in line)[:3000]
