"""``indexing_deferred``: bulk seeding indexes once, in the process, at the end, with nothing queued."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from gongkai.catalog import services
from gongkai.search import selectors
from gongkai.search.receivers import indexing_deferred


@pytest.fixture
def db_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def hits(q: str) -> set[int]:
    return {h.entry.pk for h in selectors.search(q=q, page_size=100).hits}


def test_indexed_when_the_block_ends_and_never_queued(db_queue, draft, publish, people, committed):
    with indexing_deferred() as collected:
        kept = committed(publish, draft(title="城乡低保对象公示"))
        gone = committed(publish, draft(title="低保资金发放明细"))
        committed(services.withdraw, actor=people["admin"], entry=gone, reason="内容有误")
        assert hits("低保") == set()  # not yet: the block indexes when it ends
    assert collected == {kept.pk, gone.pk}
    assert hits("低保") == {kept.pk}
    assert not DBTaskResult.objects.filter(task_path="gongkai.search.tasks.index_entry").exists()


def test_a_failing_block_indexes_nothing(db_queue, draft, publish, committed):
    with pytest.raises(RuntimeError), indexing_deferred():
        committed(publish, draft(title="城乡低保对象公示"))
        raise RuntimeError("seeding failed")
    assert hits("低保") == set()
