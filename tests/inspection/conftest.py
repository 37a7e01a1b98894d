"""Helpers for the self-inspection tests: entries published through the services, inspections run through
``services.run_inspection``, a check's result looked up by id."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import category, make_draft, publish_entry


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def pub(tree: Any, people: dict[str, Any], calendar_until_next_year: None) -> Any:
    """Publish an entry of the township in the column ``slug``, formed today (so never late)."""

    def run(slug: str = "notices", **kwargs: Any) -> Any:
        kwargs.setdefault("formed_date", timezone.localdate())
        return publish_entry(make_draft(tree, people, category=category(tree.town, slug), **kwargs), people)

    return run


@pytest.fixture
def fresh_columns(pub: Any) -> list[Any]:
    """One entry in each watched column (通知公告, 工作动态, 政策解读, 行政规范性文件 under 法规文件) and the guide."""
    return [pub("notices"), pub("news", genre="动态"), pub("interpretation", genre="解读"), pub("guide")]


def check(result: dict[str, Any], check_id: str) -> dict[str, Any]:
    [row] = [c for c in result["checks"] if c["id"] == check_id]
    return row


def later(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
