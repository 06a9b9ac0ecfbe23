"""What can be checked of deploy/ without docker: the compose files parse and wire what they
should, the nginx configurations pass `nginx -t` (with a throw-away certificate), the compose
nginx configuration actually proxies HTTPS and the WebSocket upgrade to a running hub, and the
systemd unit keeps its hardening."""
import json
import os
import re
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import requests
import websocket
import yaml

from conftest import ROOT, free_port
from test_backup import serve

DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_version() -> tuple:
    out = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr
    return tuple(int(x) for x in re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out).groups())


def certificate(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(directory / "privkey.pem"), "-out", str(directory / "fullchain.pem")],
                   check=True, capture_output=True)


def local_nginx(conf_text: str, prefix: Path, replacements: dict) -> Path:
    """The http{}-context file `conf_text` with paths, host names and ports replaced, inside a
    main configuration that keeps everything (pid, logs, temp files) in `prefix`."""
    for old, new in replacements.items():
        conf_text = conf_text.replace(old, new)
    conf_text = re.sub(r"^\s*listen \[::\].*$", "", conf_text, flags=re.M)  # no IPv6 needed on loopback
    if nginx_version() < (1, 25, 1):
        conf_text = conf_text.replace("http2 on;", "")  # Debian 12's nginx: HTTP/2 only via `listen … http2`
    (prefix / "site.conf").write_text(conf_text)
    temp = "\n".join(f"    {kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = prefix / "nginx.conf"
    main.write_text(f"""daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 128; }}
http {{
{temp}
    include {prefix}/site.conf;
}}
""")
    return main


def nginx_check(main: Path, prefix: Path):
    return subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(main), "-e", str(prefix / "error.log")],
                          capture_output=True, text=True)


