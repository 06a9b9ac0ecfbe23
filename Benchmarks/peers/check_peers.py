"""Functional check of the broadcast peers: start each one, connect three clients, send a
text message from each in turn, and check that the other two receive it exactly once and
the sender does not; then SIGTERM and check a prompt exit.
Usage (from Benchmarks/): .venv/bin/python peers/check_peers.py [NAME ...]"""
import os
import signal
import socket
import subprocess
import sys
import time

import websocket  # websocket-client

HERE = os.path.dirname(os.path.abspath(__file__))
PY = os.path.join(HERE, "..", ".venv", "bin", "python")
PEERS = {
    "go": [os.path.join(HERE, "bin", "peer-go")],
    "node-ws": ["node", os.path.join(HERE, "node-ws.js")],
    "py-websockets": [PY, os.path.join(HERE, "py-websockets.py")],
    "py-picows": [PY, os.path.join(HERE, "py-picows.py")],
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def silent(ws, seconds):
    ws.settimeout(seconds)
    try:
        got = ws.recv()
    except websocket.WebSocketTimeoutException:
        return None
    return got


def check(name):
    port = free_port()
    proc = subprocess.Popen(PEERS[name] + [str(port)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line == f"ready {port}", f"{name}: first line {line!r}"
        clients = [websocket.create_connection(f"ws://127.0.0.1:{port}/ws", timeout=5) for _ in range(3)]
        time.sleep(0.2)  # let the server register all three
        for sender in range(3):
            msg = f"hello from {sender} " + "x" * 500
            clients[sender].send(msg)
            for i, ws in enumerate(clients):
                if i != sender:
                    ws.settimeout(5)
                    got = ws.recv()
                    assert got == msg, f"{name}: client {i} got {got[:40]!r}"
            for i, ws in enumerate(clients):
                extra = silent(ws, 0.3)
                assert extra is None, f"{name}: client {i} (sender {sender}) got extra {extra[:40]!r}"
        for ws in clients:
            ws.close()
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=5)
        print(f"ok {name}: 3 messages x 2 recipients exactly once, sender silent; "
              f"SIGTERM exit {proc.returncode} in {time.monotonic() - t0:.3f}s")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    for name in sys.argv[1:] or PEERS:
        check(name)
