"""The benchmark run (issue 9): the hub and its peers side by side, same load client, same run.

Started by `bash Benchmarks/run.sh` (which builds everything first). Scenarios:

  S1  idle subscribers: server memory (RSS) per socket and CPU while idle, hub with keepalive
  S2  fan-out: one topic, 1,000 and 5,000 subscribers, a sweep of event rates: delivered/s,
      loss, p50/p99/p999 latency from the scheduled send time, server CPU per delivery
      (CPU with subscribers minus CPU at the same publish rate without subscribers)
  S5  durable HTTP mutations/s with their events (hub only)
  S6  reconnect storm: every subscriber drops at once and resumes with {epoch, seq}
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

    def __init__(self, name: str):
        self.name = name
        self.port = free_port()
        self.token = None
        self.topic = None
        self.log = open(HERE / "results" / f"{name}.log", "wb")
        env = dict(os.environ)
        if name in HUBS:
            data = Path(f"/tmp/roundtable-bench-{os.getpid()}")
            subprocess.run(["rm", "-rf", str(data)], check=True)
            env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_")}
            env.update({"ROUNDTABLE_BCRYPT_COST": "4", "ROUNDTABLE_ADMIN_SECOND_FACTOR": "optional",
                        "ROUNDTABLE_WEB_ROOT": str(ROOT / "Web"), "ROUNDTABLE_LOG_LEVEL": "warning",
                        "ROUNDTABLE_WS_BUFFER": "4096",
                        # hub: the default writer; hub-task: an async writer task per connection;
                        # hub-direct: one event-loop task per connection and wake-up; hub-loop:
                        # drains grouped per event loop, one loop task per commit. Side by side.
                        **({"ROUNDTABLE_WS_WRITER": HUBS[name]} if HUBS[name] else {})})
            command = [os.environ.get("ROUNDTABLE_BENCH_BIN", str(ROOT / ".build" / "release" / "roundtable")), "serve", "--demo", "--port", str(self.port), "--data-dir", str(data)]
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


def s6_storm(server: Server, conns: int, results: list):
    publisher = publisher_for(server, 600)
    client = LoadClient(server, conns, duration=8, storm_after=3)
    sent = publisher.run(50, 6)
    load = client.finish()
    storm = load.get("storm", {})
    emit(results, {"scenario": "S6", "server": server.name, "conns": conns, "published": sent["published"],
                   "resumed": storm.get("resumed"), "unrecovered": storm.get("unrecovered"), "resume_p50_ms": storm.get("p50_ms"),
                   "resume_p99_ms": storm.get("p99_ms"), "resume_max_ms": storm.get("max_ms"), "gaps": load["gaps"],
                   "duplicates": load["duplicates"]})


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--servers", default="hub,hub-direct,go-gorilla,node-ws,py-websockets,py-picows")
    options = parser.parse_args()
    (HERE / "results").mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    results: list = []
    quick = options.quick
    idle_conns = 1000 if quick else 5000
    sweep = [(1000, [20, 50] if quick else [20, 50, 100]), (5000, [] if quick else [10, 20])]
    seconds = 3 if quick else 5
    floor(1000, results)
    size = 600
    for name in options.servers.split(","):
        server = Server(name)
        try:
            if name.startswith("hub"):
                size = hub_event_size(server)
            s1_idle(server, idle_conns, 5 if quick else 15, results)
            for conns, rates in sweep:
                if rates:
                    s2_fanout(server, conns, rates, seconds, size, results)
            # Bursts: 10 events at once, 100 events/s: what per-connection coalescing buys.
            s2_fanout(server, 1000, [100], seconds, size, results, burst=10)
            if name in ("hub", "hub-loop", "hub-task"):
                s6_storm(server, 1000 if quick else 5000, results)
                s5_mutations(server, 3 if quick else 10, results)
        finally:
            server.stop()
    with open(HERE / "results" / f"{stamp}.jsonl", "w") as out:
        for record in results:
            out.write(json.dumps(record) + "\n")
    summary(results)
    print(f"\nresults: Benchmarks/results/{stamp}.jsonl")


if __name__ == "__main__":
    main()
