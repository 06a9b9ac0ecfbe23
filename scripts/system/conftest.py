"""System tests: the real `roundtable` binary against real peers on loopback.

* `smtp_sink`: an aiosmtpd server that requires STARTTLS (self-signed certificate made with
  openssl for `localhost`) and AUTH PLAIN, and keeps every message it receives.
* `hub_with_mail`: `roundtable serve --demo` configured to send through that sink.
"""
from __future__ import annotations

import email
import email.policy
import os
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ROOT = Path(__file__).resolve().parents[2]
SMTP_USER = "roundtable"
SMTP_PASSWORD = "sink-secret-123"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Sink:
    port: int
    ca_file: Path
    messages: list = field(default_factory=list)

    def wait_for(self, to: str, timeout: float = 10.0) -> email.message.EmailMessage:
        deadline = time.time() + timeout
        while time.time() < deadline:
            for message in self.messages:
                if message["To"] == to:
                    self.messages.remove(message)
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no mail to {to} within {timeout}s; have {[m['To'] for m in self.messages]}")


class Handler:
    def __init__(self, sink: Sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Sink-Authenticated"] = str(bool(session.authenticated))
        message["X-Sink-TLS"] = str(session.ssl is not None)
        self.sink.messages.append(message)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD
    return AuthResult(success=ok)


@pytest.fixture(scope="session")
def smtp_sink(tmp_path_factory) -> Sink:
    directory = tmp_path_factory.mktemp("smtp")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = Sink(port=free_port(), ca_file=cert)
    controller = Controller(Handler(sink), hostname="127.0.0.1", port=sink.port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_require_tls=True, auth_required=True)
    controller.start()
    yield sink
    controller.stop()


@dataclass
class Hub:
    base: str
    process: subprocess.Popen
    log: Path


@pytest.fixture(scope="session")
def hub_with_mail(smtp_sink, tmp_path_factory) -> Hub:
    binary = Path(os.environ.get("ROUNDTABLE_BIN", ROOT / ".build" / "debug" / "roundtable"))
    port = free_port()
    data = tmp_path_factory.mktemp("hub")
    log = data / "hub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_")}
    env.update({
        "ROUNDTABLE_WEB_ROOT": str(ROOT / "Web"),
        "ROUNDTABLE_SMTP_HOST": "localhost",
        "ROUNDTABLE_SMTP_PORT": str(smtp_sink.port),
        "ROUNDTABLE_SMTP_SECURITY": "starttls",
        "ROUNDTABLE_SMTP_USERNAME": SMTP_USER,
        "ROUNDTABLE_SMTP_PASSWORD": SMTP_PASSWORD,
        "ROUNDTABLE_SMTP_FROM": "roundtable@kreis.example",
        "ROUNDTABLE_SMTP_CA_FILE": str(smtp_sink.ca_file),
        "ROUNDTABLE_BCRYPT_COST": "4",
    })
    with open(log, "wb") as out:
        process = subprocess.Popen([str(binary), "serve", "--demo", "--port", str(port), "--data-dir", str(data)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail("hub exited:\n" + log.read_text(errors="replace")[-3000:])
        try:
            if requests.get(base + "/readyz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    yield Hub(base=base, process=process, log=log)
    process.terminate()
    process.wait(timeout=10)
