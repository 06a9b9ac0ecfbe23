"""Meetings: iCalendar invitations through the real SMTP path, read by a real calendar library.

A coordinator plans a meeting with a member and two guests, invites, reschedules and cancels
it over HTTP against the `roundtable` binary; every mailed `text/calendar` part (inline and the
`invite.ics` attachment), the downloadable `.ics` and the workspace feed at its secret URL are
parsed with Python `icalendar` and checked against RFC 5545/5546: one UID, SEQUENCE strictly
increasing, METHOD REQUEST then CANCEL, the Europe/Berlin VTIMEZONE, ORGANIZER, ATTENDEE with
RSVP=TRUE, CRLF line endings, lines folded at 75 octets. Then five clients write the same
minutes section at once: every acknowledged save is in the final text.
"""
from __future__ import annotations

import concurrent.futures
import datetime
import time
from email.utils import getaddresses
from zoneinfo import ZoneInfo

import requests
from icalendar import Calendar

from test_mail import sign_in

BERLIN = ZoneInfo("Europe/Berlin")
GUESTS = ["erika.beispiel@traeger.example", "paul.muster@verein.example"]
MEMBER_EMAIL = "mitglied@roundtable.example"


def local(dt: datetime.datetime) -> str:
    """The API's Berlin wall-clock form `YYYY-MM-DDTHH:MM`."""
    return dt.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


def take_mail(sink, address: str, timeout: float = 15.0):
    """The first message to `address` (To may carry a display name)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for message in list(sink.messages):
            if any(a.lower() == address.lower() for _, a in getaddresses([str(message["To"])])):
                sink.messages.remove(message)
                return message
        time.sleep(0.05)
    raise AssertionError(f"no mail to {address} within {timeout}s; have {[str(m['To']) for m in sink.messages]}")


def calendar_parts(message) -> list[tuple[str, bytes]]:
    """(content type with parameters, raw bytes) of every calendar part of a message."""
    parts = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/calendar", "application/ics"):
            parts.append((str(part["Content-Type"]), part.get_payload(decode=True)))
    return parts


def check_wire_form(raw: bytes) -> None:
    """CRLF everywhere, no bare LF or CR, every physical line at most 75 octets, valid UTF-8."""
    assert raw.endswith(b"\r\n"), "ends with CRLF"
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in raw.replace(b"\r\n", b""), "no bare LF"
    assert b"\r" not in raw.replace(b"\r\n", b""), "no bare CR"
    for line in lines:
        assert len(line) <= 75, f"line of {len(line)} octets: {line[:80]!r}"
        line.decode("utf-8")
    # Folding is used (the description is long) and a folded line starts with one space.
    assert any(line.startswith(b" ") for line in lines), "long lines are folded"


def parse(raw: bytes) -> Calendar:
    check_wire_form(raw)
    return Calendar.from_ical(raw)


def events(cal: Calendar):
    return [c for c in cal.walk() if c.name == "VEVENT"]


def check_timezone(cal: Calendar) -> None:
    zones = [c for c in cal.walk() if c.name == "VTIMEZONE"]
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"], zones
    kinds = sorted(c.name for c in zones[0].subcomponents)
    assert kinds == ["DAYLIGHT", "STANDARD"], kinds


def check_message(raw: bytes, method: str, uid: str | None, recipient: str) -> tuple[str, int, Calendar]:
    cal = parse(raw)
    assert str(cal["METHOD"]) == method
    assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    check_timezone(cal)
    (event,) = events(cal)
    if uid is not None:
        assert str(event["UID"]) == uid, "the same UID in every message"
    assert event.decoded("DTSTART").tzinfo is not None and str(event["DTSTART"].params.get("TZID")) == "Europe/Berlin"
    organizer = event["ORGANIZER"]
    assert str(organizer).lower().startswith("mailto:"), organizer
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    addresses = [str(a).lower().removeprefix("mailto:") for a in attendees]
    assert addresses == [recipient.lower()], f"each message lists only its recipient: {addresses}"
    if method == "REQUEST":
        for a in attendees:
            assert str(a.params.get("RSVP")).upper() == "TRUE", a.params
            assert str(a.params.get("PARTSTAT")) == "NEEDS-ACTION", a.params
    else:
        assert str(event["STATUS"]) == "CANCELLED"
    return str(event["UID"]), int(event["SEQUENCE"]), cal


def mailed(sink, recipient: str, method: str, uid: str | None) -> tuple[str, int, Calendar]:
    message = take_mail(sink, recipient)
    parts = calendar_parts(message)
    assert len(parts) == 2, f"inline part and invite.ics: {[p[0] for p in parts]}"
    inline = [raw for kind, raw in parts if kind.startswith("text/calendar")]
    assert len(inline) == 1
    kind = next(k for k, _ in parts if k.startswith("text/calendar")).lower()
    assert f"method={method.lower()}" in kind.replace('"', ""), kind
    assert parts[0][1] == parts[1][1], "the attachment is the same calendar"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.strip(), "a readable text part"
    return check_message(inline[0], method, uid, recipient)


def setup(hub):
    """The coordinator's and the administrator's tokens, Integration, the demo member's id (read from
    the member list: other system tests change the member's password) and a template."""
    coordinator = sign_in(hub, "koordination@roundtable.example", "demo-koordination")
    admin = sign_in(hub, "admin@roundtable.example", "demo-admin-passwort")
    workspaces = requests.get(hub.base + "/api/v1/workspaces", headers=coordinator).json()["items"]
    integration = next(w for w in workspaces if w["name"] == "Integration")
    members = requests.get(f"{hub.base}/api/v1/workspaces/{integration['id']}/members", headers=coordinator).json()["items"]
    member_id = next(m["userId"] for m in members if m["displayName"] == "Mitglied Fokusgruppe (Demo)")
    templates = requests.get(hub.base + "/api/v1/meeting-templates", headers=coordinator).json()["items"]
    return coordinator, admin, integration, member_id, templates[0]["id"]


