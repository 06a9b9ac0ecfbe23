"""Invitations and password resets travel by mail (STARTTLS + AUTH) and their links work once."""
import re

import requests


def sign_in(hub, email, password):
    r = requests.post(hub.base + "/api/v1/session", json={"email": email, "password": password, "mode": "token"})
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["token"]}


def link_in(message, kind):
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+/#/" + kind + r"/([A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1), body


def test_invitation_mail_link_works_once(hub_with_mail, smtp_sink):
    hub = hub_with_mail
    coordinator = sign_in(hub, "koordination@roundtable.example", "demo-koordination")
    workspaces = requests.get(hub.base + "/api/v1/workspaces", headers=coordinator).json()["items"]
    integration = next(w for w in workspaces if w["name"] == "Integration")
    r = requests.post(f"{hub.base}/api/v1/workspaces/{integration['id']}/invitations", headers=coordinator,
                      json={"email": "neue.person@beispiel.example", "role": "member"})
    assert r.status_code == 201, r.text
    assert r.json()["delivery"] == "email" and r.json()["link"] is None, "a mailed link is not shown"

    message = smtp_sink.wait_for("neue.person@beispiel.example")
    assert message["X-Sink-TLS"] == "True", "sent after STARTTLS"
    assert message["X-Sink-Authenticated"] == "True", "sent with AUTH"
    assert message["From"] == "roundtable@kreis.example"
    assert "Integration" in str(message["Subject"])
    token, body = link_in(message, "invitation")
    assert "Integration" in body and "sieben Tage" in body

    preview = requests.get(f"{hub.base}/api/v1/invitations/{token}")
    assert preview.status_code == 200 and preview.json()["accountExists"] is False
    accepted = requests.post(f"{hub.base}/api/v1/invitations/{token}/accept",
                             json={"displayName": "Neue Person", "password": "ein langes gutes Passwort"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["workspaceId"] == integration["id"]
    assert requests.post(f"{hub.base}/api/v1/invitations/{token}/accept",
                         json={"displayName": "Noch jemand", "password": "ein anderes Passwort"}).status_code == 404
    assert requests.get(f"{hub.base}/api/v1/invitations/{token}").status_code == 404
    member = sign_in(hub, "neue.person@beispiel.example", "ein langes gutes Passwort")
    assert requests.get(f"{hub.base}/api/v1/workspaces/{integration['id']}/members", headers=member).status_code == 200


def test_password_reset_by_mail(hub_with_mail, smtp_sink):
    hub = hub_with_mail
    assert requests.post(hub.base + "/api/v1/password-reset", json={"email": "niemand@beispiel.example"}).status_code == 202
    assert requests.post(hub.base + "/api/v1/password-reset", json={"email": "Mitglied@roundtable.example"}).status_code == 202
    message = smtp_sink.wait_for("mitglied@roundtable.example")
    token, _ = link_in(message, "reset")
    weak = requests.post(hub.base + "/api/v1/password-reset/confirm", json={"token": token, "newPassword": "passwort1"})
    assert weak.status_code == 422 and weak.json()["error"]["fields"][0]["code"] == "common"
    done = requests.post(hub.base + "/api/v1/password-reset/confirm", json={"token": token, "newPassword": "vier neue lange Wörter"})
    assert done.status_code == 204
    again = requests.post(hub.base + "/api/v1/password-reset/confirm", json={"token": token, "newPassword": "fünf neue lange Wörter"})
    assert again.status_code == 404, "single use"
    sign_in(hub, "mitglied@roundtable.example", "vier neue lange Wörter")
    assert requests.post(hub.base + "/api/v1/session",
                         json={"email": "mitglied@roundtable.example", "password": "demo-mitglied"}).status_code == 401
    assert not any(m["To"] == "niemand@beispiel.example" for m in smtp_sink.messages), "no mail for unknown addresses"
