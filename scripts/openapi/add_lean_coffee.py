"""Adds the Lean Coffee routes, schemas and parameters to Docs/api/openapi.json (idempotent)."""
import json, pathlib

path = pathlib.Path(__file__).resolve().parents[2] / "Docs/api/openapi.json"
doc = json.loads(path.read_text())
comp = doc["components"]
SEC = [{"sessionCookie": []}, {"sessionCookieLocal": []}, {"bearerToken": []}, {"guestToken": []}]
if not any(t["name"] == "lean coffee" for t in doc["tags"]):
    doc["tags"].append({"name": "lean coffee", "description": "Lean Coffee boards: topics, dot votes, timeboxed discussion with continue votes, takeaways. Guests join by link with a display name and send their token as `X-Guest-Token`."})
comp["securitySchemes"]["guestToken"] = {"type": "apiKey", "in": "header", "name": "X-Guest-Token",
                                         "description": "The token a guest got when joining one board (`POST /api/v1/lean-coffee/{board}/guests`); good for that board only."}
comp["parameters"]["BoardId"] = {"name": "board", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
comp["parameters"]["TopicId"] = {"name": "topic", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
comp["parameters"]["TakeawayId"] = {"name": "takeaway", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
comp["parameters"]["IdempotencyKey"] = {"name": "Idempotency-Key", "in": "header", "required": True,
                                        "description": "A fresh value (e.g. a UUID) per click, 8–100 of `A–Z a–z 0–9 - _ . :`. The same key again answers like the first time and counts once; the same key for another request is `409 leanCoffee.idempotencyKeyReused`.",
                                        "schema": {"type": "string", "minLength": 8, "maxLength": 100, "pattern": "^[A-Za-z0-9_.:-]+$"}}

participant = {"type": "object", "required": ["kind", "id", "name"], "properties": {
    "kind": {"type": "string", "enum": ["user", "guest"]}, "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}}}
settings = {"type": "object", "properties": {
    "dotsPerParticipant": {"type": "integer", "minimum": 1, "maximum": 20},
    "maxDotsPerTopic": {"type": ["integer", "null"], "minimum": 1},
    "votesHidden": {"type": "boolean"}, "anonymousTopicsAllowed": {"type": "boolean"},
    "timeboxMinutes": {"type": "array", "minItems": 1, "maxItems": 6, "items": {"type": "integer", "minimum": 1, "maximum": 60}},
    "guestsAllowed": {"type": "boolean"}, "topicsPerParticipant": {"type": "integer", "minimum": 1, "maximum": 50}},
    "required": ["dotsPerParticipant", "votesHidden", "anonymousTopicsAllowed", "timeboxMinutes", "guestsAllowed", "topicsPerParticipant"]}
phase = {"type": "string", "enum": ["collect", "vote", "discuss", "closed"]}
board = {"type": "object", "required": ["id", "title", "phase", "settings", "version"], "properties": {
    "id": {"type": "string", "format": "uuid"}, "workspaceId": {"type": ["string", "null"], "format": "uuid"},
    "title": {"type": "string"}, "facilitators": {"type": "array", "items": {"type": "string", "format": "uuid"}},
    "settings": {"$ref": "#/components/schemas/LeanCoffeeSettings"}, "phase": {"$ref": "#/components/schemas/LeanCoffeePhase"},
    "votingOpened": {"type": "boolean"}, "votesRevealed": {"type": "boolean"}, "talliesVisible": {"type": "boolean"},
    "discussion": {"type": ["object", "null"], "properties": {
        "queue": {"type": "array", "items": {"type": "string"}}, "current": {"type": ["string", "null"]}, "timebox": {"type": "integer"},
        "startedAt": {"type": ["string", "null"], "format": "date-time"},
        "endsAt": {"type": ["string", "null"], "format": "date-time", "description": "The running timebox ends here; clients count down locally."},
        "canExtend": {"type": "boolean"}}},
    "createdBy": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"},
    "closedAt": {"type": ["string", "null"], "format": "date-time"}, "version": {"type": "integer"}}}
topic = {"type": "object", "required": ["id", "title", "status"], "properties": {
    "id": {"type": "string"}, "boardId": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
    "author": {"oneOf": [{"$ref": "#/components/schemas/Participant"}, {"type": "null"}], "description": "Absent for anonymous topics."},
    "anonymous": {"type": "boolean"}, "status": {"type": "string", "enum": ["open", "discussing", "discussed", "withdrawn"]},
    "createdAt": {"type": "string", "format": "date-time"}, "extensions": {"type": "integer"},
    "recommendationId": {"type": ["string", "null"]},
    "dots": {"type": "integer", "description": "Absent while votes are hidden."}}}
takeaway = {"type": "object", "properties": {"id": {"type": "string"}, "topicId": {"type": "string"}, "text": {"type": "string"},
                                             "author": {"$ref": "#/components/schemas/Participant"},
                                             "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}}
snapshot = {"type": "object", "required": ["board", "topics", "takeaways", "me"], "properties": {
    "board": {"$ref": "#/components/schemas/LeanCoffeeBoard"},
    "topics": {"type": "array", "items": {"$ref": "#/components/schemas/LeanCoffeeTopic"}},
    "takeaways": {"type": "array", "items": {"$ref": "#/components/schemas/LeanCoffeeTakeaway"}},
    "totalDots": {"type": "integer"}, "voters": {"type": "integer"},
    "continueTally": {"type": ["object", "null"], "properties": {"topicId": {"type": "string"}, "timebox": {"type": "integer"},
                                                                 "up": {"type": "integer"}, "sideways": {"type": "integer"}, "down": {"type": "integer"}}},
    "me": {"type": "object", "description": "The requester's own role, dots and continue vote; never anybody else's.", "properties": {
        "participant": {"oneOf": [{"$ref": "#/components/schemas/Participant"}, {"type": "null"}]},
        "role": {"type": "string", "enum": ["viewer", "guest", "participant", "lead", "none"]},
        "dots": {"type": "object", "additionalProperties": {"type": "integer"}}, "dotsLeft": {"type": "integer"},
        "continueVote": {"type": ["string", "null"], "enum": ["up", "sideways", "down", None]}}},
    "guests": {"type": "integer"}, "cursor": {"$ref": "#/components/schemas/Cursor"}}}
comp["schemas"].update({
    "Participant": participant, "LeanCoffeeSettings": settings, "LeanCoffeePhase": phase, "LeanCoffeeBoard": board,
    "LeanCoffeeTopic": topic, "LeanCoffeeTakeaway": takeaway, "LeanCoffeeSnapshot": snapshot,
    "LeanCoffeeList": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string"}, "workspaceId": {"type": ["string", "null"]}, "title": {"type": "string"},
        "phase": {"$ref": "#/components/schemas/LeanCoffeePhase"}, "createdAt": {"type": "string", "format": "date-time"},
        "version": {"type": "integer"}}}}, "cursor": {"type": ["object", "null"]}}},
    "GuestJoin": {"type": "object", "properties": {"token": {"type": "string", "description": "Shown once; stored only as its hash."},
                                                   "guest": {"$ref": "#/components/schemas/Participant"}, "boardId": {"type": "string"}}},
    "LeanCoffeeInvitation": {"type": "object", "properties": {"boardId": {"type": "string"}, "title": {"type": "string"},
                                                              "guestsAllowed": {"type": "boolean"}, "phase": {"$ref": "#/components/schemas/LeanCoffeePhase"}}},
})

def err(*codes):
    names = {400: "Malformed", 401: "Unauthorized", 403: "Forbidden", 409: "StateConflict", 413: "TooLarge", 422: "ValidationFailed",
             428: "VersionRequired", 500: "InternalError"}
    return {str(c): {"$ref": f"#/components/responses/{names[c]}"} for c in codes}

NOT_FOUND = {"404": {"description": "No such board, or not visible to you (`leanCoffee.notFound`).",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}}
SNAP = {"description": "The board as the requester sees it afterwards (a replayed request gets the same answer).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeanCoffeeSnapshot"}}},
        "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}}
