"""Background indexing (run by ``gongkai worker``): attachment text extraction is slow."""

from __future__ import annotations

from django_tasks import task

from gongkai.core import priorities

from . import indexing


@task(priority=priorities.INTERACTIVE)
def index_entry(entry_id: int) -> int:
    return indexing.index_entries([entry_id])
