"""Letters and exports are queued with the unit they work for (``unit_id``), so a failed letter or annual-report
export shows on that unit's 公开办管理员's dashboard, who may retry it; another unit's administrator only counts it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.applications.tasks import render_letter
from gongkai.documents.tasks import run_job
from gongkai.worker import queue, services, taskinfo

pytestmark = pytest.mark.usefixtures("db_tasks")


def failed(result) -> DBTaskResult:
    DBTaskResult.objects.filter(pk=result.id).update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="builtins.OSError"
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_failed_letter_is_the_units_to_retry(client, people, tree):
    row = failed(render_letter.enqueue(41, unit_id=tree.town.pk))
    assert taskinfo.unit_ids([row]) == {str(row.pk): tree.town.pk}
    assert queue.can_retry(people["admin"], row) and not queue.can_retry(people["street_admin"], row)
    client.force_login(people["admin"])
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert "生成告知书（DOCX、PDF）（文书 #41）" in html and reverse("worker:task_retry", args=[row.pk]) in html
    services.retry_task(actor=people["admin"], task_id=str(row.pk))
    assert DBTaskResult.objects.get(pk=row.pk).status == "READY"


def test_an_export_of_another_unit_is_only_counted(client, people, tree):
    row = failed(run_job.enqueue("4b1f0a52-1111-4222-8333-944455556666", unit_id=tree.street.pk))
    client.force_login(people["admin"])
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert reverse("worker:task_retry", args=[row.pk]) not in html
    assert "另有 1 个失败的任务属于其他单位或全平台" in html


def test_a_task_queued_without_a_unit_stays_the_system_administrators(people, tree):
    row = failed(render_letter.enqueue(42))
    assert taskinfo.unit_ids([row]) == {str(row.pk): None}
    assert not queue.can_retry(people["admin"], row) and queue.can_retry(people["sysadmin"], row)


def test_starting_an_export_and_numbering_a_letter_queue_their_unit(people, tree, django_capture_on_commit_callbacks):
    from gongkai.applications.letters import letter_numbered
    from gongkai.applications.models import Letter
    from gongkai.documents import jobs

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(
            actor=people["admin"],
            kind="annual_report",
            params={"unit": tree.town.code, "year": 2025, "all": False, "format": "pdf"},
            title="年度报告",
            unit=tree.town,
        )
    letter_numbered.send(sender=Letter, letter_id=7, unit_id=tree.street.pk)
    rows = {r.task_path.rsplit(".", 1)[-1]: r for r in DBTaskResult.objects.all()}
    assert rows["run_job"].args_kwargs == {"args": [str(job.pk)], "kwargs": {"unit_id": tree.town.pk}}
    assert rows["render_letter"].args_kwargs == {"args": [7], "kwargs": {"unit_id": tree.street.pk}}
    assert taskinfo.unit_ids(rows.values()) == {
        str(rows["run_job"].pk): tree.town.pk,
        str(rows["render_letter"].pk): tree.street.pk,
    }
