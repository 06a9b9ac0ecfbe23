"""Feedback panels: the QR codes the server draws (libqrencode) decode to the public link."""
import subprocess

import requests

from test_mail import sign_in


def decode(image: bytes, suffix: str, tmp_path) -> str:
    path = tmp_path / f"qr.{suffix}"
    path.write_bytes(image)
    # zbarimg (Debian's zbar-tools) reads PNG; --raw prints only the content.
    out = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_qr_png_decodes_to_the_public_link(hub_with_mail, tmp_path):
    hub = hub_with_mail
    coordinator = sign_in(hub, "koordination@roundtable.example", "demo-koordination")
    workspaces = requests.get(hub.base + "/api/v1/workspaces", headers=coordinator).json()["items"]
    integration = next(w for w in workspaces if w["name"] == "Integration")
    panel = requests.get(f"{hub.base}/api/v1/workspaces/{integration['id']}/panels", headers=coordinator).json()["items"][0]
    png = requests.get(f"{hub.base}/api/v1/panels/{panel['id']}/qr.png", headers=coordinator)
    assert png.status_code == 200 and png.headers["Content-Type"] == "image/png"
    link = decode(png.content, "png", tmp_path)
    assert link.endswith(f"/p/{panel['id']}") and link.startswith("http")
    english = requests.get(f"{hub.base}/api/v1/panels/{panel['id']}/qr.png?lang=en", headers=coordinator)
    assert decode(english.content, "png", tmp_path).endswith(f"/p/{panel['id']}?lang=en")
    # The link works without an account.
    assert requests.get(hub.base + f"/p/{panel['id']}").status_code == 200
    svg = requests.get(f"{hub.base}/api/v1/panels/{panel['id']}/qr.svg", headers=coordinator)
    assert svg.headers["Content-Type"].startswith("image/svg+xml") and f"/p/{panel['id']}" in svg.text


def test_board_qr_codes_decode_to_the_guest_join_links(hub_with_mail, tmp_path):
    """Lean Coffee and Barcamp: the QR code on the facilitator's page and the projector is the guests' join link."""
    hub = hub_with_mail
    coordinator = sign_in(hub, "koordination@roundtable.example", "demo-koordination")
    workspaces = requests.get(hub.base + "/api/v1/workspaces", headers=coordinator).json()["items"]
    integration = next(w for w in workspaces if w["name"] == "Integration")
    board = requests.get(hub.base + f"/api/v1/lean-coffee?workspace={integration['id']}", headers=coordinator).json()["items"][0]
    camp = requests.get(hub.base + "/api/v1/barcamps", headers=coordinator).json()["items"][0]
    for kind, ident in (("lean-coffee", board["id"]), ("barcamps", camp["id"])):
        png = requests.get(f"{hub.base}/api/v1/{kind}/{ident}/qr.png", headers=coordinator)
        assert png.status_code == 200 and png.headers["Content-Type"] == "image/png", png.text[:300]
        link = decode(png.content, "png", tmp_path)
        assert link.startswith("http") and link.endswith(f"/#/{kind}/{ident}/join"), link
        svg = requests.get(f"{hub.base}/api/v1/{kind}/{ident}/qr.svg", headers=coordinator)
        assert svg.headers["Content-Type"].startswith("image/svg+xml") and f"/#/{kind}/{ident}/join" in svg.text
        # Without a session there is no code (it would tell outsiders the board exists).
        assert requests.get(f"{hub.base}/api/v1/{kind}/{ident}/qr.png").status_code == 401