B = {"$ref": "#/components/parameters/BoardId"}
T = {"$ref": "#/components/parameters/TopicId"}
K = {"$ref": "#/components/parameters/TakeawayId"}
I = {"$ref": "#/components/parameters/IdempotencyKey"}

def op(op_id, summary, desc, params=(), body=None, ok="200", ok_resp=SNAP, errors=(400, 401, 403, 409, 422, 500), security=SEC):
    o = {"operationId": op_id, "summary": summary, "tags": ["lean coffee"], "description": desc, "parameters": list(params),
         "responses": {ok: ok_resp, **err(*errors), **NOT_FOUND}}
    if body is not None:
        o["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if security is not None:
        o["security"] = security
    return o

obj = lambda props, req: {"type": "object", "required": req, "properties": props}
paths = doc["paths"]
paths["/api/v1/lean-coffee"] = {
    "get": op("listLeanCoffee", "List boards", "The boards of a workspace (`?workspace=`, its members) or the standalone boards (everyone signed in).",
              params=[{"name": "workspace", "in": "query", "required": False, "schema": {"type": "string", "format": "uuid"}}],
              ok_resp={"description": "The boards.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeanCoffeeList"}}}},
              errors=(401, 500)),
    "post": op("createLeanCoffee", "Start a board", "In a workspace its coordinators, members and administrators; standalone anyone signed in. The creator facilitates. Publishes `leanCoffee.boardCreated`.",
               body=obj({"title": {"type": "string", "minLength": 3, "maxLength": 120}, "workspaceId": {"type": "string", "format": "uuid"},
                         "settings": {"$ref": "#/components/schemas/LeanCoffeeSettings"}}, ["title"]), ok="201"),
}
paths["/api/v1/lean-coffee/{board}"] = {
    "get": op("getLeanCoffee", "Read a board", "Everyone who may view it (observers of the workspace read), guests with their token.", params=[B], errors=(401, 403, 500)),
    "patch": op("updateLeanCoffee", "Change title, settings, facilitators", "Facilitators, with `If-Match`. The voting settings freeze once voting opened (`leanCoffee.settingsLocked`). A stale version is a 409 with `current`.",
                params=[B, {"$ref": "#/components/parameters/IfMatch"}],
                body={"type": "object", "properties": {"title": {"type": "string"}, "settings": {"$ref": "#/components/schemas/LeanCoffeeSettings"},
                                                       "facilitators": {"type": "array", "items": {"type": "string", "format": "uuid"}}}},
                errors=(400, 401, 403, 409, 422, 428, 500)),
    "delete": op("deleteLeanCoffee", "Delete a board", "Facilitators. Deletes everything on it, guests' names included.", params=[B],
                 ok="204", ok_resp={"description": "Deleted."}, errors=(401, 403, 500)),
}
paths["/api/v1/lean-coffee/{board}/invitation"] = {"get": op("leanCoffeeInvitation", "What the join page shows", "Public: the link is the invitation. Title, whether guests may join, the phase.",
    params=[B], ok_resp={"description": "The invitation.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeanCoffeeInvitation"}}}},
    errors=(500,), security=[])}