def create_meeting(hub, coordinator, integration, member_id, template, start, title, invitees):
    r = requests.post(f"{hub.base}/api/v1/workspaces/{integration['id']}/meetings", headers=coordinator, json={
        "templateId": template, "title": title, "start": local(start), "end": local(start + datetime.timedelta(hours=2)),
        "place": "Kreishaus, Sitzungssaal 2 (Erdgeschoss, barrierefrei über den Seiteneingang)",
        "description": "Bitte bringen Sie die Zahlen zur Sprachförderung mit; wir sprechen über Übergänge Kita – Schule, "
                       "die Ämterlotsen und die nächsten Schritte; Rückfragen an die Geschäftsstelle.",
        "invitees": invitees})
    assert r.status_code == 201, r.text
    return r.json()


def test_invite_reschedule_cancel_feed(hub_with_mail, smtp_sink):
    hub = hub_with_mail
    coordinator, admin, integration, member_id, template = setup(hub)
    start = (datetime.datetime.now(BERLIN) + datetime.timedelta(days=9)).replace(hour=17, minute=0, second=0, microsecond=0)
    invitees = [{"key": f"member:{member_id}"}] + [{"key": f"guest:{g}", "name": g.split("@")[0].replace(".", " ").title()} for g in GUESTS]
    meeting = create_meeting(hub, coordinator, integration, member_id, template, start, "Fokusgruppe Integration: Übergänge", invitees)
    mid = meeting["id"]
    recipients = [MEMBER_EMAIL] + GUESTS

    # Invite: one REQUEST per recipient, each listing only them.
    r = requests.post(f"{hub.base}/api/v1/meetings/{mid}/invite", headers={**coordinator, "If-Match": '"v1"'})
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    first = {to: mailed(smtp_sink, to, "REQUEST", None) for to in recipients}
    uids = {uid for uid, _, _ in first.values()}
    assert len(uids) == 1, uids
    uid = uids.pop()
    assert uid.startswith(f"meeting-{mid}@"), uid
    sequences = [first[MEMBER_EMAIL][1]]
    assert sequences[0] == 0, "nothing was sent before: SEQUENCE 0"
    event = events(first[GUESTS[0]][2])[0]
    assert event.decoded("DTSTART") == start, (event.decoded("DTSTART"), start)
    assert "Sprachförderung" in str(event["DESCRIPTION"]) and "Kita – Schule" in str(event["DESCRIPTION"])

    # The download: the same event, no METHOD, no attendees.
    ics = requests.get(f"{hub.base}/api/v1/meetings/{mid}/invite.ics", headers=coordinator)
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar"), ics.headers
    download = parse(ics.content)
    assert "METHOD" not in download
    check_timezone(download)
    (d,) = events(download)
    assert str(d["UID"]) == uid and "ATTENDEE" not in d

    # Reschedule: REQUEST again, same UID, SEQUENCE up.
    later = start + datetime.timedelta(days=1, hours=1)
    r = requests.patch(f"{hub.base}/api/v1/meetings/{mid}", headers={**coordinator, "If-Match": f'"v{version}"'},
                       json={"start": local(later), "end": local(later + datetime.timedelta(hours=2))})
    assert r.status_code == 200, r.text
    version = r.json()["version"] if "version" in r.json() else r.json()["meeting"]["version"]
    second = {to: mailed(smtp_sink, to, "REQUEST", uid) for to in recipients}
    assert {s for _, s, _ in second.values()} == {second[MEMBER_EMAIL][1]}
    sequences.append(second[MEMBER_EMAIL][1])
    assert events(second[GUESTS[1]][2])[0].decoded("DTSTART") == later

    # Cancel: CANCEL to all, same UID, SEQUENCE up again.
    r = requests.post(f"{hub.base}/api/v1/meetings/{mid}/cancel", headers={**coordinator, "If-Match": f'"v{version}"'},
                      json={"reason": "Der Saal ist belegt."})
    assert r.status_code == 200, r.text
    third = {to: mailed(smtp_sink, to, "CANCEL", uid) for to in recipients}
    sequences.append(third[MEMBER_EMAIL][1])
    assert all(a < b for a, b in zip(sequences, sequences[1:])), f"SEQUENCE strictly increasing: {sequences}"

    # The feed at its secret URL: PUBLISH, no attendees; a cancelled meeting is not in it,
    # a planned one is; without the secret there is nothing.
    planned = create_meeting(hub, coordinator, integration, member_id, template, start + datetime.timedelta(days=7),
                             "Fokusgruppe Integration: Nachtreffen", [{"key": f"guest:{GUESTS[0]}", "name": "Erika"}])
    r = requests.post(f"{hub.base}/api/v1/workspaces/{integration['id']}/calendar-feed", headers=coordinator)
    assert r.status_code in (200, 201), r.text
    url = r.json()["url"]
    feed_url = url if url.startswith("http") else hub.base + url
    path = feed_url.split("/calendar/", 1)[1]
    feed = requests.get(f"{hub.base}/calendar/{path}")
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar"), feed.status_code
    assert "Set-Cookie" not in feed.headers
    cal = parse(feed.content)
    assert str(cal["METHOD"]) == "PUBLISH"
    check_timezone(cal)
    feed_uids = {str(e["UID"]) for e in events(cal)}
    assert f"meeting-{planned['id']}@" in " ".join(feed_uids)
    assert uid not in feed_uids, "cancelled meetings are left out"
    assert all("ATTENDEE" not in e for e in events(cal)), "no attendees in the feed"
    assert GUESTS[0].encode() not in feed.content, "no guest addresses in the feed"
    etag = feed.headers["ETag"]
    assert requests.get(f"{hub.base}/calendar/{path}", headers={"If-None-Match": etag}).status_code == 304
    wrong = requests.get(f"{hub.base}/calendar/{integration['id']}/{'0' * 43}.ics")
    assert wrong.status_code == 404


