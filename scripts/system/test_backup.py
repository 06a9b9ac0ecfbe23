"""`roundtable backup` while a client writes over HTTP, `roundtable restore` into a new data
folder, and a hub serving the restored data; `roundtable copy` from a served SQLite data set to
PostgreSQL, where a client resumes with the cursor it held."""
import json
import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import requests
import websocket

from conftest import ROOT, free_port
from test_postgres import BINARY, database_url, receive  # noqa: F401 (fixture)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_")}
    env.update({"ROUNDTABLE_BCRYPT_COST": "4", "ROUNDTABLE_WEB_ROOT": str(ROOT / "Web")})
    env.update(extra)
    return env


def serve(data: Path, log: Path, demo: bool, **extra):
    port = free_port()
    out = open(log, "wb")
    args = [str(BINARY), "serve", "--port", str(port), "--data-dir", str(data)] + (["--demo"] if demo else [])
    process = subprocess.Popen(args, cwd=ROOT, env=clean_env(ROUNDTABLE_ADMIN_SECOND_FACTOR="optional", **extra),
                               stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")[-2000:]
        try:
            if requests.get(base + "/readyz", timeout=1).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("hub did not become ready")


def roundtable(*args, env=None):
    return subprocess.run([str(BINARY), *args], cwd=ROOT, env=env or clean_env(), capture_output=True, text=True, timeout=120)


def sign_in(base):
    response = requests.post(base + "/api/v1/session", json={"email": "admin@roundtable.example", "password": "demo-admin-passwort",
                                                            "mode": "token"})
    assert response.status_code == 200, response.text
    return {"Authorization": "Bearer " + response.json()["token"]}


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


class Writer:
    """Creates workspaces over HTTP on two threads until stopped; records each acknowledged name
    with the time of its 201."""

    def __init__(self, base, auth):
        self.base, self.auth = base, auth
        self.acknowledged = []  # (monotonic time of the answer, name)
        self.attempted = set()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.errors = []
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(2)]

    def run(self, number):
        session = requests.Session()
        index = 0
        while not self.stop.is_set():
            index += 1
            name = f"Last {number}-{index:05d}"
            with self.lock:
                self.attempted.add(name)
            try:
                response = session.post(self.base + "/api/v1/workspaces", headers=self.auth,
                                        json={"kind": "focusGroup", "name": name, "description": "x" * 500}, timeout=10)
            except requests.RequestException as error:
                self.errors.append(repr(error))
                continue
            if response.status_code == 201:
                with self.lock:
                    self.acknowledged.append((time.monotonic(), name))
            else:
                self.errors.append(f"{response.status_code} {response.text[:200]}")

    def count(self):
        with self.lock:
            return len(self.acknowledged)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_backup_under_write_load_then_restore_and_serve(tmp_path):
    live = tmp_path / "live"
    hub, base = serve(live, tmp_path / "live.log", demo=True)
    restored_hub = None
    try:
        auth = sign_in(base)
        epoch_before = requests.get(base + "/api/v1/workspaces", headers=auth).json()["cursor"]["epoch"]
        backup = tmp_path / "backups" / "roundtable-backup.sqlite"
        with Writer(base, auth) as writer:
            while writer.count() < 150:
                time.sleep(0.01)
            with writer.lock:
                started = time.monotonic()
                before = {name for _, name in writer.acknowledged}
            result = roundtable("backup", "--data-dir", str(live), "--to", str(backup))
            finished = time.monotonic()
            while writer.count() < len(before) + 50:  # writing goes on after the backup
                time.sleep(0.01)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "integrity_check ok" in result.stdout
        assert not writer.errors, writer.errors[:5]
        during = [name for at, name in writer.acknowledged if started < at < finished]
        assert backup.exists() and not list(backup.parent.glob("*.tmp-*"))
        assert integrity(backup) == "ok"
        with sqlite3.connect(backup) as db:
            in_backup = {row[0] for row in db.execute("SELECT name FROM workspace WHERE name LIKE 'Last %'")}
            head = db.execute("SELECT seq FROM topic_head WHERE topic = 'directory'").fetchone()[0]
            seqs = [row[0] for row in db.execute("SELECT seq FROM event WHERE topic = 'directory' ORDER BY seq")]
        # Every write acknowledged before the backup began is in it; nothing that was never sent is.
        assert before <= in_backup, f"{len(before - in_backup)} acknowledged writes missing"
        assert in_backup <= writer.attempted
        # State and log from one moment: the directory log has no gap and ends at its head.
        assert seqs == list(range(1, head + 1))

        # A second backup to the same file is refused (nothing is overwritten by accident).
        again = roundtable("backup", "--data-dir", str(live), "--to", str(backup))
        assert again.returncode != 0 and "exists" in again.stderr

        restored = tmp_path / "restored"
        outcome = roundtable("restore", "--data-dir", str(restored), "--from", str(backup))
        assert outcome.returncode == 0, outcome.stdout + outcome.stderr
        assert integrity(restored / "roundtable.sqlite") == "ok"
        restored_hub, restored_base = serve(restored, tmp_path / "restored.log", demo=False)
        # The session made before the backup is in it, so the same token works.
        listed = requests.get(restored_base + "/api/v1/workspaces", headers=auth).json()
        names = {w["name"] for w in listed["items"]}
        assert before <= names
        assert {n for n in names if n.startswith("Last ")} == in_backup
        # A restore starts a new history: clients holding old positions reload.
        assert listed["cursor"]["epoch"] != epoch_before

        # While a hub serves the data folder, restore refuses and changes nothing.
        refused = roundtable("restore", "--data-dir", str(restored), "--from", str(backup))
        assert refused.returncode != 0 and "stop the hub" in refused.stderr, refused.stderr
        assert requests.get(restored_base + "/api/v1/workspaces", headers=auth).json()["cursor"] == listed["cursor"]

        size = backup.stat().st_size
        print(f"\nbackup under load: {result.stdout.strip()}\n  process wall time {1000 * (finished - started):.0f} ms, "
              f"{size} bytes, {len(before)} writes acknowledged before it, {len(during)} acknowledged while it ran")
    finally:
        for process in (hub, restored_hub):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)


