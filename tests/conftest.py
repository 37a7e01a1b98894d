"""Shared fixtures: a small county tree, users for every role, entries in every state."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

os.environ.setdefault("GONGKAI_ENV", "test")

pytest_plugins = ["tests.browser"]  # the `chromium` fixture


@pytest.fixture(autouse=True)
def _isolated_folders(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("gongkai")
    settings.MEDIA_ROOT = root / "media"
    settings.SITE_DIR = root / "site"
    settings.GONGKAI_AUDIT_ANCHOR_FILE = root / "audit-anchors.log"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Argon2 costs ~0.1 s a hash and fixtures create a dozen users per test; tests that are about hashing
    # mark themselves `real_hasher` (see tests/accounts/test_passwords.py).


@pytest.fixture(autouse=True)
def _fast_hasher(request: pytest.FixtureRequest, settings: Any) -> None:
    if request.node.get_closest_marker("real_hasher") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> None:
    from gongkai.workdays.calendar import calendar

    calendar.invalidate()


@dataclass
class Tree:
    county: Any
    town: Any
    street: Any
    office: Any  # 民政办 of the township
    village: Any
    other_office: Any  # 财政所 of the township


@pytest.fixture
def tree(db: Any) -> Tree:
    from tests.factories import make_tree

    return make_tree()


@pytest.fixture
def people(tree: Tree) -> dict[str, Any]:
    """One user per role, named after what they are."""
    from tests.factories import make_people

    return make_people(tree)


@pytest.fixture
def publish(people: dict[str, Any]) -> Any:
    """Take an entry from draft to published with the township's reviewer and signer."""
    from tests.factories import publish_entry

    def run(entry: Any) -> Any:
        return publish_entry(entry, people)

    return run


@pytest.fixture
def draft(tree: Tree, people: dict[str, Any]) -> Any:
    from tests.factories import make_draft

    def run(**kwargs: Any) -> Any:
        return make_draft(tree, people, **kwargs)

    return run


FORMED = date(2025, 3, 3)


@pytest.fixture
def calendar_until_next_year(db: Any) -> None:
    """For tests whose dates follow the wall clock: once the real date passes the last year
    chinese-calendar covers, mark the missing years as imported (weekends off, no holidays) so those
    tests keep testing timeliness logic rather than the missing-notice error, which has its own tests."""
    from django.utils import timezone

    from gongkai.workdays.calendar import official_years
    from gongkai.workdays.models import CalendarYear

    for year in range(official_years().stop, timezone.localdate().year + 2):
        CalendarYear.objects.get_or_create(year=year, defaults={"notice": "测试用：仅周末休息"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests (row locking) are deselected, not skipped, on the SQLite run of `make test`;
    the PostgreSQL run executes them."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
