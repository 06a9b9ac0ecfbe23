"""Helpers for the Lean Coffee browser tests: boards, topics and phases through the API."""
from __future__ import annotations

import uuid

from conftest import COORDINATOR
from rec_helpers import workspace_id


def create_board(api, title: str = "Lean Coffee Test", user=COORDINATOR, workspace: bool = True, **settings) -> dict:
    client = api(user)
    body = {"title": title, "settings": {"dotsPerParticipant": 3, "votesHidden": False, "anonymousTopicsAllowed": True,
                                         "timeboxMinutes": [8, 4, 2], "guestsAllowed": True, "topicsPerParticipant": 10, **settings}}
    if workspace:
        body["workspaceId"] = workspace_id(api, user=user)
    r = client.post("/api/v1/lean-coffee", body)
    assert r.status_code == 201, r.text
    return r.json()


def add_topic(api, board_id: str, title: str, user=COORDINATOR, description: str = "") -> dict:
    r = api(user).post(f"/api/v1/lean-coffee/{board_id}/topics", {"title": title, "description": description})
    assert r.status_code == 201, r.text
    return next(t for t in r.json()["topics"] if t["title"] == title)


def phase(api, board_id: str, target: str, user=COORDINATOR) -> dict:
    r = api(user).post(f"/api/v1/lean-coffee/{board_id}/phase", {"phase": target})
    assert r.status_code == 200, r.text
    return r.json()


def dot(api, board_id: str, topic_id: str, user=COORDINATOR) -> dict:
    r = api(user).post(f"/api/v1/lean-coffee/{board_id}/topics/{topic_id}/dots", None,
                       headers={"Idempotency-Key": f"test-{uuid.uuid4()}"})
    assert r.status_code == 200, r.text
    return r.json()


def takeaway(api, board_id: str, topic_id: str, text: str, user=COORDINATOR) -> dict:
    r = api(user).post(f"/api/v1/lean-coffee/{board_id}/topics/{topic_id}/takeaways", {"text": text})
    assert r.status_code == 201, r.text
    return r.json()


def open_board(open_page, board_id: str, user, viewport="mobile", suffix="", lang=None):
    page, probe = open_page(user, viewport=viewport, path=f"/#/lean-coffee/{board_id}{suffix}", lang=lang, wait_ready=False)
    page.locator('[data-testid="lc-phase"]').wait_for()
    return page, probe


def join_as_guest(open_page, board_id: str, name: str, viewport="mobile"):
    page, probe = open_page(None, viewport=viewport, path=f"/#/lean-coffee/{board_id}/join", wait_ready=False)
    page.get_by_label("Anzeigename").fill(name)
    page.get_by_role("button", name="Teilnehmen").click()
    page.locator('[data-testid="lc-phase"]').wait_for()
    return page, probe