def test_five_clients_write_minutes_without_losing_text(hub_with_mail):
    hub = hub_with_mail
    coordinator, admin, integration, member_id, template = setup(hub)
    # Starts in 30 minutes: the live agenda may start an hour before.
    start = (datetime.datetime.now(BERLIN) + datetime.timedelta(minutes=30)).replace(second=0, microsecond=0)
    meeting = create_meeting(hub, coordinator, integration, member_id, template, start, "Fokusgruppe Integration: Protokolltest",
                             [{"key": f"member:{member_id}"}])
    mid = meeting["id"]
    r = requests.post(f"{hub.base}/api/v1/meetings/{mid}/agenda/live", headers=coordinator, json={"step": "start"})
    assert r.status_code == 200, r.text
    item = r.json()["live"]["currentItemId"]
    # Five sessions of two people who may write the minutes (coordinator and administrator).
    writers = [sign_in(hub, "koordination@roundtable.example", "demo-koordination") for _ in range(3)] + \
              [sign_in(hub, "admin@roundtable.example", "demo-admin-passwort") for _ in range(2)]

    def write(n: int) -> tuple[str, int]:
        mine = f"Beitrag {n}: Die Gruppe hält Punkt {n} fest (ä ö ü ß)."
        base, text, conflicts = 0, mine, 0
        session = requests.Session()
        for _ in range(50):
            r = session.put(f"{hub.base}/api/v1/meetings/{mid}/minutes/sections", headers=writers[n],
                            json={"kind": "notes", "itemId": item, "text": text, "baseVersion": base})
            if r.status_code == 200:
                saved = r.json()["notes"][item]
                assert mine in saved["text"], "the acknowledged save holds my text"
                return mine, conflicts
            assert r.status_code == 409, r.text
            body = r.json()
            assert body["error"]["code"] == "minutes.editConflict", body
            current = body["current"]["notes"].get(item) or {"text": "", "version": 0}
            conflicts += 1
            base = current["version"]
            text = current["text"] if mine in current["text"] else (current["text"] + "\n" + mine if current["text"] else mine)
        raise AssertionError(f"writer {n} never got through")

    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(write, range(5)))
    final = requests.get(f"{hub.base}/api/v1/meetings/{mid}/minutes", headers=coordinator).json()["minutes"]["notes"][item]["text"]
    for mine, _ in results:
        assert mine in final, f"lost: {mine!r} not in {final!r}"
    assert final.count("Beitrag") == 5, "each text once"


