"""Fixtures for message tests: valid submitter data and messages taken through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest


def message_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "consult",
        "title": "村道路灯什么时候修",
        "content": "李家村东头的路灯坏了两个月，晚上出行不便，请问什么时候能修好？",
        "name": "李大山",
        "phone": "13912345678",
        "email": "",
        "publish_consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set "today" for the services and the clock: ``today(date(2026, 3, 1))``."""

    def set_today(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)

    return set_today


@pytest.fixture
def submit(tree: Any, calendar_until_next_year: None) -> Any:
    from gongkai.interaction import intake

    def run(**overrides: Any) -> Any:
        message, code = intake.submit_online(unit=tree.town, data=message_data(**overrides))
        message.query_code = code
        return message

    return run


@pytest.fixture
def answered(submit: Any, people: dict[str, Any], tree: Any) -> Any:
    """A 咨询 taken through 受理, 分办 to the 民政办, a reply and 答复 (咨询 needs no review by default)."""
    from gongkai.interaction import handling

    def run(**overrides: Any) -> Any:
        m = submit(**overrides)
        code = m.query_code
        handling.accept(actor=people["admin"], message=m)
        handling.assign(actor=people["admin"], message=m, office=tree.office)
        handling.draft(actor=people["drafter"], message=m, text="路灯已报修，本周内由镇村建办安排维修。")
        if m.__class__.objects.get(pk=m.pk).status == "reviewing":
            handling.approve(actor=people["signer"], message=m)
        m = handling.reply(actor=people["drafter"], message=m)
        m.query_code = code
        return m

    return run