def test_backup_on_postgres_points_to_pg_dump(tmp_path):
    result = roundtable("backup", "--to", str(tmp_path / "x.sqlite"),
                        env=clean_env(ROUNDTABLE_DATABASE_URL="postgres://nobody@127.0.0.1:1/none"))
    assert result.returncode == 2 and "pg_dump" in result.stderr and "pg_restore" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_copy_to_postgres_keeps_cursors_valid(database_url, tmp_path):
    """Moving a served SQLite data set to PostgreSQL with `roundtable copy`: a client that held a
    cursor on the SQLite hub resumes on the PostgreSQL hub without reloading."""
    data = tmp_path / "sqlite"
    hub, base = serve(data, tmp_path / "sqlite.log", demo=True)
    try:
        auth = sign_in(base)
        for name in ("Vor dem Umzug 1", "Vor dem Umzug 2"):
            assert requests.post(base + "/api/v1/workspaces", headers=auth, json={"kind": "focusGroup", "name": name}).status_code == 201
        cursor = requests.get(base + "/api/v1/workspaces", headers=auth).json()["cursor"]
    finally:
        hub.terminate()
        hub.wait(timeout=10)

    started = time.monotonic()
    copied = roundtable("copy", "--from", str(data), "--to", database_url)
    seconds = time.monotonic() - started
    assert copied.returncode == 0, copied.stdout + copied.stderr
    assert "verified" in copied.stdout and f"Epoch kept: {cursor['epoch']}" in copied.stdout
    # A second copy into the now non-empty database is refused.
    twice = roundtable("copy", "--from", str(data), "--to", database_url)
    assert twice.returncode != 0 and "not empty" in twice.stderr
    assert roundtable("copy", "--verify-only", "--from", str(data), "--to", database_url).returncode == 0

    port = free_port()
    log = open(tmp_path / "pg.log", "wb")
    pg = subprocess.Popen([str(BINARY), "serve", "--port", str(port), "--data-dir", str(tmp_path / "unused")], cwd=ROOT,
                          env=clean_env(ROUNDTABLE_DATABASE_URL=database_url, ROUNDTABLE_ADMIN_SECOND_FACTOR="optional"),
                          stdout=log, stderr=subprocess.STDOUT)
    pg_base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            assert pg.poll() is None, (tmp_path / "pg.log").read_text(errors="replace")[-2000:]
            try:
                if requests.get(pg_base + "/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        # The session is in the copy too; the cursor from SQLite is valid here.
        assert requests.post(pg_base + "/api/v1/workspaces", headers=auth, json={"kind": "focusGroup", "name": "Nach dem Umzug"}).status_code == 201
        token = auth["Authorization"].split(" ", 1)[1]
        ws = websocket.create_connection(pg_base.replace("http", "ws") + "/ws", header=[f"Authorization: Bearer {token}"], timeout=10)
        receive(ws, "hello")
        ws.send(json.dumps({"type": "subscribe", "topic": "directory", "epoch": cursor["epoch"], "seq": cursor["seq"]}))
        resumed = receive(ws, "subscribed")
        assert resumed["recovered"] is True and resumed["replayed"] == 1
        event = receive(ws, "event")
        assert event["seq"] == cursor["seq"] + 1 and event["data"]["name"] == "Nach dem Umzug"
        ws.close()
        print(f"\ncopy SQLite -> PostgreSQL: {copied.stdout.strip().splitlines()[-2]} (process wall time {seconds:.2f} s)")
    finally:
        pg.terminate()
        pg.wait(timeout=10)