def series_mailed(sink, recipient: str, method: str) -> tuple[str, int, Calendar, str]:
    """A mailed series message: (UID, SEQUENCE, calendar, text body). The master carries the
    RRULE; moved occurrences follow with the same UID and a RECURRENCE-ID."""
    message = take_mail(sink, recipient)
    parts = calendar_parts(message)
    assert len(parts) == 2 and parts[0][1] == parts[1][1], [p[0] for p in parts]
    kind = next(k for k, _ in parts if k.startswith("text/calendar")).lower()
    assert f"method={method.lower()}" in kind.replace('"', ""), kind
    cal = parse(next(raw for k, raw in parts if k.startswith("text/calendar")))
    assert str(cal["METHOD"]) == method
    check_timezone(cal)
    vevents = events(cal)
    masters = [e for e in vevents if "RECURRENCE-ID" not in e]
    assert len(masters) == 1 and "RRULE" in masters[0], "one master with the rule"
    assert len({str(e["UID"]) for e in vevents}) == 1, "overrides share the master's UID"
    assert len({int(e["SEQUENCE"]) for e in vevents}) == 1
    for e in vevents:
        attendees = e.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a).lower().removeprefix("mailto:") for a in attendees] == [recipient.lower()], "only the recipient"
    if method == "CANCEL":
        assert len(vevents) == 1 and str(masters[0]["STATUS"]) == "CANCELLED", "a series CANCEL carries the master only"
    body = message.get_body(preferencelist=("plain",)).get_content()
    return str(masters[0]["UID"]), int(masters[0]["SEQUENCE"]), cal, body


def expand(cal: Calendar) -> list[datetime.datetime]:
    """The series' occurrences as a calendar client computes them: dateutil over the master's
    RRULE from DTSTART, minus EXDATE, with each RECURRENCE-ID replaced by its override's start."""
    from dateutil.rrule import rrulestr
    vevents = events(cal)
    (master,) = [e for e in vevents if "RECURRENCE-ID" not in e]
    start = master.decoded("DTSTART")
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    excluded = set()
    exdates = master.get("EXDATE")
    for group in (exdates if isinstance(exdates, list) else [exdates] if exdates is not None else []):
        excluded |= {d.dt for d in group.dts}
    moved = {e.decoded("RECURRENCE-ID"): e.decoded("DTSTART") for e in vevents if "RECURRENCE-ID" in e}
    return sorted(moved.get(d, d) for d in rule if d not in excluded)


