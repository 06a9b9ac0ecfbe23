"""Live-update chaos: many subscribers while events keep coming, random disconnects, a hub
killed and restarted (SQLite), an instance killed while another serves (PostgreSQL).

Every client resumes with its `{epoch, seq}` after each disconnect. At the end, each client's
received sequence per topic must equal the stored log from where it started to the head: no gap,
no duplicate, and every `subscribed` answer said `recovered: true` (same epoch, log retained).

`ROUNDTABLE_CHAOS_CLIENTS` / `ROUNDTABLE_CHAOS_SECONDS` scale it (CI: 24 clients, 8 s).
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
import websocket

from conftest import free_port
from test_backup import sign_in
from test_crash import start as start_sqlite
from test_postgres import database_url, start as start_postgres  # noqa: F401 (fixture)

CLIENTS = int(os.environ.get("ROUNDTABLE_CHAOS_CLIENTS", "24"))
SECONDS = float(os.environ.get("ROUNDTABLE_CHAOS_SECONDS", "8"))


class Follower(threading.Thread):
    """One client following `topics`; reconnects (to any live instance) and resumes after
    every disconnect, whether it chose to drop the socket or the server went away."""

    def __init__(self, name: str, bases, token: str, topics: list[str], rng: random.Random):
        super().__init__(daemon=True, name=name)
        self.bases, self.token, self.topics, self.rng = bases, token, topics, rng
        self.epoch: str | None = None
        self.start_seq: dict[str, int] = {}
        self.last: dict[str, int] = {}
        self.received: dict[str, list[int]] = {topic: [] for topic in topics}
        # Per topic, the spans (prev, seq) of conflated frames: the events strictly between
        # were superseded values the server did not send (Docs/api/websocket.md).
        self.superseded: dict[str, list[tuple[int, int]]] = {topic: [] for topic in topics}
        self.gaps: list[str] = []
        self.unrecovered: list[dict] = []
        self.connections = 0
        self.drops = 0
        self.stop = threading.Event()
        self.problems: list[str] = []

    def subscribe(self, ws) -> None:
        for topic in self.topics:
            message = {"type": "subscribe", "topic": topic}
            if topic in self.last:
                message.update({"epoch": self.epoch, "seq": self.last[topic]})
            ws.send(json.dumps(message))

    def handle(self, message: dict) -> None:
        kind = message["type"]
        if kind == "subscribed":
            topic = message["topic"]
            if topic not in self.last:
                self.start_seq[topic] = self.last[topic] = message["seq"]
                self.epoch = message["epoch"]
            elif not message["recovered"]:
                self.unrecovered.append(message)
        elif kind in ("event", "batch"):
            for event in message["events"] if kind == "batch" else [message]:
                topic = event["topic"]
                prev = event.get("prev", event["seq"] - 1)
                if topic in self.last and event["seq"] > self.last[topic] and prev > self.last[topic]:
                    # A real gap: the server vouches for `prev`, which this client never got.
                    self.gaps.append(f"{topic}: event {event['seq']} follows {prev}, client holds {self.last[topic]}")
                if prev != event["seq"] - 1:
                    self.superseded[topic].append((prev, event["seq"]))
                self.received[topic].append(event["seq"])
                self.last[topic] = event["seq"]
        elif kind == "resync":
            raise ConnectionResetError("resync: reconnect and resume")
        elif kind == "error":
            self.problems.append(json.dumps(message))

    def run(self) -> None:
        while not self.stop.is_set():
            base = self.rng.choice(self.bases())
            try:
                ws = websocket.create_connection(base.replace("http", "ws") + "/ws", timeout=2,
                                                 header=[f"Authorization: Bearer {self.token}"])
            except Exception:  # noqa: BLE001 (the instance is down: try again)
                time.sleep(0.05 + self.rng.random() * 0.1)
                continue
            self.connections += 1
            try:
                self.subscribe(ws)
                drop_at = time.monotonic() + self.rng.uniform(0.3, 3.0)
                while not self.stop.is_set():
                    if time.monotonic() > drop_at:
                        self.drops += 1
                        break  # a random disconnect: the socket just goes away
                    ws.settimeout(0.2)
                    try:
                        self.handle(json.loads(ws.recv()))
                    except websocket.WebSocketTimeoutException:
                        continue
            except Exception:  # noqa: BLE001 (server closed or went away: resume)
                pass
            finally:
                try:
                    ws.sock and ws.sock.close()
                except OSError:
                    pass

    def drain(self, bases, heads: dict[str, int], timeout: float = 20) -> None:
        """After the chaos: one last connection that stays until every head is reached."""
        self.stop.set()
        self.join(timeout=10)
        deadline = time.time() + timeout
        while time.time() < deadline and any(self.last.get(t, 0) < heads[t] for t in self.topics):
            try:
                ws = websocket.create_connection(bases[0].replace("http", "ws") + "/ws", timeout=2,
                                                 header=[f"Authorization: Bearer {self.token}"])
                self.subscribe(ws)
                while time.time() < deadline and any(self.last.get(t, 0) < heads[t] for t in self.topics):
                    ws.settimeout(1)
                    try:
                        self.handle(json.loads(ws.recv()))
                    except websocket.WebSocketTimeoutException:
                        continue
                ws.close()
            except Exception:  # noqa: BLE001
                time.sleep(0.1)


class Producer(threading.Thread):
    """Changes workspaces through whichever instance is up, so events keep coming."""

    def __init__(self, bases, auth, workspace_ids):
        super().__init__(daemon=True)
        self.bases, self.auth, self.workspace_ids = bases, auth, workspace_ids
        self.stop = threading.Event()
        self.acknowledged = 0

    def run(self):
        rng = random.Random(5)
        number = 0
        while not self.stop.is_set():
            number += 1
            base = rng.choice(self.bases())
            try:
                if rng.random() < 0.5:
                    answer = requests.post(base + "/api/v1/workspaces", headers=self.auth, timeout=3,
                                           json={"kind": "focusGroup", "name": f"Chaos {number}"})
                else:
                    workspace = rng.choice(self.workspace_ids)
                    current = requests.get(f"{base}/api/v1/workspaces/{workspace}", headers=self.auth, timeout=3)
                    if current.status_code != 200:
                        continue
                    answer = requests.patch(f"{base}/api/v1/workspaces/{workspace}", timeout=3,
                                            headers={**self.auth, "If-Match": current.headers["ETag"]}, json={"description": f"Stand {number}"})
                if answer.status_code in (200, 201):
                    self.acknowledged += 1
            except requests.RequestException:
                time.sleep(0.05)
            time.sleep(0.01)


def verify(followers, log_of, heads):
    total_events = 0
    for follower in followers:
        assert not follower.gaps, f"{follower.name}: gaps seen live: {follower.gaps[:3]}"
        assert not follower.unrecovered, f"{follower.name}: recovered:false though the epoch and the log were kept: {follower.unrecovered[:2]}"
        for topic in follower.topics:
            spans = follower.superseded[topic]
            # Conflated values (inside a received frame's (prev, seq) span) are not sent live.
            expected = [seq for seq in log_of(topic, follower.start_seq[topic])
                        if seq in follower.received[topic] or not any(prev < seq < upto for prev, upto in spans)]
            got = follower.received[topic]
            duplicates = len(got) - len(set(got))
            missing = sorted(set(expected) - set(got))
            assert duplicates == 0, f"{follower.name} {topic}: {duplicates} duplicates"
            assert not missing, f"{follower.name} {topic}: {len(missing)} missing, first {missing[:5]}"
            assert got == expected, f"{follower.name} {topic}: out of order"
            total_events += len(got)
    return total_events


def run_chaos(bases, auth, token, kill_and_restart, log_of, head_of, workspace_ids, label):
    rng = random.Random(13)
    topics_for = lambda n: ["directory"] + [f"workspace:{workspace_ids[n % len(workspace_ids)]}"]  # noqa: E731
    followers = [Follower(f"client-{n}", bases, token, topics_for(n), random.Random(100 + n)) for n in range(CLIENTS)]
    for follower in followers:
        follower.start()
    time.sleep(0.5)
    producer = Producer(bases, auth, workspace_ids)
    producer.start()
    began = time.monotonic()
    time.sleep(SECONDS / 2)
    kill_and_restart()
    time.sleep(SECONDS / 2)
    producer.stop.set()
    producer.join(timeout=10)
    heads = {topic: head_of(topic) for f in followers for topic in f.topics}
    for follower in followers:
        follower.stop.set()
    for follower in followers:
        follower.join(timeout=10)
    drained = time.monotonic()
    for follower in followers:
        follower.drain(bases(), heads)
    drain_seconds = time.monotonic() - drained
    total = verify(followers, log_of, heads)
    assert producer.acknowledged >= 20, f"only {producer.acknowledged} writes: the chaos had nothing to deliver"
    assert all(f.received[t] for f in followers for t in f.topics), "a client received nothing on a topic"
    connections = sum(f.connections for f in followers)
    drops = sum(f.drops for f in followers)
    print(f"\nchaos ({label}): {CLIENTS} clients, {drained - began:.1f} s of chaos, {producer.acknowledged} writes, "
          f"{connections} connections ({drops} dropped on purpose, the rest cut by the kill), {total} events checked: "
          f"no gap, no duplicate, every resume recovered; the last catch-up of all clients took {drain_seconds:.1f} s")


def test_chaos_on_sqlite_with_a_hub_killed_and_restarted(tmp_path):
    data, log, port = tmp_path / "data", tmp_path / "hub.log", free_port()
    state = {"process": start_sqlite(data, port, log, demo=True)[0]}
    base = f"http://127.0.0.1:{port}"
    try:
        auth = sign_in(base)
        token = auth["Authorization"].split(" ", 1)[1]
        workspace_ids = [w["id"] for w in requests.get(base + "/api/v1/workspaces", headers=auth).json()["items"][:3]]
        database = data / "roundtable.sqlite"

        def kill_and_restart():
            os.kill(state["process"].pid, signal.SIGKILL)
            state["process"].wait(timeout=10)
            time.sleep(0.3)
            state["process"] = start_sqlite(data, port, log, demo=False)[0]

        def log_of(topic, after):
            with sqlite3.connect(database) as db:
                return [r[0] for r in db.execute("SELECT seq FROM event WHERE topic = ? AND seq > ? ORDER BY seq", (topic, after))]

        def head_of(topic):
            with sqlite3.connect(database) as db:
                row = db.execute("SELECT seq FROM topic_head WHERE topic = ?", (topic,)).fetchone()
                return row[0] if row else 0

        run_chaos(lambda: [base], auth, token, kill_and_restart, log_of, head_of, workspace_ids, "SQLite, kill -9 and restart")
    finally:
        if state["process"].poll() is None:
            state["process"].terminate()
            state["process"].wait(timeout=15)


def test_chaos_on_postgres_with_an_instance_killed(database_url, tmp_path):
    a, base_a = start_postgres(database_url, tmp_path, demo=True)
    b, base_b = start_postgres(database_url, tmp_path, demo=False)
    alive = {base_a: a, base_b: b}
    try:
        auth = sign_in(base_a)
        token = auth["Authorization"].split(" ", 1)[1]
        workspace_ids = [w["id"] for w in requests.get(base_a + "/api/v1/workspaces", headers=auth).json()["items"][:3]]

        def kill_and_restart():
            os.kill(a.pid, signal.SIGKILL)  # instance A dies; clients move to B and resume there
            a.wait(timeout=10)
            del alive[base_a]

        def query(sql, *args):
            out = subprocess.run(["psql", database_url, "-Atc", sql % args], capture_output=True, text=True, check=True).stdout
            return [int(line) for line in out.split()]

        def log_of(topic, after):
            return query("SELECT seq FROM event WHERE topic = '%s' AND seq > %d ORDER BY seq", topic, after)

        def head_of(topic):
            rows = query("SELECT seq FROM topic_head WHERE topic = '%s'", topic)
            return rows[0] if rows else 0

        run_chaos(lambda: list(alive), auth, token, kill_and_restart, log_of, head_of, workspace_ids, "PostgreSQL, one of two instances killed")
    finally:
        for process in (a, b):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=15)
