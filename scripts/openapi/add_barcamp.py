"""Adds the barcamp routes and schemas to Docs/api/openapi.json (idempotent). Run after add_lean_coffee.py."""
import json, pathlib

path = pathlib.Path(__file__).resolve().parents[2] / "Docs/api/openapi.json"
doc = json.loads(path.read_text())
comp = doc["components"]
SEC = [{"sessionCookie": []}, {"sessionCookieLocal": []}, {"bearerToken": []}, {"guestToken": []}]
if not any(t["name"] == "barcamps" for t in doc["tags"]):
    doc["tags"].append({"name": "barcamps", "description": "Barcamps: rooms, slots with common blocks, session proposals, interest marks, the moderator's grid, the automatic scheduler, publishing, my agenda (JSON, iCalendar), session notes and the documentation."})
comp["parameters"]["BarcampId"] = {"name": "barcamp", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
comp["parameters"]["SessionIdPath"] = {"name": "session", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
room = {"type": "object", "required": ["id", "name", "capacity"], "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
                                                                              "capacity": {"type": "integer", "minimum": 1, "maximum": 5000}}}
slot = {"type": "object", "required": ["id", "kind", "startsAt", "endsAt"], "properties": {
    "id": {"type": "string", "format": "uuid"}, "kind": {"type": "string", "enum": ["sessions", "opening", "pause", "plenary", "closing"]},
    "title": {"type": "string"}, "startsAt": {"type": "string", "format": "date-time"}, "endsAt": {"type": "string", "format": "date-time"}}}
settings = {"type": "object", "properties": {"interestLimit": {"type": "integer", "minimum": 1, "maximum": 60},
                                             "proposalsPerParticipant": {"type": "integer", "minimum": 1, "maximum": 20},
                                             "proposalsOpen": {"type": "boolean"}, "guestsAllowed": {"type": "boolean"}}}
assignment = {"type": "object", "properties": {"sessionId": {"type": "string"}, "roomId": {"type": "string"}, "slotId": {"type": "string"}, "pinned": {"type": "boolean"}}}
comp["schemas"].update({
    "BarcampRoom": room, "BarcampSlot": slot, "BarcampSettings": settings, "BarcampAssignment": assignment,
    "Barcamp": {"type": "object", "properties": {
        "id": {"type": "string"}, "workspaceId": {"type": ["string", "null"]}, "title": {"type": "string"},
        "moderators": {"type": "array", "items": {"type": "string"}}, "rooms": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampRoom"}},
        "slots": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampSlot"}}, "settings": {"$ref": "#/components/schemas/BarcampSettings"},
        "status": {"type": "string", "enum": ["planning", "published", "closed"]},
        "grid": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampAssignment"}}, "version": {"type": "integer"}}},
    "BarcampSession": {"type": "object", "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"}, "host": {"$ref": "#/components/schemas/Participant"},
        "coHosts": {"type": "array", "items": {"$ref": "#/components/schemas/Participant"}},
        "format": {"type": "string"}, "expectedSize": {"type": ["integer", "null"]}, "status": {"type": "string"},
        "interest": {"type": "integer", "description": "How many marked it; never who."}, "version": {"type": "integer"}}},
    "BarcampSnapshot": {"type": "object", "properties": {
        "barcamp": {"$ref": "#/components/schemas/Barcamp"}, "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampSession"}},
        "notes": {"type": "array", "items": {"type": "object"}}, "capacityWarnings": {"type": "array", "items": {"type": "object"}},
        "me": {"type": "object", "description": "My role, my marks and how many are left."}, "guests": {"type": "integer"},
        "cursor": {"$ref": "#/components/schemas/Cursor"}}},
    "ScheduleProposal": {"type": "object", "properties": {
        "basedOnVersion": {"type": "integer"}, "assignments": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampAssignment"}},
        "unplaced": {"type": "array", "items": {"type": "object"}}, "warnings": {"type": "array", "items": {"type": "object"}},
        "placedSessions": {"type": "integer"}, "satisfiedInterest": {"type": "integer"}, "overflow": {"type": "integer"}}},
})

