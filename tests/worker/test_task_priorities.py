"""The worker takes a signed entry's page refresh before letters and exports that were queued earlier, and bulk
re-scans last (core/priorities.py; measured in bench/bench_publish.py: refreshes stuck behind letters)."""

from __future__ import annotations

import pytest

from gongkai.applications.tasks import render_letter
from gongkai.documents.tasks import build_fonts
from gongkai.portal.tasks import refresh_unit_pages
from gongkai.screening.tasks import rescan_published_entries
from gongkai.search.tasks import index_entry
from gongkai.worker.loop import Worker

pytestmark = pytest.mark.usefixtures("db_tasks")


def test_pages_first_then_waiting_staff_then_documents_then_bulk(tree):
    build_fonts.enqueue()
    rescan_published_entries.enqueue(tree.town.pk)
    for n in range(3):
        render_letter.enqueue(100 + n, unit_id=tree.town.pk)
    index_entry.enqueue(7)
    refresh_unit_pages.enqueue(tree.town.pk)  # queued last, taken first
    worker = Worker(queue_names=["default"], interval=0.1)
    order = []
    while (row := worker._claim()) is not None:
        order.append(row.task_path.rsplit(".", 1)[-1])
        row.status = "SUCCESSFUL"
        row.save(update_fields=["status"])
    assert order[:2] == ["refresh_unit_pages", "index_entry"]
    assert order[2:5] == ["render_letter"] * 3
    assert sorted(order[5:]) == ["build_fonts", "rescan_published_entries"]
