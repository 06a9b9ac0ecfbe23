"""Crash safety on the embedded store: `kill -9` under concurrent write load, many times.

Four clients create workspaces over HTTP as fast as the hub answers. The hub is killed with
SIGKILL at a random moment, `PRAGMA integrity_check` runs on the database file it left
behind, and the hub starts again on the same data. After every round: every write that was
acknowledged (201) to a client is there, nothing that was never sent is, and each topic's event
log runs from its first to its last sequence number without a gap.

`ROUNDTABLE_CRASH_ROUNDS` sets the number of kills (CI: 5; the proof in Docs/reliability.md: 20).
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import requests

from conftest import ROOT, free_port
from test_backup import BINARY, clean_env, integrity, sign_in

ROUNDS = int(os.environ.get("ROUNDTABLE_CRASH_ROUNDS", "5"))
WRITERS = 4


def start(data: Path, port: int, log: Path, demo: bool, env=None) -> tuple[subprocess.Popen, float]:
    out = open(log, "ab")
    args = [str(BINARY), "serve", "--port", str(port), "--data-dir", str(data)] + (["--demo"] if demo else [])
    began = time.monotonic()
    process = subprocess.Popen(args, cwd=ROOT, env=env or clean_env(ROUNDTABLE_ADMIN_SECOND_FACTOR="optional"),
                               stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process, time.monotonic() - began
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise AssertionError("hub did not become ready:\n" + log.read_text(errors="replace")[-3000:])


class Writers:
    """Clients that create workspaces until stopped. A name is `attempted` before it is sent and
    `acknowledged` once the hub answered 201; failures (the hub is down) are retried with new names."""

    def __init__(self, base: str, auth: dict, prefix: str):
        self.base, self.auth, self.prefix = base, auth, prefix
        self.attempted: set[str] = set()
        self.acknowledged: set[str] = set()
        self.errors: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(WRITERS)]

    def run(self, number: int) -> None:
        session = requests.Session()
        count = 0
        while not self.stop.is_set():
            count += 1
            name = f"{self.prefix} {number}-{count}"
            with self.lock:
                self.attempted.add(name)
            try:
                answer = session.post(self.base + "/api/v1/workspaces", headers=self.auth, timeout=5,
                                      json={"kind": "focusGroup", "name": name})
            except requests.RequestException as error:
                with self.lock:
                    self.errors[type(error).__name__] = self.errors.get(type(error).__name__, 0) + 1
                session = requests.Session()
                time.sleep(0.02)
                continue
            if answer.status_code == 201:
                with self.lock:
                    self.acknowledged.add(name)
            else:
                # Anything but 201 must be an error in the documented envelope.
                try:
                    code = answer.json()["error"]["code"]
                except (ValueError, KeyError, TypeError):
                    code = "undocumented:" + answer.text[:80]
                with self.lock:
                    key = f"{answer.status_code} {code}"
                    self.errors[key] = self.errors.get(key, 0) + 1

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)


def stored_names(database: Path, prefix: str) -> set[str]:
    with sqlite3.connect(database) as db:
        return {row[0] for row in db.execute("SELECT name FROM workspace WHERE name LIKE ?", (prefix + " %",))}


def gaps_in_log(database: Path) -> list[str]:
    problems = []
    with sqlite3.connect(database) as db:
        heads = dict(db.execute("SELECT topic, seq FROM topic_head"))
        for topic, head in heads.items():
            seqs = [row[0] for row in db.execute("SELECT seq FROM event WHERE topic = ? ORDER BY seq", (topic,))]
            if seqs and (seqs != list(range(seqs[0], seqs[0] + len(seqs))) or seqs[-1] != head):
                problems.append(f"{topic}: head {head}, log {seqs[:3]}…{seqs[-3:]} ({len(seqs)})")
    return problems


def test_kill_9_under_write_load_loses_no_acknowledged_write(tmp_path):
    data, log, port = tmp_path / "data", tmp_path / "hub.log", free_port()
    database = data / "roundtable.sqlite"
    process, _ = start(data, port, log, demo=True)
    base = f"http://127.0.0.1:{port}"
    auth = sign_in(base)  # the token lives in the database: it works after every restart
    rng = random.Random(9)
    recoveries, integrity_checks = [], []
    began = time.monotonic()
    try:
        with Writers(base, auth, "Absturz") as writers:
            for round_number in range(ROUNDS):
                target = writers.count() + rng.randint(20, 120)
                deadline = time.time() + 60
                while writers.count() < target:
                    assert time.time() < deadline, f"round {round_number}: writes stopped at {writers.count()}; errors {writers.errors}"
                    time.sleep(0.005)
                time.sleep(rng.random() * 0.05)  # land anywhere in a commit, not just after an answer
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
                with writers.lock:
                    acknowledged = set(writers.acknowledged)

                checked = time.monotonic()
                assert integrity(database) == "ok", f"round {round_number}: integrity_check failed"
                integrity_checks.append(time.monotonic() - checked)
                present = stored_names(database, "Absturz")
                missing = acknowledged - present
                assert not missing, f"round {round_number}: {len(missing)} acknowledged writes lost: {sorted(missing)[:5]}"
                with writers.lock:
                    assert present <= writers.attempted, "a workspace appeared that no client sent"
                assert not gaps_in_log(database), gaps_in_log(database)

                process, recovery = start(data, port, log, demo=False)
                recoveries.append(recovery)
            # After the last restart the hub serves and writes again.
            target = writers.count() + 20
            deadline = time.time() + 30
            while writers.count() < target:
                assert time.time() < deadline, "no writes after the last restart"
                time.sleep(0.01)
        listed = requests.get(base + "/api/v1/workspaces", headers=auth, timeout=5).json()
        served = {w["name"] for w in listed["items"] if w["name"].startswith("Absturz ")}
        assert writers.acknowledged <= served
        assert not [key for key in writers.errors if "undocumented" in key], writers.errors
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)
    elapsed = time.monotonic() - began
    recoveries.sort()
    print(f"\ncrash test: {ROUNDS} x SIGKILL under {WRITERS} concurrent writers in {elapsed:.1f} s: "
          f"{len(writers.acknowledged)} writes acknowledged, 0 lost, {len(writers.attempted) - len(writers.acknowledged)} unanswered "
          f"(in flight at a kill or refused while down), integrity_check ok {ROUNDS}/{ROUNDS}; restart to ready "
          f"median {1000 * recoveries[len(recoveries) // 2]:.0f} ms, max {1000 * recoveries[-1]:.0f} ms; client errors {writers.errors}")