def err(*codes):
    names = {400: "Malformed", 401: "Unauthorized", 403: "Forbidden", 409: "StateConflict", 422: "ValidationFailed", 428: "VersionRequired", 500: "InternalError"}
    return {str(c): {"$ref": f"#/components/responses/{names[c]}"} for c in codes}

NOT_FOUND = {"404": {"description": "No such barcamp or session, or not visible to you (`barcamp.notFound`).",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}}
SNAP = {"description": "The barcamp as the requester sees it afterwards.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BarcampSnapshot"}}},
        "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}}
B = {"$ref": "#/components/parameters/BarcampId"}
S = {"$ref": "#/components/parameters/SessionIdPath"}
IM = {"$ref": "#/components/parameters/IfMatch"}

def op(op_id, summary, desc, params=(), body=None, ok="200", ok_resp=SNAP, errors=(400, 401, 403, 409, 422, 500), security=SEC):
    o = {"operationId": op_id, "summary": summary, "tags": ["barcamps"], "description": desc, "parameters": list(params),
         "responses": {ok: ok_resp, **err(*errors), **NOT_FOUND}}
    if body is not None:
        o["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if security is not None:
        o["security"] = security
    return o

obj = lambda props, req: {"type": "object", "required": req, "properties": props}
text = lambda t: {"description": t, "content": {"text/plain": {"schema": {"type": "string"}}}}
P = doc["paths"]
base = "/api/v1/barcamps"
P[base] = {
    "get": op("listBarcamps", "List barcamps", "Of a workspace (`?workspace=`) or the standalone ones.",
              params=[{"name": "workspace", "in": "query", "required": False, "schema": {"type": "string", "format": "uuid"}}],
              ok_resp={"description": "The barcamps.", "content": {"application/json": {"schema": {"type": "object"}}}}, errors=(401, 500)),
    "post": op("createBarcamp", "Start a barcamp", "In a workspace its coordinators, members and administrators; standalone anyone signed in. Publishes `barcamp.created`.",
               body=obj({"title": {"type": "string"}, "workspaceId": {"type": "string"}, "rooms": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampRoom"}},
                         "slots": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampSlot"}}, "settings": {"$ref": "#/components/schemas/BarcampSettings"}},
                        ["title"]), ok="201"),
}
P[base + "/{barcamp}"] = {
    "get": op("getBarcamp", "Read a barcamp", "Everyone who may view it; guests with their token.", params=[B], errors=(401, 403, 500)),
    "patch": op("updateBarcamp", "Change title, settings, rooms, slots", "Moderators, with `If-Match` on the barcamp's version.", params=[B, IM],
                body={"type": "object", "properties": {"title": {"type": "string"}, "settings": {"$ref": "#/components/schemas/BarcampSettings"},
                                                       "rooms": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampRoom"}},
                                                       "slots": {"type": "array", "items": {"$ref": "#/components/schemas/BarcampSlot"}}}},
                errors=(400, 401, 403, 409, 422, 428, 500)),
}
P[base + "/{barcamp}/invitation"] = {"get": op("barcampInvitation", "What the join page shows", "Public: the link is the invitation.", params=[B],
    ok_resp={"description": "Title and whether guests may join.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeanCoffeeInvitation"}}}},
    errors=(500,), security=[])}
P[base + "/{barcamp}/guests"] = {"post": op("joinBarcamp", "Join as a guest", "A display name and a token for this barcamp only.", params=[B],
    body=obj({"displayName": {"type": "string"}}, ["displayName"]), ok="201",
    ok_resp={"description": "The guest and the token.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GuestJoin"}}}},
    errors=(400, 403, 409, 422, 500), security=[])}
P[base + "/{barcamp}/sessions"] = {"post": op("proposeSession", "Propose a session", "Everyone taking part while proposals are open; a per-person limit.", params=[B],
    body=obj({"title": {"type": "string"}, "description": {"type": "string"}, "format": {"type": "string"}, "expectedSize": {"type": "integer"},
              "coHosts": {"type": "array", "items": {"type": "string", "description": "user:<id> or guest:<id>"}}}, ["title"]), ok="201")}
