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


def receive(ws, kind, timeout=10.0):
    """The next message of `kind`, skipping presence and the like. Batches are unpacked: their
    events are queued on the socket object and returned one by one."""
    import json
    pending = ws.__dict__.setdefault("_pending_events", [])
    if kind == "event" and pending:
        return pending.pop(0)
    deadline = time.time() + timeout
    while time.time() < deadline:
        ws.settimeout(max(0.1, deadline - time.time()))
        message = json.loads(ws.recv())
        if kind == "event" and message["type"] == "batch":
            pending.extend(message["events"])
            return pending.pop(0)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} within {timeout}s")


def test_live_events_cross_instances_and_resume_elsewhere(database_url, tmp_path):
    import json
    import websocket

    a, base_a = start(database_url, tmp_path, demo=True)
    b, base_b = start(database_url, tmp_path, demo=False)
    try:
        token = requests.post(base_a + "/api/v1/session", json={"email": "admin@roundtable.example", "password": "demo-admin-passwort",
                                                                "mode": "token"}).json()["token"]
        auth = {"Authorization": "Bearer " + token}
        ws = websocket.create_connection(base_a.replace("http", "ws") + "/ws", header=[f"Authorization: Bearer {token}"], timeout=10)
        receive(ws, "hello")
        ws.send(json.dumps({"type": "subscribe", "topic": "directory"}))
        subscribed = receive(ws, "subscribed")
        # A change committed through instance B reaches a subscriber of instance A, live.
        created = requests.post(base_b + "/api/v1/workspaces", headers=auth, json={"kind": "focusGroup", "name": "Live über B"})
        assert created.status_code == 201, created.text
        event = receive(ws, "event")
        assert event["name"] == "workspace.created" and event["data"]["name"] == "Live über B"
        assert event["seq"] == subscribed["seq"] + 1
        ws.close()

        # While away, two changes through A; resuming on B replays exactly those, in order.
        for name in ("Verpasst 1", "Verpasst 2"):
            assert requests.post(base_a + "/api/v1/workspaces", headers=auth, json={"kind": "focusGroup", "name": name}).status_code == 201
        ws = websocket.create_connection(base_b.replace("http", "ws") + "/ws", header=[f"Authorization: Bearer {token}"], timeout=10)
        receive(ws, "hello")
        ws.send(json.dumps({"type": "subscribe", "topic": "directory", "epoch": event["epoch"], "seq": event["seq"]}))
        resumed = receive(ws, "subscribed")
        assert resumed["recovered"] is True and resumed["replayed"] == 2
        first, second = receive(ws, "event"), receive(ws, "event")
        assert [first["seq"], second["seq"]] == [event["seq"] + 1, event["seq"] + 2]
        assert [first["data"]["name"], second["data"]["name"]] == ["Verpasst 1", "Verpasst 2"]
        ws.close()
    finally:
        for process in (a, b):
            process.terminate()
            process.wait(timeout=10)