paths["/api/v1/lean-coffee/{board}/guests"] = {"post": op("joinLeanCoffee", "Join as a guest", "No account: a display name (1–60 characters) and a token for this board only, shown once. Refused with `leanCoffee.guestsNotAllowed` unless the facilitator allows guests.",
    params=[B], body=obj({"displayName": {"type": "string", "minLength": 1, "maxLength": 60}}, ["displayName"]), ok="201",
    ok_resp={"description": "The guest and the token.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GuestJoin"}}}},
    errors=(400, 403, 409, 422, 500), security=[])}
paths["/api/v1/lean-coffee/{board}/phase"] = {"post": op("leanCoffeePhase", "Move the phase", "Facilitators name the target phase (`collect ⇄ vote → discuss → closed`); the same target again is a no-op.",
    params=[B], body=obj({"phase": {"$ref": "#/components/schemas/LeanCoffeePhase"}}, ["phase"]))}
paths["/api/v1/lean-coffee/{board}/reveal"] = {"post": op("leanCoffeeReveal", "Reveal hidden votes", "Facilitators, while voting with hidden votes.", params=[B])}
paths["/api/v1/lean-coffee/{board}/topics"] = {"post": op("addLeanCoffeeTopic", "Add a topic", "Everyone taking part (guests too) while collecting; optionally anonymous.",
    params=[B], body=obj({"title": {"type": "string", "minLength": 3, "maxLength": 120}, "description": {"type": "string", "maxLength": 2000},
                          "anonymous": {"type": "boolean"}}, ["title"]), ok="201")}
paths["/api/v1/lean-coffee/{board}/topics/{topic}"] = {"patch": op("editLeanCoffeeTopic", "Edit a topic", "Its author or a facilitator, while collecting.",
    params=[B, T], body={"type": "object", "properties": {"title": {"type": "string"}, "description": {"type": "string"}}})}
