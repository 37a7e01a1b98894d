"""``refresh_paused``: bulk seeding followed by a full build queues no page refreshes."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from gongkai.catalog import services
from gongkai.orgs.services import update_org
from gongkai.portal.receivers import refresh_paused


@pytest.fixture
def db_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def paths() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_nothing_is_queued_inside_and_everything_after(db_queue, draft, publish, people, tree, committed):
    with refresh_paused():
        entry = committed(publish, draft())
        committed(services.edit_published, actor=people["admin"], entry=entry, reason="改错字", summary="新概述")
        committed(update_org, actor=people["admin"], org=tree.town, phone="0571-88880199")
    assert not [p for p in paths() if p.startswith("gongkai.portal.")]
    committed(services.edit_published, actor=people["admin"], entry=entry, reason="再改", summary="又一概述")
    assert "gongkai.portal.tasks.refresh_entry_pages" in paths()
