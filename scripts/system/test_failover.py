"""Failover behind a load balancer: PostgreSQL, two hub instances on one database, and Debian's
nginx in front of both (round robin, WebSocket upgrade), all on loopback.

A WebSocket client connected through nginx to instance A sees a change made through instance B.
Instance A is then killed with SIGKILL; the client reconnects through nginx (which now reaches
only B) and resumes with its {epoch, seq} cursor: the changes made while it was away are
replayed exactly once and in order, and the live ones follow without a gap.
"""
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
import websocket

from conftest import ROOT, free_port
from test_postgres import BINARY, database_url, env_for, receive, start  # noqa: F401 (fixture)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(prefix: Path, listen: int, upstreams: list[int]) -> str:
    """A complete nginx configuration living in `prefix` (pid, logs, temp files), in the
    foreground. `X-Upstream` tells the test which instance answered."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=30s;" for port in upstreams)
    temp = "\n".join(f"    {kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    log_format upstream '$time_iso8601 "$request" $status upstream=$upstream_addr $request_time';
    access_log {prefix}/access.log upstream;
{temp}
    upstream hubs {{
{servers}
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      '';
    }}
    server {{
        listen 127.0.0.1:{listen};
        proxy_http_version 1.1;
        proxy_connect_timeout 2s;
        add_header X-Upstream $upstream_addr always;
        # A location that sets any proxy_set_header inherits none, so each sets all of its own.
        # Host with the port: the hub compares a browser's Origin with the Host it sees.
        location = /ws {{
            proxy_pass http://hubs;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 3600s;
            proxy_buffering off;
        }}
        location / {{
            proxy_pass http://hubs;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


@pytest.fixture()
def nginx_runner(tmp_path):
    """Starts nginx with a configuration; stops it (SIGQUIT, then SIGKILL) after the test."""
    assert os.path.exists(NGINX), "nginx is missing: scripts/ensure-system.sh --tests installs Debian's nginx"
    processes = []

    def run(upstreams):
        prefix = tmp_path / "nginx"
        prefix.mkdir(exist_ok=True)
        os.chmod(prefix, 0o755)  # workers may run as nobody when the test runs as root
        port = free_port()
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_config(prefix, port, upstreams))
        check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 15
        while time.time() < deadline:
            assert process.poll() is None, (prefix / "error.log").read_text(errors="replace")[-2000:]
            try:
                if requests.get(base + "/readyz", timeout=1).status_code == 200:
                    return base, prefix
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError("nginx did not answer")

    yield run
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def connect(base, token):
    ws = websocket.create_connection(base.replace("http", "ws") + "/ws", header=[f"Authorization: Bearer {token}"], timeout=10)
    return ws, ws.getheaders().get("x-upstream")


def test_failover_through_nginx_resumes_without_gap_or_duplicate(database_url, tmp_path, nginx_runner):
    migrated = subprocess.run([str(BINARY), "migrate"], env=env_for(database_url), capture_output=True, text=True, cwd=ROOT)
    assert migrated.returncode == 0, migrated.stderr
    a, base_a = start(database_url, tmp_path, demo=True)
    b, base_b = start(database_url, tmp_path, demo=False)
    port_a, port_b = base_a.rsplit(":", 1)[1], base_b.rsplit(":", 1)[1]
    try:
        base, prefix = nginx_runner([int(port_a), int(port_b)])
        token = requests.post(base + "/api/v1/session", json={"email": "admin@roundtable.example", "password": "demo-admin-passwort",
                                                             "mode": "token"}).json()["token"]
        auth = {"Authorization": "Bearer " + token}

        # Round robin: connect until nginx hands the WebSocket to instance A.
        for _ in range(6):
            ws, upstream = connect(base, token)
            if upstream == f"127.0.0.1:{port_a}":
                break
            ws.close()
        assert upstream == f"127.0.0.1:{port_a}", f"never reached instance A through nginx (last: {upstream})"
        hello = receive(ws, "hello")
        ws.send(json.dumps({"type": "subscribe", "topic": "directory"}))
        subscribed = receive(ws, "subscribed")

        # A change made through instance B reaches the client on instance A.
        created = requests.post(base_b + "/api/v1/workspaces", headers=auth, json={"kind": "focusGroup", "name": "Über B, live auf A"})
        assert created.status_code == 201, created.text
        event = receive(ws, "event")
        assert (event["name"], event["data"]["name"], event["seq"]) == ("workspace.created", "Über B, live auf A", subscribed["seq"] + 1)
        cursor = {"epoch": event["epoch"], "seq": event["seq"]}
        assert cursor["epoch"] == hello["epoch"]

        # Changes through B from the moment A dies: 12 while the client is away, 18 after it is back.
        names = [f"Während des Ausfalls {i:02d}" for i in range(30)]
        done = []
        away = threading.Event()

        def write():
            for index, name in enumerate(names):
                if index == 12:
                    away.wait(timeout=30)
                response = requests.post(base_b + "/api/v1/workspaces", headers=auth, json={"kind": "focusGroup", "name": name})
                assert response.status_code == 201, response.text
                done.append(name)

        killed_at = time.monotonic()
        a.send_signal(signal.SIGKILL)
        a.wait(timeout=10)
        writer = threading.Thread(target=write)
        writer.start()

        # The client notices: nginx closes the socket when its upstream dies.
        # (A timeout here fails the test: the socket must close, not hang.)
        try:
            while True:
                ws.settimeout(10)
                if ws.recv() == "":  # a close frame
                    break
        except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
            pass
        noticed_at = time.monotonic()
        deadline = time.time() + 30
        while len(done) < 12 and time.time() < deadline:
            time.sleep(0.01)
        assert len(done) == 12, "the writer did not get through B while A was down"

        # Reconnect through nginx: A refuses connections, so nginx passes the handshake to B.
        reconnecting_at = time.monotonic()
        ws, upstream = connect(base, token)
        assert upstream is not None and upstream.endswith(f"127.0.0.1:{port_b}"), upstream
        receive(ws, "hello")
        ws.send(json.dumps({"type": "subscribe", "topic": "directory", "epoch": cursor["epoch"], "seq": cursor["seq"]}))
        resumed = receive(ws, "subscribed")
        resumed_at = time.monotonic()
        away.set()
        assert resumed["recovered"] is True and resumed["epoch"] == cursor["epoch"]
        assert resumed["replayed"] >= 12 and resumed["seq"] == cursor["seq"] + resumed["replayed"]

        writer.join(timeout=60)
        assert len(done) == len(names)
        received = []
        while len(received) < len(names):
            received.append(receive(ws, "event", timeout=15))
        # Nothing more is pending: the head over HTTP (through nginx, now B) is the last event.
        head = requests.get(base + "/api/v1/workspaces", headers=auth).json()["cursor"]
        ws.close()

        seqs = [e["seq"] for e in received]
        assert seqs == list(range(cursor["seq"] + 1, cursor["seq"] + 1 + len(names))), seqs  # no gap, no duplicate, in order
        assert [e["data"]["name"] for e in received] == names  # each change exactly once, in the order it was made
        assert head["seq"] == seqs[-1] and head["epoch"] == cursor["epoch"]
        # nginx sent the later requests to B; the log names A as failed at least once.
        log = (prefix / "access.log").read_text()
        assert f"upstream=127.0.0.1:{port_b}" in log
        print(f"\nfailover: the client's socket closed {1000 * (noticed_at - killed_at):.0f} ms after SIGKILL; "
              f"reconnect through nginx + hello + resumed subscribe on B took {1000 * (resumed_at - reconnecting_at):.0f} ms "
              f"(the test waited {1000 * (reconnecting_at - noticed_at):.0f} ms before reconnecting, for 12 writes); "
              f"{resumed['replayed']} events replayed, {len(names) - resumed['replayed']} live after the replay")
    finally:
        for process in (a, b):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
