"""Helpers for the meeting browser tests: meetings, agenda items and minutes through the API,
Berlin wall-clock times near now, and a tiny SMTP sink for the RSVP links."""
from __future__ import annotations

import datetime as dt
import re
import socketserver
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import COORDINATOR, MEMBER
from rec_helpers import workspace_id

BERLIN = ZoneInfo("Europe/Berlin")
ROOT = Path(__file__).resolve().parents[2]


def soon(minutes_ahead: int = 30, length: int = 90) -> tuple[str, str]:
    """Start and end (Berlin wall clock, "YYYY-MM-DDTHH:MM") of a meeting starting soon, same day."""
    now = dt.datetime.now(BERLIN)
    start = (now + dt.timedelta(minutes=minutes_ahead)).replace(second=0, microsecond=0)
    start = start.replace(minute=start.minute - start.minute % 5)
    end = start + dt.timedelta(minutes=length)
    if end.date() != start.date():
        end = start.replace(hour=23, minute=59)
    return start.strftime("%Y-%m-%dT%H:%M"), end.strftime("%Y-%m-%dT%H:%M")


def in_days(days: int, hour: int = 17) -> tuple[str, str]:
    day = (dt.datetime.now(BERLIN) + dt.timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:00", f"{day.isoformat()}T{hour + 2:02d}:00"


def user_id(api, user) -> str:
    return api(user).get("/api/v1/me").json()["user"]["id"]


def template_id(api, user=COORDINATOR) -> str:
    r = api(user).get("/api/v1/meeting-templates")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    return next((t["id"] for t in items if "Steuerungsgruppe" not in t["name"]), items[0]["id"])


def create_meeting(api, title: str, when: tuple[str, str] | None = None, guests: list[str] = (), user=COORDINATOR, **extra) -> dict:
    start, end = when or in_days(14)
    invitees = [{"key": f"member:{user_id(api, COORDINATOR)}", "role": "chair"}, {"key": f"member:{user_id(api, MEMBER)}"}]
    invitees += [{"key": f"guest:{g}", "name": g.split("@")[0]} for g in guests]
    body = {"templateId": template_id(api), "title": title, "start": start, "end": end, "place": "Kreishaus, Raum 2", "invitees": invitees, **extra}
    r = api(user).post(f"/api/v1/workspaces/{workspace_id(api, user=user)}/meetings", body)
    assert r.status_code == 201, f"create meeting: {r.status_code} {r.text}"
    return r.json()


def detail(api, meeting_id: str, user=COORDINATOR) -> dict:
    r = api(user).get(f"/api/v1/meetings/{meeting_id}")
    assert r.status_code == 200, r.text
    return r.json()


def agenda(api, meeting_id: str, user=COORDINATOR) -> dict:
    r = api(user).get(f"/api/v1/meetings/{meeting_id}/agenda")
    assert r.status_code == 200, r.text
    return r.json()


def add_item(api, meeting_id: str, title: str, parent: str | None = None, minutes: int = 15, user=COORDINATOR, presenter=None) -> dict:
    ag = agenda(api, meeting_id, user)
    if parent is None:
        parent = next(x["id"] for x in ag["items"] if x.get("standard") == "topics")
    body = {"op": "add", "item": {"title": title, "durationMinutes": minutes, "presenter": presenter}, "parentId": parent}
    children = [x["id"] for x in ag["items"] if x.get("parentId") == parent]
    if children:
        body["afterId"] = children[-1]
    r = api(user).post(f"/api/v1/meetings/{meeting_id}/agenda/edits", body, headers={"If-Match": f'"v{ag["version"]}"'})
    assert r.status_code == 200, f"add item: {r.status_code} {r.text}"
    return r.json()


def live(api, meeting_id: str, step: str, user=COORDINATOR, **extra) -> dict:
    r = api(user).post(f"/api/v1/meetings/{meeting_id}/agenda/live", {"step": step, **extra})
    assert r.status_code == 200, f"live {step}: {r.status_code} {r.text}"
    return r.json()


def minutes(api, meeting_id: str, user=COORDINATOR) -> dict | None:
    r = api(user).get(f"/api/v1/meetings/{meeting_id}/minutes")
    assert r.status_code == 200, r.text
    return r.json().get("minutes")


def save_section(api, meeting_id: str, body: dict, user=COORDINATOR) -> dict:
    r = api(user).http.put(api(user).url(f"/api/v1/meetings/{meeting_id}/minutes/sections"), json=body, timeout=10)
    assert r.status_code == 200, f"save section: {r.status_code} {r.text}"
    return r.json()


def attend(api, meeting_id: str, user, status="present", name=None, by=COORDINATOR) -> dict:
    person = f"member:{user_id(api, user)}"
    current = minutes(api, meeting_id, by)
    version = 0
    for a in (current or {}).get("attendance", []):
        if a["value"]["person"] == person:
            version = a["version"]
    return save_section(api, meeting_id, {"kind": "attendance", "baseVersion": version,
                                          "attendance": {"person": person, "name": name or user[0].split("@")[0], "status": status}}, user=by)


def demo_meeting(api, title_part: str, user=COORDINATOR) -> dict:
    wid = workspace_id(api, user=user)
    items = api(user).get(f"/api/v1/workspaces/{wid}/meetings").json()["items"]
    return next(m for m in items if title_part in m["title"])


def german_messages() -> dict[str, tuple[str, str]]:
    """key → (de, en) of the meeting views' messages, read from Web/lib/i18n-meetings.js."""
    text = (ROOT / "Web" / "lib" / "i18n-meetings.js").read_text()
    de_part, en_part = text.split("\n  en: {\n")
    pair = re.compile(r'^\s+"([^"]+)": "((?:[^"\\]|\\.)*)",$', re.M)
    de = dict(pair.findall(de_part))
    en = dict(pair.findall(en_part))
    return {k: (v, en.get(k, "")) for k, v in de.items()}


# ---------------------------------------------------------------- SMTP sink

class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        def say(line: str):
            self.wfile.write((line + "\r\n").encode())
        say("220 sink ESMTP")
        data_mode = False
        lines: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if data_mode:
                if line == ".":
                    data_mode = False
                    self.server.messages.append("\n".join(lines))
                    lines = []
                    say("250 OK")
                else:
                    lines.append(line[1:] if line.startswith("..") else line)
                continue
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 OK\r\n")
            elif verb == "DATA":
                data_mode = True
                say("354 go on")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 OK")


class SMTPSink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.messages: list[str] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def rsvp_links(self) -> list[str]:
        """RSVP paths (#/rsvp/<token>) found in the mails' decoded text parts."""
        import email
        out = []
        for m in self.messages:
            for part in email.message_from_string(m).walk():
                if part.get_content_maintype() == "text":
                    body = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
                    out += re.findall(r"#/rsvp/[A-Za-z0-9._~-]+", body)
        return out
