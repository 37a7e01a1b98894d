"""The change sequence is commit order: a change written while another is still uncommitted waits for it, so
a harvester that has read up to sequence N never sees a lower sequence appear afterwards (PostgreSQL, where
two writers really run at once; SQLite has one writer anyway)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from gongkai.harvest import services
from gongkai.harvest.models import HarvestChange


@pytest.mark.postgres_only
def test_a_second_writer_waits_for_the_first_commit(transactional_db: Any, tree: Any, draft: Any, publish: Any) -> None:
    first, second = publish(draft(title="甲")), publish(draft(title="乙"))
    HarvestChange.objects.all().delete()
    holding, release = threading.Event(), threading.Event()
    done: dict[str, Any] = {}

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                done["a"] = services.record_change(first.pk, "publish").pk
                holding.set()
                release.wait(10)
            done["a_committed"] = time.monotonic()
        finally:
            connection.close()

    def fast_writer() -> None:
        try:
            holding.wait(10)
            done["b"] = services.record_change(second.pk, "publish").pk
            done["b_done"] = time.monotonic()
        finally:
            connection.close()

    a, b = threading.Thread(target=slow_writer), threading.Thread(target=fast_writer)
    a.start()
    b.start()
    holding.wait(10)
    time.sleep(0.5)
    assert "b" not in done  # blocked on the lock row while the first change is uncommitted
    release.set()
    a.join(10)
    b.join(10)
    assert done["b"] > done["a"] and done["b_done"] >= done["a_committed"]