def test_compose_files_parse_and_wire_postgres_two_hubs_and_nginx():
    sqlite = yaml.safe_load((DEPLOY / "compose.sqlite.yml").read_text())
    assert set(sqlite["services"]) == {"roundtable"}
    compose = yaml.safe_load((DEPLOY / "compose.postgres.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "migrate", "hub-a", "hub-b", "nginx"}
    for name in ("hub-a", "hub-b"):
        hub = services[name]
        assert hub["command"] == ["serve"]
        assert "@postgres:5432/roundtable" in hub["environment"]["ROUNDTABLE_DATABASE_URL"]
        assert hub["environment"]["ROUNDTABLE_TRUST_FORWARDED_FOR"] == "true"
        assert hub["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "ports" not in hub, "hubs are reachable only through nginx"
        assert hub["read_only"] is True and hub["cap_drop"] == ["ALL"]
        assert hub["networks"] == ["backend"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert compose["networks"]["backend"]["internal"] is True
    nginx = services["nginx"]
    assert "./nginx.compose.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    assert {"80:80", "443:443"} == set(nginx["ports"])
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    # Both upstreams of the nginx configuration name the two hub services.
    conf = (DEPLOY / "nginx.compose.conf").read_text()
    assert conf.count("server hub-a:8080") == 2 and conf.count("server hub-b:8080") == 2


@pytest.mark.parametrize("name", ["nginx.compose.conf", "nginx.conf.example"])
def test_nginx_configurations_pass_nginx_t(name, tmp_path):
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    certificate(prefix / "tls")
    main = local_nginx((DEPLOY / name).read_text(), prefix, {
        "/etc/nginx/tls/": f"{prefix}/tls/", "/etc/ssl/roundtable/": f"{prefix}/tls/",
        "/var/log/nginx/": f"{prefix}/", "/var/www/acme": f"{prefix}/acme",
        "hub-a:8080": "127.0.0.1:9", "hub-b:8080": "127.0.0.1:9",  # no docker DNS here
        "listen 80;": f"listen 127.0.0.1:{free_port()};", "listen 443 ssl;": f"listen 127.0.0.1:{free_port()} ssl;",
    })
    result = nginx_check(main, prefix)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


@pytest.mark.filterwarnings("ignore:Unverified HTTPS request")  # the throw-away certificate
def test_compose_nginx_proxies_https_and_websocket_to_a_hub(tmp_path):
    """The shipped nginx.compose.conf in front of a real hub (both upstream names pointing at
    it): HTTP redirects to HTTPS, the API answers over TLS, /ws upgrades, /metrics stays closed."""
    hub, base = serve(tmp_path / "data", tmp_path / "hub.log", demo=True)
    nginx = None
    try:
        hub_port = base.rsplit(":", 1)[1]
        prefix = tmp_path / "nginx"
        prefix.mkdir()
        os.chmod(prefix, 0o755)
        certificate(prefix / "tls")
        http_port, https_port = free_port(), free_port()
        main = local_nginx((DEPLOY / "nginx.compose.conf").read_text(), prefix, {
            "/etc/nginx/tls/": f"{prefix}/tls/", "/var/log/nginx/": f"{prefix}/",
            "hub-a:8080": f"127.0.0.1:{hub_port}", "hub-b:8080": f"127.0.0.1:{hub_port}",
            "listen 80;": f"listen 127.0.0.1:{http_port};", "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        })
        assert nginx_check(main, prefix).returncode == 0
        nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(main), "-e", str(prefix / "error.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        https = f"https://127.0.0.1:{https_port}"
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                if requests.get(https + "/readyz", verify=False, timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        redirect = requests.get(f"http://127.0.0.1:{http_port}/api/v1/policy-fields", allow_redirects=False)
        assert redirect.status_code == 308 and redirect.headers["Location"] == "https://127.0.0.1/api/v1/policy-fields"
        fields = requests.get(https + "/api/v1/policy-fields", verify=False)
        assert fields.status_code == 200 and fields.json()["items"]
        assert requests.get(https + "/metrics", verify=False).status_code == 404
        auth = requests.post(https + "/api/v1/session", verify=False,
                             json={"email": "admin@roundtable.example", "password": "demo-admin-passwort", "mode": "token"}).json()
        ws = websocket.create_connection(f"wss://127.0.0.1:{https_port}/ws", header=[f"Authorization: Bearer {auth['token']}"],
                                         sslopt={"cert_reqs": ssl.CERT_NONE}, suppress_origin=True, timeout=10)
        hello = json.loads(ws.recv())
        assert hello["type"] == "hello" and hello["user"]["displayName"]
        ws.send(json.dumps({"type": "ping", "id": "p1"}))
        assert json.loads(ws.recv()) == {"type": "pong", "id": "p1"}
        ws.close()
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        hub.terminate()
        hub.wait(timeout=10)


def unit_settings(path: Path) -> dict:
    settings = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "[")) and "=" in line:
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_systemd_unit_is_hardened():
    unit = unit_settings(DEPLOY / "roundtable.service")
    assert unit["User"] == ["roundtable"] and unit["Group"] == ["roundtable"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["PrivateTmp"] == ["yes"]
    assert unit["ReadWritePaths"] == ["/var/lib/roundtable"]
    assert unit["CapabilityBoundingSet"] == [""]
    env = unit_settings(DEPLOY / "roundtable.env.example")
    # The only writable path is the data folder the environment example configures.
    assert env["ROUNDTABLE_DATA_DIR"] == ["/var/lib/roundtable"]
    if shutil.which("systemd-analyze"):
        # --threshold counts in tenths of the exposure level shown (20 = 2.0 of 10).
        result = subprocess.run(["systemd-analyze", "security", "--offline=true", "--threshold=20",
                                 str(DEPLOY / "roundtable.service")], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-1500:] + result.stderr
        score = re.search(r"Overall exposure level for roundtable.service: ([\d.]+)", result.stdout)
        print(f"\nsystemd-analyze security: exposure {score.group(1) if score else '?'} (0 = locked down, 10 = exposed)")
