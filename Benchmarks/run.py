"""The benchmark run (issue 9): the hub and its peers side by side, same load client, same run.

Started by `bash Benchmarks/run.sh` (which builds everything first). Scenarios:

  S1  idle subscribers: server memory (RSS) per socket and CPU while idle, hub with keepalive
  S2  fan-out: one topic, 1,000 and 5,000 subscribers, a sweep of event rates: delivered/s,
      loss, p50/p99/p999 latency from the scheduled send time, server CPU per delivery
      (CPU with subscribers minus CPU at the same publish rate without subscribers)
  S3  vote ingest with tallies: one Lean Coffee board, 1,000 viewers on leanCoffee:<board>,
      guests placing dots at fixed open-loop rates (the C client's HTTP publisher): votes/s
      accepted, tally staleness per viewer and for all viewers, lost updates, CPU per vote
  S4  500 Lean Coffee boards x 10 subscribers (5,000 sockets, each on its own board's topic),
      topics added on all boards at a fixed total rate: delivered/s, loss, latency, CPU
  S5  durable HTTP mutations/s with their events (hub only)
  S6  reconnect storm: every subscriber drops at once and resumes with {epoch, seq}
  S7  S2 across two hub instances on one PostgreSQL database: subscribers split over both,
      the publisher on the first: delivered/s, loss, latency on each instance (cross-instance)
  floor  the kernel cost of one small send() per recipient on this machine (C)

The server runs on CPU 0, the load client and the publisher on CPU 1. Results go to
Benchmarks/results/<timestamp>.jsonl (one JSON object per measurement) and a summary
table on stdout. `--quick` runs a smaller sweep (used to check the harness itself).
"""
from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RTLOAD = HERE / "loadclient" / "rtload"
PEERS = HERE / "peers"
VENV_PY = HERE / ".venv" / "bin" / "python"
TICKS = os.sysconf("SC_CLK_TCK")
SERVER_CPU, CLIENT_CPU = "0", "1"
# The hub under its writers (ROUNDTABLE_WS_WRITER); "hub" runs the build's default.
HUBS = {"hub": None, "hub-task": "task", "hub-direct": "direct", "hub-loop": "loop"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_open_files():
    import resource
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Server:
    """A server under test: the hub or a peer, pinned to CPU 0."""

    def __init__(self, name: str, database_url: str | None = None, demo: bool = True, label: str | None = None):
        self.name = name
        self.port = free_port()
        self.token = None
        self.topic = None
        self.log = open(HERE / "results" / f"{label or name}.log", "wb")
        env = dict(os.environ)
        if name in HUBS:
            data = Path(f"/tmp/roundtable-bench-{os.getpid()}-{self.port}")
            subprocess.run(["rm", "-rf", str(data)], check=True)
            env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_")}
            env.update({"ROUNDTABLE_BCRYPT_COST": "4", "ROUNDTABLE_ADMIN_SECOND_FACTOR": "optional",
                        "ROUNDTABLE_WEB_ROOT": str(ROOT / "Web"), "ROUNDTABLE_LOG_LEVEL": "warning",
                        "ROUNDTABLE_WS_BUFFER": "4096",
                        # hub: the default writer; hub-task: an async writer task per connection;
                        # hub-direct: one event-loop task per connection and wake-up; hub-loop:
                        # drains grouped per event loop, one loop task per commit. Side by side.
                        **({"ROUNDTABLE_WS_WRITER": HUBS[name]} if HUBS[name] else {}),
                        **({"ROUNDTABLE_DATABASE_URL": database_url} if database_url else {}),
                        # BENCH_HUB_X=v runs the hub with ROUNDTABLE_X=v (e.g. BENCH_HUB_LIVE_CONFLATE_MS=40).
                        **{"ROUNDTABLE_" + k[len("BENCH_HUB_"):]: v for k, v in os.environ.items() if k.startswith("BENCH_HUB_")}})
            command = [os.environ.get("ROUNDTABLE_BENCH_BIN", str(ROOT / ".build" / "release" / "roundtable")), "serve", "--port", str(self.port),
                       "--data-dir", str(data)] + (["--demo"] if demo else [])
        elif name == "go-gorilla":
            command = [str(PEERS / "bin" / "peer-go"), str(self.port)]
        elif name == "node-ws":
            command = ["node", str(PEERS / "node-ws.js"), str(self.port)]
        elif name == "py-websockets":
            command = [str(VENV_PY), str(PEERS / "py-websockets.py"), str(self.port)]
        elif name == "py-picows":
            command = [str(VENV_PY), str(PEERS / "py-picows.py"), str(self.port)]
        else:
            raise ValueError(name)
        self.process = subprocess.Popen(["taskset", "-c", SERVER_CPU] + command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        preexec_fn=raise_open_files)
        deadline = time.time() + 60
        while time.time() < deadline:
            assert self.process.poll() is None, f"{name} exited; see Benchmarks/results/{name}.log"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        if name in HUBS:
            self.wait_ready()
            if demo:
                self.token = self.sign_in()
            self.topic = "directory"

    def wait_ready(self):
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("hub not ready")

    def sign_in(self) -> str:
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request("POST", "/api/v1/session", body=json.dumps({"email": "admin@roundtable.example", "password": "demo-admin-passwort", "mode": "token"}),
                  headers={"Content-Type": "application/json"})
        return json.loads(c.getresponse().read())["token"]

    @property
    def pid(self) -> int:
        # taskset execs the server, so the pid is the server's.
        return self.process.pid

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class LoadClient:
    def __init__(self, server: Server, conns: int, duration: float = 0, storm_after: float = -1):
        args = ["taskset", "-c", CLIENT_CPU, str(RTLOAD), "--port", str(server.port), "--conns", str(conns), "--ramp", "4000"]
        if server.token:
            args += ["--token", server.token, "--topic", server.topic]
        if duration:
            args += ["--duration", str(duration)]
        if storm_after >= 0:
            args += ["--storm-after", str(storm_after)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stderr.readline()
        assert line.startswith("ready"), line + self.process.stderr.read()
        self.ready_line = line.strip()

    def finish(self) -> dict:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=60)
        return json.loads(out)


class HubPublisher:
    """Creates workspaces named 'Bench t=<scheduled ns>' at a fixed rate (open loop): each
    send is scheduled in advance, and the stamp is the schedule, not the actual send time."""

    def __init__(self, server: Server):
        self.server = server

    def run(self, rate: float, seconds: float, burst: int = 1) -> dict:
        total = int(rate * seconds)
        start = time.time_ns() + 50_000_000
        lock = threading.Lock()
        state = {"next": 0, "ok": 0, "late": 0, "errors": 0}

        def worker():
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
            headers = {"Authorization": "Bearer " + self.server.token, "Content-Type": "application/json"}
            while True:
                with lock:
                    k = state["next"]
                    if k >= total:
                        return
                    state["next"] += 1
                scheduled = start + int((k // burst) * burst * 1e9 / rate)
                delay = (scheduled - time.time_ns()) / 1e9
                if delay > 0:
                    time.sleep(delay)
                elif delay < -0.005:
                    with lock:
                        state["late"] += 1
                body = json.dumps({"kind": "focusGroup", "name": f"Bench t={scheduled}", "description": "x" * 300})
                try:
                    conn.request("POST", "/api/v1/workspaces", body=body, headers=headers)
                    answer = conn.getresponse()
                    answer.read()
                    with lock:
                        state["ok" if answer.status == 201 else "errors"] += 1
                except OSError:
                    conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
                    with lock:
                        state["errors"] += 1

        threads = [threading.Thread(target=worker) for _ in range(min(64, max(4, int(rate / 25), 2 * burst)))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return {"published": state["ok"], "late_sends": state["late"], "publish_errors": state["errors"]}


class WSPublisher:
    """Sends 't=<scheduled ns>' messages padded to the hub's event size over one WebSocket."""

    def __init__(self, server: Server, size: int):
        self.server, self.size = server, size

    def run(self, rate: float, seconds: float, burst: int = 1) -> dict:
        sock = socket.create_connection(("127.0.0.1", self.server.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(4096)
        total = int(rate * seconds)
        start = time.time_ns() + 50_000_000
        late = 0
        for k in range(total):
            scheduled = start + int((k // burst) * burst * 1e9 / rate)
            delay = (scheduled - time.time_ns()) / 1e9
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.005:
                late += 1
            text = f'{{"name":"Bench t={scheduled}","description":"'
            payload = (text + "x" * max(0, self.size - len(text) - 2) + '"}').encode()
            header = struct.pack("!BBH", 0x81, 0x80 | 126, len(payload)) if len(payload) >= 126 else struct.pack("!BB", 0x81, 0x80 | len(payload))
            mask = os.urandom(4)
            sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        time.sleep(0.2)
        sock.close()
        return {"published": total, "late_sends": late, "publish_errors": 0}


def publisher_for(server: Server, size: int):
    return HubPublisher(server) if server.name.startswith("hub") else WSPublisher(server, size)


def emit(results: list, record: dict):
    results.append(record)
    print(json.dumps(record), flush=True)


def s1_idle(server: Server, conns: int, window: float, results: list):
    rss0 = rss_kb(server.pid)
    client = LoadClient(server, conns)
    time.sleep(1.0)  # let subscriptions and presence settle
    cpu0 = cpu_seconds(server.pid)
    time.sleep(window)
    cpu1 = cpu_seconds(server.pid)
    rss1 = rss_kb(server.pid)
    load = client.finish()
    emit(results, {"scenario": "S1", "server": server.name, "conns": conns, "ready": load["ready"],
                   "rss_kb_per_socket": round((rss1 - rss0) / conns, 2), "rss_mb": round(rss1 / 1024, 1),
                   "idle_cpu_percent": round(100 * (cpu1 - cpu0) / window, 3), "window_s": window, "connect_s": load["connect_s"]})


def s2_fanout(server: Server, conns: int, rates: list[float], seconds: float, size: int, results: list, burst: int = 1):
    publisher = publisher_for(server, size)
    baselines = {}
    for rate in rates:  # the cost of taking the events in, without anyone to deliver them to
        cpu0 = cpu_seconds(server.pid)
        publisher.run(rate, seconds, burst)
        baselines[rate] = cpu_seconds(server.pid) - cpu0
    client = LoadClient(server, conns)
    time.sleep(1.0)
    for rate in rates:
        cpu0 = cpu_seconds(server.pid)
        sent = publisher.run(rate, seconds, burst)
        time.sleep(0.5)  # let the last events arrive
        cpu = cpu_seconds(server.pid) - cpu0
        load = client.finish()
        delivered = load["deliveries"]
        expected = sent["published"] * load["ready"]
        emit(results, {"scenario": "S2" if burst == 1 else "S2-burst", "server": server.name, "conns": conns, "rate": rate, "burst": burst, **sent,
                       "expected": expected, "delivered": delivered, "loss": expected - delivered,
                       "deliveries_per_s": round(delivered / seconds), "p50_ms": load["p50_us"] / 1000, "p99_ms": load["p99_us"] / 1000,
                       "p999_ms": load["p999_us"] / 1000, "max_ms": load["max_us"] / 1000,
                       "server_cpu_s": round(cpu, 3), "baseline_cpu_s": round(baselines[rate], 3),
                       "server_cpu_us_per_delivery": round(1e6 * (cpu - baselines[rate]) / delivered, 3) if delivered else None,
                       "client_cpu_us_per_delivery": load["client_cpu_us_per_delivery"], "gaps": load["gaps"], "duplicates": load["duplicates"]})
        client = LoadClient(server, conns)  # a fresh client per rate: clean counters
        time.sleep(1.0)
    client.finish()


def s5_mutations(server: Server, seconds: float, results: list):
    """Durable HTTP mutations/s with their events, closed loop with 32 connections."""
    stop = time.time() + seconds
    counts = [0] * 32
    cpu0 = cpu_seconds(server.pid)

    def worker(n):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        headers = {"Authorization": "Bearer " + server.token, "Content-Type": "application/json"}
        i = 0
        while time.time() < stop:
            i += 1
            conn.request("POST", "/api/v1/workspaces", body=json.dumps({"kind": "focusGroup", "name": f"S5 {n}-{i}"}), headers=headers)
            r = conn.getresponse()
            r.read()
            if r.status == 201:
                counts[n] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = cpu_seconds(server.pid) - cpu0
    total = sum(counts)
    emit(results, {"scenario": "S5", "server": server.name, "mutations_per_s": round(total / seconds), "mutations": total,
                   "server_cpu_us_per_mutation": round(1e6 * cpu / total, 1) if total else None,
                   "note": "closed loop, 32 connections, Python client on the other core; each a durable commit (synchronous=FULL, group commit) plus its event"})


def s6_storm(server: Server, conns: int, results: list, rate: float = 50):
    """S6: every socket drops at once and resumes with its cursor while `rate` events/s keep
    coming (at 50/s and 5,000 sockets that is 250,000 deliveries/s, more than one core sends:
    the storm then measures fan-out; at 5/s it measures the resume itself)."""
    publisher = publisher_for(server, 600)
    client = LoadClient(server, conns, duration=8, storm_after=3)
    perf = None
    if PROFILE:
        perf = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-p", str(server.pid), "-o", str(HERE / "results" / f"S6-{conns}-{rate:g}.perf.data")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sent = publisher.run(rate, 6)
    load = client.finish()
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait(timeout=60)
    storm = load.get("storm", {})
    emit(results, {"scenario": "S6", "server": server.name, "conns": conns, "events_per_s": rate, "published": sent["published"],
                   "resumed": storm.get("resumed"), "unrecovered": storm.get("unrecovered"), "resume_p50_ms": storm.get("p50_ms"),
                   "resume_p99_ms": storm.get("p99_ms"), "resume_max_ms": storm.get("max_ms"), "gaps": load["gaps"],
                   "duplicates": load["duplicates"]})


def http_json(server: Server, method: str, path: str, body=None, headers=None, token: str | None = None):
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    h = {"Content-Type": "application/json", **(headers or {})}
    if token or server.token:
        h.setdefault("Authorization", "Bearer " + (token or server.token))
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse()
    data = r.read()
    if r.status >= 300:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None


PROFILE = False  # --profile: `perf record -g` on the (first) server during each S3/S4/S6/S7 measurement


def run_rtload(port_args: list[str], conns: int, extra: list[str], watch: list[Server], label: str | None = None) -> tuple[dict, float]:
    """Runs the C client to completion (it stops by itself once its requests are answered);
    returns its JSON and the watched servers' CPU seconds from 'ready' to the end. With
    --profile and a label, the first watched server is recorded with perf into
    Benchmarks/results/<label>.perf.data (`perf report -i … --children --sort symbol`)."""
    args = ["taskset", "-c", CLIENT_CPU, str(RTLOAD), *port_args, "--conns", str(conns), "--ramp", "4000", *extra]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    assert line.startswith("ready"), line + process.stderr.read()
    perf = None
    if PROFILE and label:
        perf = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-p", str(watch[0].pid), "-o", str(HERE / "results" / f"{label}.perf.data")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cpu0 = sum(cpu_seconds(s.pid) for s in watch)
    out, err = process.communicate(timeout=180)
    cpu = sum(cpu_seconds(s.pid) for s in watch) - cpu0
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait(timeout=60)
    if process.returncode != 0:
        raise RuntimeError(err)
    return json.loads(out), cpu


def write_lines(name: str, lines: list[str]) -> str:
    path = HERE / "results" / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def s3_votes(server: Server, viewers: int, rates: list[float], seconds: float, results: list):
    """S3: vote ingest on one Lean Coffee board with `viewers` sockets following its tallies.
    A fresh board per rate (a board's cost grows with the dots on it). Guests vote: 20 dots
    each, so rate x seconds / 20 guests join first; the C client places the dots open loop and
    its viewers record when each tally arrived."""
    for rate in rates:
        total = int(rate * seconds)
        board = http_json(server, "POST", "/api/v1/lean-coffee", {"title": f"Bench S3 {rate:g}/s", "settings": {
            "dotsPerParticipant": 20, "votesHidden": False, "anonymousTopicsAllowed": True, "timeboxMinutes": [5],
            "guestsAllowed": True, "topicsPerParticipant": 50}})["board"]["id"]
        base = f"/api/v1/lean-coffee/{board}"
        topic = http_json(server, "POST", base + "/topics", {"title": "Vote here"},
                          headers={"Idempotency-Key": f"s3-topic-{board}"})["topics"][0]["id"]
        guests = max(1, -(-total // 20))
        tokens = [None] * guests

        def join(n):
            for g in range(n, guests, 8):
                c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                c.request("POST", base + "/guests", body=json.dumps({"displayName": f"Gast {g}"}), headers={"Content-Type": "application/json"})
                r = c.getresponse()
                tokens[g] = json.loads(r.read())["token"]

        threads = [threading.Thread(target=join, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        http_json(server, "POST", base + "/phase", {"phase": "vote"})
        # The short answer (counts, not the board): what a client that places many dots asks for.
        lines = write_lines("s3-requests.txt", [f"POST\t{base}/topics/{topic}/dots\tX-Guest-Token: {tok}|Prefer: return=minimal\t"
                                                for tok in tokens])
        load, cpu = run_rtload(["--port", str(server.port)], viewers,
                               ["--token", server.token, "--topic", f"leanCoffee:{board}", "--tally", "--requests-file", lines,
                                "--req-rate", str(rate), "--req-seconds", str(seconds), "--req-conns", "128",
                                "--count-key", '"totalDots":'], [server], label=f"S3-{viewers}-{rate:g}")
        final = http_json(server, "GET", base)
        server_count = final["topics"][0]["dots"]
        req, tally = load["requests"], load["tally"]
        record = {"scenario": "S3", "server": server.name, "viewers": load["ready"], "offered_votes_per_s": rate, "seconds": seconds,
                  "votes_offered": req["offered"], "votes_accepted": req["ok"], "vote_errors": req["errors"], "late_sends": req["late"],
                  "votes_per_s_accepted": round(req["ok"] / seconds, 1), "answer_p50_ms": req["answer_p50_ms"], "answer_p99_ms": req["answer_p99_ms"],
                  "stale_p50_ms": tally["stale_p50_ms"], "stale_p99_ms": tally["stale_p99_ms"], "stale_max_ms": tally["stale_max_ms"],
                  "all_viewers_p50_ms": tally["all_viewers_p50_ms"], "all_viewers_p99_ms": tally["all_viewers_p99_ms"],
                  "all_viewers_max_ms": tally["all_viewers_max_ms"], "lost_samples": tally["lost_samples"],
                  "server_count": server_count, "final_tally_min": tally["final_tally_min"], "final_tally_max": tally["final_tally_max"],
                  "viewers_behind_at_end": tally["viewers_behind"], "lost_updates": tally["final_tally_min"] != server_count,
                  "server_cpu_s": round(cpu, 3), "server_cpu_us_per_vote": round(1e6 * cpu / req["ok"], 1) if req["ok"] else None,
                  "tally_deliveries": load["frames"], "client_cpu_s": load["client_cpu_s"], "gaps": load["gaps"], "duplicates": load["duplicates"],
                  "ok_p99_50ms": req["errors"] == 0 and tally["lost_samples"] == 0 and tally["final_tally_min"] == server_count
                  and tally["all_viewers_p99_ms"] <= 50,
                  "ok_max_50ms": req["errors"] == 0 and tally["lost_samples"] == 0 and tally["final_tally_min"] == server_count
                  and tally["all_viewers_max_ms"] <= 50}
        emit(results, record)
        if req["ok"] < 0.5 * req["offered"] or tally["all_viewers_p99_ms"] > 1000:
            break  # past capacity: higher rates only take longer and say nothing new


def s4_boards(server: Server, boards: int, per_board: int, rates: list[float], seconds: float, results: list):
    """S4: `boards` Lean Coffee boards, `per_board` sockets on each board's topic; the C
    client's publisher adds topics named 'Bench t=<scheduled ns>' round-robin over all boards
    at a fixed total rate. CPU per delivery: with subscribers minus the same run with one."""
    ids = [None] * boards

    def create(n):
        for b in range(n, boards, 8):
            ids[b] = http_json(server, "POST", "/api/v1/lean-coffee", {"title": f"Bench S4 {b}", "settings": {
                "dotsPerParticipant": 3, "votesHidden": False, "anonymousTopicsAllowed": True, "timeboxMinutes": [5],
                "guestsAllowed": False, "topicsPerParticipant": 50}})["board"]["id"]

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    topics = write_lines("s4-topics.txt", [f"leanCoffee:{b}" for b in ids])
    lines = write_lines("s4-requests.txt", [f'POST\t/api/v1/lean-coffee/{b}/topics\tAuthorization: Bearer {server.token}\t{{"title":"Bench t={{t}}"}}'
                                            for b in ids])
    for rate in rates:
        common = ["--token", server.token, "--topics-file", topics, "--requests-file", lines, "--req-rate", str(rate),
                  "--req-seconds", str(seconds), "--req-conns", "64"]
        _, baseline = run_rtload(["--port", str(server.port)], 1, common, [server])
        load, cpu = run_rtload(["--port", str(server.port)], boards * per_board, common, [server], label=f"S4-{rate:g}")
        req = load["requests"]
        expected = req["ok"] * per_board
        delivered = load["deliveries"]
        emit(results, {"scenario": "S4", "server": server.name, "boards": boards, "sockets": load["ready"], "rate": rate, "seconds": seconds,
                       "published": req["ok"], "publish_errors": req["errors"], "late_sends": req["late"], "expected": expected,
                       "delivered": delivered, "loss": expected - delivered, "deliveries_per_s": round(delivered / seconds),
                       "p50_ms": load["p50_us"] / 1000, "p99_ms": load["p99_us"] / 1000, "p999_ms": load["p999_us"] / 1000,
                       "max_ms": load["max_us"] / 1000, "server_cpu_s": round(cpu, 3), "baseline_cpu_s": round(baseline, 3),
                       "server_cpu_us_per_delivery": round(1e6 * (cpu - baseline) / delivered, 2) if delivered else None,
                       "server_cpu_us_per_event_all_in": round(1e6 * cpu / req["ok"], 1) if req["ok"] else None,
                       "client_cpu_us_per_delivery": load["client_cpu_us_per_delivery"], "gaps": load["gaps"], "duplicates": load["duplicates"]})


def postgres_database() -> str:
    """A fresh database on the throw-away PostgreSQL server of scripts/postgres.sh."""
    line = subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh")], capture_output=True, text=True, check=True).stdout.strip()
    admin = line.split("=", 1)[1]
    name = f"bench_{os.getpid()}"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True, capture_output=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    return admin.rsplit("/", 1)[0] + "/" + name


def s7_two_instances(name: str, conns: int, rates: list[float], seconds: float, results: list):
    """S7: S2 on two hub instances sharing one PostgreSQL database (both pinned to the server
    core; PostgreSQL itself is not pinned). Half the subscribers on each instance, the
    publisher (C client, workspaces named 'Bench t=<ns>') on instance A: B's subscribers see
    each event through the PostgreSQL backplane (cross-instance latency)."""
    url = postgres_database()
    a = Server(name, url, demo=True, label="hub-pg-a")
    b = Server(name, url, demo=False, label="hub-pg-b")
    b.token = a.token
    try:
        lines = write_lines("s7-requests.txt", [f'POST\t/api/v1/workspaces\tAuthorization: Bearer {a.token}\t'
                                                f'{{"kind":"focusGroup","name":"Bench t={{t}}","description":"{"x" * 300}"}}'])
        ports = ["--ports", f"{a.port},{b.port}"]
        for rate in rates:
            common = ["--token", a.token, "--topic", "directory", "--requests-file", lines, "--req-rate", str(rate),
                      "--req-seconds", str(seconds), "--req-conns", "32"]
            _, baseline = run_rtload(ports, 2, common, [a, b])
            load, cpu = run_rtload(ports, conns, common, [a, b], label=f"S7-A-{rate:g}")
            req = load["requests"]
            expected = req["ok"] * load["ready"]
            delivered = load["deliveries"]
            by_port = {("A" if p["port"] == a.port else "B"): p for p in load.get("by_port", [])}
            emit(results, {"scenario": "S7", "server": f"{name} x2 (PostgreSQL)", "conns": conns, "rate": rate, "seconds": seconds,
                           "published": req["ok"], "publish_errors": req["errors"], "late_sends": req["late"],
                           "expected": expected, "delivered": delivered, "loss": expected - delivered,
                           "deliveries_per_s": round(delivered / seconds), "p50_ms": load["p50_us"] / 1000, "p99_ms": load["p99_us"] / 1000,
                           "p999_ms": load["p999_us"] / 1000, "max_ms": load["max_us"] / 1000,
                           "a_p50_ms": by_port.get("A", {}).get("p50_us", -1) / 1000, "a_p99_ms": by_port.get("A", {}).get("p99_us", -1) / 1000,
                           "b_p50_ms": by_port.get("B", {}).get("p50_us", -1) / 1000, "b_p99_ms": by_port.get("B", {}).get("p99_us", -1) / 1000,
                           "a_deliveries": by_port.get("A", {}).get("deliveries"), "b_deliveries": by_port.get("B", {}).get("deliveries"),
                           "server_cpu_s": round(cpu, 3), "baseline_cpu_s": round(baseline, 3),
                           "server_cpu_us_per_delivery": round(1e6 * (cpu - baseline) / delivered, 2) if delivered else None,
                           "publish_answer_p99_ms": req["answer_p99_ms"], "client_cpu_us_per_delivery": load["client_cpu_us_per_delivery"],
                           "gaps": load["gaps"], "duplicates": load["duplicates"]})
    finally:
        a.stop()
        b.stop()
        # The throw-away server of scripts/postgres.sh goes with its data (it is started again when needed).
        subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "stop"], capture_output=True)


def floor(conns: int, results: list):
    out = subprocess.run(["taskset", "-c", SERVER_CPU, str(PEERS / "bin" / "floor"), str(conns), "50"], capture_output=True, text=True, check=True)
    record = json.loads(out.stdout.strip().splitlines()[-1])
    emit(results, {"scenario": "floor", "server": "C send loop", **record})


def hub_event_size(server: Server) -> int:
    """Bytes of one hub event frame, so the peers broadcast messages of the same size."""
    client = LoadClient(server, 1)
    HubPublisher(server).run(5, 1)
    time.sleep(0.3)
    load = client.finish()
    return max(100, int(load["bytes"] / max(1, load["frames"])))


def summary(results: list):
    def one(scenario, server, **match):
        for r in results:
            if r["scenario"] == scenario and r["server"] == server and all(r.get(k) == v for k, v in match.items()):
                return r
        return None

    servers = [s for s in [*HUBS, "go-gorilla", "node-ws", "py-websockets", "py-picows"] if one("S1", s)]
    floor_record = one("floor", "C send loop")
    ref = next((s for s in servers if s in HUBS), servers[0] if servers else "hub")  # the sweep's columns
    print("\n## Summary (server CPU per delivery: with subscribers minus without, at the same rate)\n")
    print("| server | S1 KB/socket | S1 idle CPU % | " + " | ".join(
        f"S2 {r['conns']}×{r['rate']:g}/s µs/delivery (p99 ms, loss)" for r in results if r["scenario"] == "S2" and r["server"] == ref) + " |")
    print("|---" * (3 + sum(1 for r in results if r["scenario"] == "S2" and r["server"] == ref)) + "|")
    for server in servers:
        s1 = one("S1", server)
        cells = [f"{s1['rss_kb_per_socket']}", f"{s1['idle_cpu_percent']}"]
        for r in results:
            if r["scenario"] == "S2" and r["server"] == ref:
                p = one("S2", server, conns=r["conns"], rate=r["rate"])
                cells.append(f"{p['server_cpu_us_per_delivery']} ({p['p99_ms']:.1f}, {p['loss']})" if p else "–")
        print(f"| {server} | " + " | ".join(cells) + " |")
    bursts = [r for r in results if r["scenario"] == "S2-burst"]
    if bursts:
        print("\nBursts of 10 events (1,000 subscribers, 100 events/s): server µs CPU per delivery, p99 ms")
        for r in bursts:
            print(f"  {r['server']}: {r['server_cpu_us_per_delivery']} µs, p99 {r['p99_ms']:.1f} ms, loss {r['loss']}")
    if floor_record:
        print(f"\nfloor: {floor_record['cpu_us_per_send']} µs CPU per send() of one {floor_record.get('frame_bytes', '~600')}-byte frame")
        for r in results:
            if r["scenario"] == "S2" and r["server"] in HUBS and r["server_cpu_us_per_delivery"]:
                peers = [one("S2", s, conns=r["conns"], rate=r["rate"]) for s in servers if not s.startswith("hub")]
                # A figure at or below zero means the baseline's noise exceeded the cost: not comparable.
                best = min((p["server_cpu_us_per_delivery"] for p in peers if p and (p["server_cpu_us_per_delivery"] or 0) > 0), default=None)
                ratio_peer = f"hub/best peer {r['server_cpu_us_per_delivery'] / best:.2f}" if best else ""
                print(f"S2 {r['server']} {r['conns']}×{r['rate']:g}/s: hub/floor {r['server_cpu_us_per_delivery'] / floor_record['cpu_us_per_send']:.2f}; {ratio_peer}")


def summary_new(results: list):
    s3 = [r for r in results if r["scenario"] == "S3"]
    if s3:
        print("\n## S3 vote ingest: one board, guests placing dots open loop, viewers following the tallies\n")
        print("| viewers | offered votes/s | accepted/s | errors | answer p99 ms | staleness per viewer p50 / p99 / max ms | all viewers p99 / max ms "
              "| lost | server µs CPU per vote | ≤ 50 ms (p99 / max) |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for r in s3:
            print(f"| {r['viewers']} | {r['offered_votes_per_s']:g} | {r['votes_per_s_accepted']:g} | {r['vote_errors']} | {r['answer_p99_ms']:.0f} "
                  f"| {r['stale_p50_ms']:.1f} / {r['stale_p99_ms']:.1f} / {r['stale_max_ms']:.1f} | {r['all_viewers_p99_ms']:.1f} / "
                  f"{r['all_viewers_max_ms']:.1f} | {r['lost_samples']}{' (final tally short)' if r['lost_updates'] else ''} "
                  f"| {r['server_cpu_us_per_vote']} | {'yes' if r['ok_p99_50ms'] else 'no'} / {'yes' if r['ok_max_50ms'] else 'no'} |")
        top = max(r["viewers"] for r in s3)
        good = [r["votes_per_s_accepted"] for r in s3 if r["ok_p99_50ms"] and r["viewers"] == top]
        strict = [r["votes_per_s_accepted"] for r in s3 if r["ok_max_50ms"] and r["viewers"] == top]
        print(f"\nS3 capacity ({top} viewers): {max(good) if good else 'below the lowest rate'} votes/s with every viewer's tally "
              f"≤ 50 ms stale at p99 and none lost; {max(strict) if strict else 'below the lowest rate'} votes/s with the maximum ≤ 50 ms")
    for name, rows in (("S4 (500 boards × 10 sockets, topics added round-robin)", [r for r in results if r["scenario"] == "S4"]),
                       ("S7 (two instances on PostgreSQL, 1,000 subscribers split, publisher on A)", [r for r in results if r["scenario"] == "S7"])):
        if not rows:
            continue
        print(f"\n## {name}\n")
        s7 = rows[0]["scenario"] == "S7"
        print("| events/s | delivered/s | loss | p50 ms | p99 ms | µs CPU per delivery |" + (" A p50/p99 ms | B p50/p99 ms (cross-instance) |" if s7 else ""))
        print("|---|---|---|---|---|---|" + ("---|---|" if s7 else ""))
        for r in rows:
            extra = f" {r['a_p50_ms']:.1f} / {r['a_p99_ms']:.1f} | {r['b_p50_ms']:.1f} / {r['b_p99_ms']:.1f} |" if s7 else ""
            print(f"| {r['rate']:g} | {r['deliveries_per_s']} | {r['loss']} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['server_cpu_us_per_delivery']} |{extra}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    # hub-direct (the hub's former writer, kept selectable) is left out by default: its slow
    # drains at high rates took minutes of the run and it is no longer a candidate.
    parser.add_argument("--servers", default="hub,go-gorilla,node-ws,py-websockets,py-picows")
    parser.add_argument("--scenarios", default="S1,S2,S3,S4,S5,S6,S7,floor",
                        help="a subset to run, e.g. S3,S4,S7 (S3, S4 and S7 run on the first hub server only)")
    parser.add_argument("--profile", action="store_true", help="perf record the hub during each S3/S4/S7 measurement")
    options = parser.parse_args()
    global PROFILE
    PROFILE = options.profile and bool(shutil.which("perf"))
    wanted = set(options.scenarios.split(","))
    (HERE / "results").mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    results: list = []
    quick = options.quick
    idle_conns = 1000 if quick else 5000
    sweep = [(1000, [20, 50] if quick else [20, 50, 100]), (5000, [] if quick else [10, 20])]
    seconds = 3 if quick else 5
    if "floor" in wanted:
        floor(1000, results)
    size = 600
    names = options.servers.split(",")
    first_hub = next((n for n in names if n in HUBS), None)
    for name in names:
        if not wanted & {"S1", "S2", "S5", "S6"} and name != first_hub:
            continue
        server = Server(name)
        try:
            if name.startswith("hub") and "S2" in wanted:
                size = hub_event_size(server)
            if "S1" in wanted:
                s1_idle(server, idle_conns, 5 if quick else 15, results)
            if "S2" in wanted:
                for conns, rates in sweep:
                    if rates:
                        s2_fanout(server, conns, rates, seconds, size, results)
                # Bursts: 10 events at once, 100 events/s: what per-connection coalescing buys.
                s2_fanout(server, 1000, [100], seconds, size, results, burst=10)
            if name in ("hub", "hub-loop", "hub-task"):
                if "S6" in wanted:
                    s6_storm(server, 1000 if quick else 5000, results, rate=5)
                    s6_storm(server, 1000 if quick else 5000, results)
                if "S5" in wanted:
                    s5_mutations(server, 3 if quick else 10, results)
            if name == first_hub:
                if "S3" in wanted:
                    # One viewer first: the cost of taking a vote in, without the fan-out of its tally.
                    s3_votes(server, 1, [100, 1000] if quick else [100, 300, 1000, 3000, 10000, 20000], 3, results)
                    s3_votes(server, 1000, [100, 1000] if quick else [100, 300, 1000, 3000, 10000, 20000], 3, results)
                if "S4" in wanted:
                    s4_boards(server, 500, 10, [50, 100] if quick else [50, 100, 200, 400], 3, results)
        finally:
            server.stop()
    if first_hub and "S7" in wanted:
        s7_two_instances(first_hub, 1000, [20, 50] if quick else [20, 50, 100], 3 if quick else 5, results)
    with open(HERE / "results" / f"{stamp}.jsonl", "w") as out:
        for record in results:
            out.write(json.dumps(record) + "\n")
    if any(r["scenario"] == "S1" for r in results):
        summary(results)
    summary_new(results)
    print(f"\nresults: Benchmarks/results/{stamp}.jsonl")


if __name__ == "__main__":
    main()
