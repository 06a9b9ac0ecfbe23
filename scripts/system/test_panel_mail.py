"""Feedback panels: a response notifies the submitter by mail, without any content."""
import datetime
import re

import requests

from test_mail import sign_in


def test_response_notice_has_no_content(hub_with_mail, smtp_sink):
    hub = hub_with_mail
    coordinator = sign_in(hub, "koordination@roundtable.example", "demo-koordination")
    workspaces = requests.get(hub.base + "/api/v1/workspaces", headers=coordinator).json()["items"]
    integration = next(w for w in workspaces if w["name"] == "Integration")
    rec = requests.post(f"{hub.base}/api/v1/workspaces/{integration['id']}/recommendations", headers=coordinator,
                        json={"title": "Lotsen für Behördengänge"}).json()
    today = datetime.date.today()
    panel = requests.post(f"{hub.base}/api/v1/workspaces/{integration['id']}/panels", headers=coordinator, json={
        "recommendationId": rec["id"], "title": {"de": "Lotsen – Ihre Meinung"}, "audience": {"de": "Alle"}, "summary": {"de": "Kurz."},
        "opensOn": today.isoformat(), "closesOn": (today + datetime.timedelta(days=7)).isoformat(), "moderation": "post",
        "questions": [{"prompt": {"de": "Was fehlt?"}, "kind": "freeText", "maxLength": 500}], "consentVersion": "1"}).json()
    opened = requests.post(f"{hub.base}/api/v1/panels/{panel['id']}/open", headers={**coordinator, "If-Match": '"v1"'})
    assert opened.status_code == 200, opened.text
    question = panel["questions"][0]["id"]
    thanks = requests.post(f"{hub.base}/p/{panel['id']}", data={f"q.{question}": "Geheimer Inhalt der Rückmeldung",
                                                               "email": "betroffen@beispiel.example", "consent": "1", "website": ""})
    assert thanks.status_code == 200, thanks.text[:300]
    code = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", thanks.text).group(0)
    item = requests.get(f"{hub.base}/api/v1/panels/{panel['id']}/items", headers=coordinator).json()["items"][0]
    assert "email" not in item, "the API never shows the address"
    answered = requests.put(f"{hub.base}/api/v1/panels/{panel['id']}/items/{item['id']}/response", headers=coordinator,
                            json={"text": "Geheime Antwort der Gruppe"})
    assert answered.status_code == 200, answered.text

    message = smtp_sink.wait_for("betroffen@beispiel.example")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Beleg-Code" in body and f"/p/{panel['id']}/receipt" in body
    assert "Geheim" not in body and "Geheim" not in str(message["Subject"]), "no content in the notice"
    assert code not in body and code.replace("-", "") not in body
