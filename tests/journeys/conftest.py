from __future__ import annotations

from typing import Any

import pytest

from gongkai.accounts.models import PasswordState


@pytest.fixture(params=["desktop", "phone"])
def size(request: pytest.FixtureRequest) -> str:
    """Every journey runs on the office PC and on a phone."""
    return str(request.param)


@pytest.fixture
def staff(people: dict[str, Any]) -> dict[str, Any]:
    """The township's people, past their first-login password change (tested elsewhere), with the result
    codes and letter templates that migrations load: a transactional test before this one may have emptied
    those tables (the journeys run against a live server, so their database is not rolled back)."""
    from gongkai.applications.models import LetterTemplate, ResultCode
    from gongkai.applications.rules import load_letter_templates, load_result_codes

    PasswordState.objects.update(must_change=False)
    load_result_codes(ResultCode)
    load_letter_templates(LetterTemplate)
    return people


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Move "today" for the server (it runs in this process) and the services: ``today(date(2025, 4, 1))``.
    A journey that spans weeks walks its days this way; the browser types every date it enters."""

    def set_today(day: Any) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)

    return set_today
