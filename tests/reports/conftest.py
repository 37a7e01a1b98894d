"""Fixtures for report tests: cases received and answered through the real application services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.applications.conftest import applicant

ORG_IDS = {"id_type": "uscc", "id_number": "91350100M000100Y43", "contact_person": "李经理"}


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_today(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)

    return set_today


@pytest.fixture
def case(tree: Any, people: dict[str, Any]) -> Any:
    """``case(received, applicant_type, result=None, replied=None, channel=...)``: one received case,
    answered with ``result`` on ``replied`` when given."""
    from gongkai.applications import intake, replies

    def run(
        received: date,
        applicant_type: str = "natural_person",
        result: str | None = None,
        replied: date | None = None,
        channel: str = "in_person",
        unit: Any = None,
        actor: Any = None,
    ) -> Any:
        actor = actor or people["admin"]
        extra = {} if applicant_type == "natural_person" else ORG_IDS
        app, _ = intake.enter_application(
            actor=actor,
            unit=unit or tree.town,
            data=applicant(applicant_type=applicant_type, **extra),
            channel=channel,
            received_on=received,
        )
        if result:
            replies.reply(
                actor=actor,
                application=app,
                result=result,
                on=replied,
                content="理由：见答复书",
                referred_agency="清河县自然资源局，电话0571-88881234",
            )
            app.refresh_from_db()
        return app

    return run


@pytest.fixture
def two_years(tree: Any, case: Any, today: Any) -> dict[str, Any]:
    """Six cases over 2024–2025 whose table 三 is computed by hand in test_table3.py."""
    today(date(2026, 1, 20))
    return {
        "A": case(date(2024, 3, 4), "natural_person", "granted", date(2024, 3, 20)),
        "B": case(date(2024, 6, 3), "commercial", "withheld.third_party_rights", date(2024, 6, 20)),
        "C": case(
            date(2024, 12, 27), "natural_person", "partly_granted", date(2025, 1, 10), channel="letter_registered"
        ),
        "D": case(date(2024, 12, 30), "legal_service", "unable.needs_creation", date(2025, 1, 20)),
        "E": case(date(2025, 5, 6), "research", "granted", date(2025, 5, 20), channel="email"),
        "F": case(date(2025, 12, 29), "natural_person"),
    }
