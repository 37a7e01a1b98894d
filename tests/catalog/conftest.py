"""Fixtures for catalog tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set "today" for the services: ``today(date(2026, 1, 20))``."""

    def set_today(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)

    return set_today