P[base + "/{barcamp}/sessions/{session}"] = {"patch": op("editSession", "Edit a session", "Its hosts or a moderator, with `If-Match` on the session's version.",
    params=[B, S, IM], body={"type": "object", "properties": {"title": {"type": "string"}, "description": {"type": "string"}, "format": {"type": "string"},
                                                              "expectedSize": {"type": "integer"}}}, errors=(400, 401, 403, 409, 422, 428, 500))}
P[base + "/{barcamp}/sessions/{session}/withdraw"] = {"post": op("withdrawSession", "Withdraw a session", "Its host or a moderator; a placed session leaves the grid.", params=[B, S])}
P[base + "/{barcamp}/sessions/{session}/interest"] = {
    "put": op("markInterest", "Mark interest", "A set: marking twice counts once; a per-person limit. Publishes the session's count, never who.", params=[B, S]),
    "delete": op("unmarkInterest", "Remove my mark", "Removing a mark that is not there changes nothing.", params=[B, S]),
}
P[base + "/{barcamp}/sessions/{session}/notes"] = {"put": op("saveNotes", "Save a session's notes", "Everyone taking part, naming the version they started from; a stale save is `409 barcamp.notesConflict`.",
    params=[B, S], body=obj({"text": {"type": "string"}, "baseVersion": {"type": "integer"}}, ["text", "baseVersion"]))}
P[base + "/{barcamp}/grid"] = {"post": op("changeGrid", "Change the grid", "Moderators, with `If-Match` on the barcamp's version: `?action=assign|move|unassign|pin`. The invariants (one session per cell, none in a common block, no host in two sessions of a slot) are checked.",
    params=[B, IM, {"name": "action", "in": "query", "required": True, "schema": {"type": "string", "enum": ["assign", "move", "unassign", "pin"]}}],
    body=obj({"sessionId": {"type": "string"}, "roomId": {"type": "string"}, "slotId": {"type": "string"}, "swap": {"type": "boolean"}, "pinned": {"type": "boolean"}}, ["sessionId"]),
    errors=(400, 401, 403, 409, 422, 428, 500))}
P[base + "/{barcamp}/schedule/proposal"] = {"post": op("proposeSchedule", "Compute a schedule proposal", "Moderators. Deterministic; changes nothing.", params=[B],
    ok_resp={"description": "The proposal.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScheduleProposal"}}}}, errors=(401, 403, 500))}
P[base + "/{barcamp}/schedule/apply"] = {"post": op("applySchedule", "Apply a computed schedule", "Moderators, with `If-Match`: pinned sessions stay, the rest is replaced by a fresh proposal; invariants checked again (`barcamp.staleProposal`).",
    params=[B, IM], errors=(400, 401, 403, 409, 428, 500))}
P[base + "/{barcamp}/publish"] = {"post": op("publishBarcamp", "Publish the schedule", "Moderators, with `If-Match`; needs a non-empty grid.", params=[B, IM], errors=(400, 401, 403, 409, 428, 500))}
P[base + "/{barcamp}/close"] = {"post": op("closeBarcamp", "Close the barcamp", "Moderators; read-only afterwards.", params=[B], errors=(401, 403, 500))}
P[base + "/{barcamp}/agenda"] = {"get": op("myAgenda", "My sessions", "Common blocks and the sessions I host, co-host or marked, with room and time once published, and clashes.", params=[B],
    ok_resp={"description": "My agenda.", "content": {"application/json": {"schema": {"type": "object"}}}}, errors=(401, 403, 500))}
P[base + "/{barcamp}/agenda.ics"] = {"get": op("myAgendaCalendar", "My sessions as iCalendar", "The same agenda as an iCalendar feed (UTC times).", params=[B],
    ok_resp={"description": "text/calendar", "content": {"text/calendar": {"schema": {"type": "string"}}}}, errors=(401, 403, 500))}
P[base + "/{barcamp}/documentation"] = {"get": op("barcampDocumentation", "The event documentation", "Every session's notes in schedule order, as Markdown or (`?format=html`) HTML through the safe renderer.",
    params=[B, {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["markdown", "html"]}}],
    ok_resp={"description": "The documentation.", "content": {"text/markdown": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}}},
    errors=(401, 403, 500))}
path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