def test_series_request_update_cancel(hub_with_mail, smtp_sink):
    """A weekly series: invited, one occurrence cancelled, one moved, the whole series cancelled.
    Same UID throughout, SEQUENCE strictly increasing, CANCEL last, and dateutil's expansion of
    each mailed REQUEST equals the occurrences the API lists."""
    hub = hub_with_mail
    coordinator, admin, integration, member_id, template = setup(hub)
    day = datetime.datetime.now(BERLIN).date() + datetime.timedelta(days=9)
    while day.isoweekday() != 2:
        day += datetime.timedelta(days=1)
    start = datetime.datetime(day.year, day.month, day.day, 17, 0, tzinfo=BERLIN)
    recipients = [MEMBER_EMAIL, GUESTS[0]]
    r = requests.post(f"{hub.base}/api/v1/workspaces/{integration['id']}/meeting-series", headers=coordinator, json={
        "templateId": template, "title": "Jour fixe Integration (wöchentlich)", "start": local(start),
        "end": local(start + datetime.timedelta(hours=2)), "rule": "FREQ=WEEKLY;BYDAY=TU;COUNT=8",
        "place": "Kreishaus, Sitzungssaal 2 (Erdgeschoss, barrierefrei über den Seiteneingang)",
        "description": "Regelmäßiger Austausch zu Übergängen Kita – Schule, Ämterlotsen und Sprachförderung; "
                       "Rückfragen bitte an die Geschäftsstelle des Fachbereichs.",
        "invitees": [{"key": f"member:{member_id}"}, {"key": f"guest:{GUESTS[0]}", "name": "Erika Beispiel"}]})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]

    def listed() -> list[datetime.datetime]:
        r = requests.get(f"{hub.base}/api/v1/meeting-series/{sid}", headers=coordinator,
                         params={"from": day.isoformat(), "limit": 100})
        assert r.status_code == 200, r.text
        assert r.json()["hasMore"] is False
        return [datetime.datetime.fromisoformat(o["start"]).replace(tzinfo=BERLIN) for o in r.json()["occurrences"]]

    def step(method: str) -> tuple[str, int, Calendar]:
        got = {to: series_mailed(smtp_sink, to, method) for to in recipients}
        assert len({g[0] for g in got.values()}) == 1 and len({g[1] for g in got.values()}) == 1
        uid, seq, cal, body = got[GUESTS[0]]
        assert "Jour fixe Integration" in body
        return uid, seq, cal

    r = requests.post(f"{hub.base}/api/v1/meeting-series/{sid}/invite", headers={**coordinator, "If-Match": '"v1"'})
    assert r.status_code == 200, r.text
    uid, seq, cal = step("REQUEST")
    assert uid.startswith(f"series-{sid}@") and seq == 0
    uids, sequences = {uid}, [seq]
    assert expand(cal) == listed() and len(listed()) == 8

    # The second Tuesday is cancelled: EXDATE.
    second = start + datetime.timedelta(days=7)
    r = requests.post(f"{hub.base}/api/v1/meeting-series/{sid}/occurrences/{local(second)}/cancel",
                      headers={**coordinator, "If-Match": f'"v{r.json()["version"]}"'})
    assert r.status_code == 200, r.text
    uid, seq, cal = step("REQUEST")
    uids.add(uid); sequences.append(seq)
    assert second not in expand(cal) and expand(cal) == listed() and len(listed()) == 7, "COUNT before EXDATE"

    # The fourth moves to Wednesday 18:30: a RECURRENCE-ID override.
    fourth = start + datetime.timedelta(days=21)
    moved = fourth + datetime.timedelta(days=1, hours=1, minutes=30)
    r = requests.post(f"{hub.base}/api/v1/meeting-series/{sid}/occurrences/{local(fourth)}/move",
                      headers={**coordinator, "If-Match": f'"v{r.json()["version"]}"'},
                      json={"start": local(moved), "end": local(moved + datetime.timedelta(hours=2))})
    assert r.status_code == 200, r.text
    uid, seq, cal = step("REQUEST")
    uids.add(uid); sequences.append(seq)
    assert moved in expand(cal) and fourth not in expand(cal) and expand(cal) == listed()

    # The rule changes to every second Tuesday (If-Match; a stale one is 409 with `current`).
    stale = requests.patch(f"{hub.base}/api/v1/meeting-series/{sid}", headers={**coordinator, "If-Match": '"v1"'},
                           json={"rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8"})
    assert stale.status_code == 409 and stale.json()["current"]["version"] == r.json()["version"], stale.text
    r = requests.patch(f"{hub.base}/api/v1/meeting-series/{sid}", headers={**coordinator, "If-Match": f'"v{r.json()["version"]}"'},
                       json={"rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8"})
    assert r.status_code == 200, r.text
    uid, seq, cal = step("REQUEST")
    uids.add(uid); sequences.append(seq)
    assert expand(cal) == listed() and len(listed()) == 8

    # The .ics download is the same series without METHOD and attendees.
    ics = requests.get(f"{hub.base}/api/v1/meeting-series/{sid}/series.ics", headers=coordinator)
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")
    download = parse(ics.content)
    assert "METHOD" not in download and expand(download) == listed()
    assert all("ATTENDEE" not in e for e in events(download))

    # Cancelled: CANCEL with the master only, SEQUENCE up again.
    r = requests.post(f"{hub.base}/api/v1/meeting-series/{sid}/cancel", headers={**coordinator, "If-Match": f'"v{r.json()["version"]}"'})
    assert r.status_code == 200, r.text
    uid, seq, cal = step("CANCEL")
    uids.add(uid); sequences.append(seq)
    assert len(uids) == 1, uids
    assert all(a < b for a, b in zip(sequences, sequences[1:])), f"SEQUENCE strictly increasing: {sequences}"
