"""Fixtures for application tests: valid applicant data and cases received through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

VALID_ID = "11010519491231002X"


def applicant(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_type": "natural_person",
        "name": "王建国",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800138000",
        "email": "wang@example.com",
        "address": "清河县东山镇人民路8号",
        "description": "2024年某村土地征收补偿标准",
        "info_form": "electronic",
        "delivery": "email",
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
def receive(tree: Any, people: dict[str, Any]) -> Any:
    """Enter an application received on ``on`` (in person, so the receipt date is the day submitted)."""
    from gongkai.applications import intake

    def run(on: date, channel: str = "in_person", unit: Any = None, **data: Any) -> Any:
        app, _code = intake.enter_application(
            actor=people["drafter"],
            unit=unit or tree.town,
            data=applicant(**data),
            channel=channel,
            received_on=on,
        )
        return app

    return run
