"""A failed task goes back in the queue from the dashboard: a POST, through the audited worker service, for the
公开办管理员 of the task's unit or the 系统管理员; 403 for everyone else, 404 for a task that does not exist."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.core.errors import NotAllowed
from gongkai.core.models import AuditEvent
from gongkai.screening.tasks import rescan_published_entries
from gongkai.search.tasks import index_entry
from gongkai.worker import services

pytestmark = pytest.mark.usefixtures("db_tasks")


def failed(task, *args):
    result = task.enqueue(*args)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="builtins.OSError",
        traceback="OSError: 磁盘已满",
        worker_ids=["w1", "w2"],
    )
    return DBTaskResult.objects.get(pk=result.id)


@pytest.fixture
def town_task(draft, publish):
    return failed(index_entry, publish(draft()).pk)


def retry(client, user, row):
    client.force_login(user)
    return client.post(reverse("worker:task_retry", args=[row.pk]))


def test_the_units_admin_retries_a_failed_task(client, people, town_task, tree):
    response = retry(client, people["admin"], town_task)
    assert response.status_code == 302 and response["Location"] == reverse("staff:dashboard")
    town_task.refresh_from_db()
    assert town_task.status == "READY" and town_task.finished_at is None and town_task.worker_ids == []
    event = AuditEvent.objects.get(action="task.retry")
    assert event.actor == people["admin"] and event.object_id == str(town_task.pk)
    assert event.org_code == tree.town.code and (event.from_state, event.to_state) == ("FAILED", "READY")
    assert "更新检索索引" in event.comment and "OSError" in event.comment
    page = client.get(response["Location"]).content.decode()
    assert "已重新排队：更新检索索引（信息 #" in page


def test_get_does_not_retry(client, people, town_task):
    client.force_login(people["admin"])
    assert client.get(reverse("worker:task_retry", args=[town_task.pk])).status_code == 405
    town_task.refresh_from_db()
    assert town_task.status == "FAILED"


@pytest.mark.parametrize("role", ["drafter", "reviewer", "signer", "supervisor", "auditor", "street_admin"])
def test_others_are_refused(client, people, town_task, role):
    assert retry(client, people[role], town_task).status_code == 403
    town_task.refresh_from_db()
    assert town_task.status == "FAILED" and not AuditEvent.objects.filter(action="task.retry").exists()


def test_the_system_administrator_retries_platform_wide_tasks_a_unit_admin_cannot(client, people):
    row = failed(rescan_published_entries)  # every unit: nobody's unit
    with pytest.raises(NotAllowed):
        services.retry_task(actor=people["admin"], task_id=str(row.pk))
    assert retry(client, people["sysadmin"], row).status_code == 302
    row.refresh_from_db()
    assert row.status == "READY"


def test_unknown_task_is_404_and_a_task_that_has_not_failed_is_left_alone(client, people, draft):
    client.force_login(people["admin"])
    assert client.post(reverse("worker:task_retry", args=[uuid.uuid4()])).status_code == 404
    waiting = index_entry.enqueue(draft().pk)
    response = client.post(reverse("worker:task_retry", args=[waiting.id]), follow=True)
    assert "只有失败的任务可以重试" in response.content.decode()
    assert DBTaskResult.objects.get(pk=waiting.id).status == "READY"
    assert not AuditEvent.objects.filter(action="task.retry").exists()
