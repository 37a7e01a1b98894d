"""The messages API: submit → number + code, status with the code, the published list (masked); bad input gets
the one error body in Chinese naming the field, and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from gongkai.interaction import handling
from gongkai.interaction.models import Message

from .conftest import message_data


def post(client: Client, body: Any) -> Any:
    raw = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/messages", data=raw, content_type="application/json")


def payload(**overrides: Any) -> dict[str, Any]:
    return {"org": "QH0101", **message_data(), **overrides}


def test_roundtrip(client: Client, tree: Any, people: dict[str, Any], calendar_until_next_year: None) -> None:
    created = post(client, payload(content="我是李大山，电话13912345678，村口路灯坏了，请修理。"))
    assert created.status_code == 201
    number, code = created.json()["number"], created.json()["code"]
    status = client.get(f"/api/v1/messages/{number}", {"code": code})
    assert status.status_code == 200 and status.json()["status"] == "received" and status.json()["reply"] is None
    assert status["Cache-Control"] == "no-store"
    assert client.get(f"/api/v1/messages/{number}", {"code": "WRONG2345"}).status_code == 404

    m = Message.objects.get(number=number)
    handling.accept(actor=people["admin"], message=m)
    handling.assign(actor=people["admin"], message=m, office=tree.office)
    handling.draft(actor=people["drafter"], message=m, text="已安排维修。")
    handling.reply(actor=people["drafter"], message=m)
    answered = client.get(f"/api/v1/messages/{number}", {"code": code}).json()
    assert answered["reply"] == "已安排维修。" and answered["reply_office"] == "东山镇民政办"

    assert client.get("/api/v1/messages", {"org": "QH0101"}).json()["count"] == 0  # not yet published
    handling.publish(actor=people["signer"], message=m)
    listed = client.get("/api/v1/messages", {"org": "QH0101", "kind": "consult", "year": m.year}).json()
    assert listed["count"] == 1
    text = json.dumps(listed, ensure_ascii=False)
    assert "李大山" not in text and "13912345678" not in text and listed["results"][0]["name"] == "李**"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"org": "NOPE"}, "org"),
        (payload(kind="gossip"), "kind"),
        (payload(title=""), "title"),
        (payload(content="长" * 2001), "content"),
        (payload(name="<script>alert(1)</script>"), "name"),
        (payload(title="<img src=x onerror=alert(1)>"), "title"),
        (payload(phone="😀"), "phone"),
        (payload(title=["a"]), "title"),
    ],
)
def test_bad_input(client: Client, tree: Any, body: Any, field: str) -> None:
    response = post(client, body)
    assert response.status_code == 400
    err = response.json()["error"]
    assert err["field"] == field and any("\u4e00" <= c <= "\u9fff" for c in err["message"])
    assert not Message.objects.exists()


def test_not_json(client: Client, tree: Any) -> None:
    response = post(client, "{not json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_json"


def test_list_refuses_unknown_filters(client: Client, tree: Any) -> None:
    assert client.get("/api/v1/messages", {"kind": "gossip"}).json()["error"]["field"] == "kind"
    assert client.get("/api/v1/messages", {"org": "NOPE"}).json()["error"]["field"] == "org"
    assert client.get("/api/v1/messages", {"year": "abc"}).status_code == 400


def test_documented_in_openapi(client: Client, db: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/messages", "/api/v1/messages/{number}"} <= set(paths)