paths["/api/v1/lean-coffee/{board}/topics/{topic}/withdraw"] = {"post": op("withdrawLeanCoffeeTopic", "Withdraw a topic", "Its author or a facilitator, while collecting or voting; its dots no longer count.", params=[B, T])}
paths["/api/v1/lean-coffee/{board}/topics/{topic}/dots"] = {
    "post": op("placeDot", "Place a dot", "Everyone taking part, while voting, with `Idempotency-Key`. Publishes `leanCoffee.tallyChanged` (the topic's new count) or, with hidden votes, `leanCoffee.voteProgress`; never who voted.",
               params=[B, T, I], errors=(400, 401, 403, 409, 422, 428, 500)),
    "delete": op("removeDot", "Take a dot back", "Removes the requester's latest dot on the topic; with `Idempotency-Key`.", params=[B, T, I], errors=(400, 401, 403, 409, 422, 428, 500)),
}
paths["/api/v1/lean-coffee/{board}/topics/{topic}/takeaways"] = {"post": op("addTakeaway", "Add a takeaway", "Everyone taking part, during the discussion, on the current or an earlier discussed topic.",
    params=[B, T], body=obj({"text": {"type": "string", "minLength": 1, "maxLength": 1000}}, ["text"]), ok="201")}
paths["/api/v1/lean-coffee/{board}/topics/{topic}/draft"] = {"post": op("draftFromTopic", "Start a draft recommendation from a topic",
    "Someone with an account who may draft in the board's workspace. The draft (title from the topic, initial situation from its description and takeaways) and the topic's link to it are written in one transaction. Publishes `recommendation.created` and `leanCoffee.draftRequested`.",
    params=[B, T], ok="201", ok_resp={"description": "The board and the new draft's id.", "content": {"application/json": {"schema": obj(
        {"board": {"$ref": "#/components/schemas/LeanCoffeeSnapshot"}, "recommendationId": {"type": "string"}}, ["board", "recommendationId"])}}})}
paths["/api/v1/lean-coffee/{board}/takeaways/{takeaway}"] = {
    "patch": op("editTakeaway", "Edit a takeaway", "Its author or a facilitator, during the discussion.", params=[B, K],
                body=obj({"text": {"type": "string"}}, ["text"])),
    "delete": op("removeTakeaway", "Remove a takeaway", "Its author or a facilitator.", params=[B, K]),
}
paths["/api/v1/lean-coffee/{board}/continue"] = {"post": op("continueVote", "Continue vote", "Everyone taking part, once the timebox has ended (`endsAt`); one ballot per person and timebox, voting again replaces it. Only counts are published.",
    params=[B], body=obj({"topicId": {"type": "string"}, "timebox": {"type": "integer"}, "vote": {"type": "string", "enum": ["up", "sideways", "down"]}},
                         ["topicId", "timebox", "vote"]))}
paths["/api/v1/lean-coffee/{board}/conclude"] = {"post": op("concludeTimebox", "Conclude the timebox", "Facilitators: by the majority rule after expiry (extend iff up > down and a next timebox exists), or with `override` (`extend`, `moveOn`) at any time.",
    params=[B], body=obj({"topicId": {"type": "string"}, "timebox": {"type": "integer"}, "override": {"type": "string", "enum": ["extend", "moveOn"]}},
                         ["topicId", "timebox"]))}
paths["/api/v1/lean-coffee/{board}/next"] = {"post": op("nextTopic", "Next topic", "Facilitators move on from the named topic at any time.",
    params=[B], body=obj({"topicId": {"type": "string"}}, ["topicId"]))}
paths["/api/v1/lean-coffee/{board}/minutes"] = {"post": op("takeawaysToMinutes", "Send takeaways to a meeting's minutes",
    "Facilitators, during the discussion or after. Publishes `leanCoffee.takeawaysSentToMinutes` with the Markdown block for the minutes.",
    params=[B], body=obj({"meetingId": {"type": "string", "format": "uuid"}}, ["meetingId"]))}
paths["/api/v1/lean-coffee/{board}/export"] = {"get": op("exportLeanCoffee", "Export the board", "Topics in discussion order with their dots (never who voted; hidden votes stay hidden), discussion and takeaways, as CSV (formulas defused), JSON or Markdown.",
    params=[B, {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["csv", "json", "markdown", "md"]}}],
    ok_resp={"description": "The export.", "content": {"text/csv": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "object"}},
                                                        "text/markdown": {"schema": {"type": "string"}}}}, errors=(401, 403, 422, 500))}
path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
