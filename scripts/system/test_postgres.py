"""The hub on PostgreSQL: migrate, serve, and two instances sharing one database."""
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import ROOT, free_port

BINARY = Path(os.environ.get("ROUNDTABLE_BIN", ROOT / ".build" / "debug" / "roundtable"))


@pytest.fixture()
def database_url():
    admin = os.environ.get("ROUNDTABLE_TEST_POSTGRES_URL")
    assert admin, "scripts/system/run.sh starts PostgreSQL and sets ROUNDTABLE_TEST_POSTGRES_URL"
    name = "sys_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    yield admin.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)


def env_for(url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_")}
    # Both instances run the same policy (B is started without --demo, which would otherwise require TOTP).
    env.update({"ROUNDTABLE_DATABASE_URL": url, "ROUNDTABLE_BCRYPT_COST": "4", "ROUNDTABLE_WEB_ROOT": str(ROOT / "Web"),
                "ROUNDTABLE_ADMIN_SECOND_FACTOR": "optional"})
    return env


def start(url, tmp_path, demo):
    port = free_port()
    log = open(tmp_path / f"hub-{port}.log", "wb")
    args = [str(BINARY), "serve", "--port", str(port), "--data-dir", str(tmp_path / f"unused-{port}")] + (["--demo"] if demo else [])
    process = subprocess.Popen(args, cwd=ROOT, env=env_for(url), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        assert process.poll() is None, (tmp_path / f"hub-{port}.log").read_text(errors="replace")[-2000:]
        try:
            if requests.get(base + "/readyz", timeout=1).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("hub did not become ready")


def test_migrate_and_two_instances_share_one_database(database_url, tmp_path):
    first = subprocess.run([str(BINARY), "migrate"], env=env_for(database_url), capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0 and "Applied" in first.stdout, first.stdout + first.stderr
    again = subprocess.run([str(BINARY), "migrate"], env=env_for(database_url), capture_output=True, text=True, cwd=ROOT)
    assert "up to date" in again.stdout

    a, base_a = start(database_url, tmp_path, demo=True)
    b, base_b = start(database_url, tmp_path, demo=False)
    try:
        token = requests.post(base_a + "/api/v1/session", json={"email": "admin@roundtable.example", "password": "demo-admin-passwort",
                                                                "mode": "token"}).json()["token"]
        auth = {"Authorization": "Bearer " + token}
        # A session made on instance A works on instance B: sessions live in the shared database.
        created = requests.post(base_b + "/api/v1/workspaces", headers=auth, json={"kind": "focusGroup", "name": "Über Instanz B"})
        assert created.status_code == 201, created.text
        listed = requests.get(base_a + "/api/v1/workspaces", headers=auth).json()
        assert any(w["name"] == "Über Instanz B" for w in listed["items"])
        # Both instances read one history: one epoch, one sequence per topic.
        cursor_b = requests.get(base_b + "/api/v1/workspaces", headers=auth).json()["cursor"]
        assert listed["cursor"] == cursor_b
        # Optimistic concurrency holds across instances.
        workspace = created.json()
        first_edit = requests.patch(f"{base_a}/api/v1/workspaces/{workspace['id']}", headers={**auth, "If-Match": '"v1"'},
                                    json={"description": "von A"})
        stale_edit = requests.patch(f"{base_b}/api/v1/workspaces/{workspace['id']}", headers={**auth, "If-Match": '"v1"'},
                                    json={"description": "von B"})
        assert first_edit.status_code == 200 and stale_edit.status_code == 409
        assert stale_edit.json()["current"]["description"] == "von A"
    finally:
        for process in (a, b):
            process.terminate()
            process.wait(timeout=10)
