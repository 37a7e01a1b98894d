"""``scans_deferred``: bulk seeding scans what still waits in review when it ends, with nothing queued."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from gongkai.catalog import services
from gongkai.screening.models import ScanResult
from gongkai.screening.receivers import scans_deferred


@pytest.fixture
def db_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_entries_left_in_review_are_scanned_at_the_end(db_queue, draft, people, django_capture_on_commit_callbacks):
    with scans_deferred() as collected:
        with django_capture_on_commit_callbacks(execute=True):
            waiting = services.submit_for_review(
                actor=people["drafter"], entry=draft(body="<p>联系电话 13912345678</p>")
            )
        with django_capture_on_commit_callbacks(execute=True):
            passed = services.submit_for_review(actor=people["drafter"], entry=draft())
        services.review_pass(actor=people["reviewer"], entry=passed)  # the gate scans it
        assert not ScanResult.objects.filter(entry=waiting).exists()
    assert collected == {waiting.pk, passed.pk}
    scan = ScanResult.objects.get(entry=waiting, is_current=True)
    assert scan.trigger == "submit" and scan.finding_count == 1
    assert ScanResult.objects.filter(entry=passed, trigger="submit").count() == 0
    assert not DBTaskResult.objects.exists()
