"""The dashboard of a 公开办管理员 (and of the 系统管理员) shows the task queue — waiting, running, failed, the
oldest wait — and a red banner with what to do when no worker has beaten for the heartbeat timeout. Other roles
see neither. Looking never writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.core.models import AuditEvent
from gongkai.portal.tasks import refresh_unit_pages
from gongkai.search.tasks import index_entry
from gongkai.worker.models import WorkerHeartbeat
from tests.worker.conftest import claim_as

pytestmark = pytest.mark.usefixtures("db_tasks")
BANNER = "后台任务进程未运行"


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def queue(tree, published_entry):
    """Three waiting (the oldest 12 minutes), one running, one failed refresh of the township."""
    for unit in (tree.town, tree.town, tree.street):
        refresh_unit_pages.enqueue(unit.pk)
    DBTaskResult.objects.filter(args_kwargs__args__0=tree.town.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=12)
    )
    index_entry.enqueue(published_entry.pk)
    claim_as("busy-worker", seen_ago=1, started_ago=5)
    failed = index_entry.enqueue(published_entry.pk)
    DBTaskResult.objects.filter(pk=failed.id).update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="builtins.OSError"
    )
    return failed


@pytest.fixture
def published_entry(draft, publish):
    return publish(draft())


def test_the_unit_admin_sees_the_queue_and_its_failed_task(client, people, queue):
    client.force_login(people["admin"])
    before = AuditEvent.objects.count(), sorted(DBTaskResult.objects.values_list("status", flat=True))
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert "后台任务" in html
    assert "3 个（最早的已等待 12 分钟）" in html
    assert "正在执行</th><td>1 个" in html
    assert "1 个在运行" in html and BANNER not in html
    assert "失败的任务" in html and "更新检索索引（信息 #" in html and "OSError" in html
    assert reverse("worker:task_retry", args=[queue.id]) in html
    after = AuditEvent.objects.count(), sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert after == before  # a GET writes nothing


def test_another_units_admin_counts_the_failure_but_cannot_see_or_retry_it(client, people, queue):
    html = dashboard(client, people["street_admin"])
    assert "后台任务" in html and reverse("worker:task_retry", args=[queue.id]) not in html
    assert "另有 1 个失败的任务属于其他单位或全平台" in html


def test_the_system_administrator_sees_every_failure(client, people, queue):
    html = dashboard(client, people["sysadmin"])
    assert reverse("worker:task_retry", args=[queue.id]) in html


@pytest.mark.parametrize("role", ["drafter", "reviewer", "signer", "supervisor", "auditor"])
def test_other_roles_see_no_queue(client, people, queue, role):
    WorkerHeartbeat.objects.all().delete()
    html = dashboard(client, people[role])
    assert "失败的任务" not in html and BANNER not in html and 'id="tasks"' not in html


def test_red_banner_when_no_worker_has_beaten_for_a_minute(client, people, tree, settings):
    settings.GONGKAI_WORKER_HEARTBEAT_TIMEOUT = 60
    WorkerHeartbeat.objects.create(
        worker_id="gone",
        host="h",
        pid=9,
        started_at=timezone.now() - timedelta(hours=1),
        seen_at=timezone.now() - timedelta(seconds=61),
    )
    html = dashboard(client, people["admin"])
    assert BANNER in html and "最后一次心跳：" in html
    assert "请在服务器上运行 <code>gongkai worker</code>" in html and "联系系统管理员" in html
    assert "未运行" in html


def test_banner_when_no_worker_ever_ran(client, people, tree):
    html = dashboard(client, people["sysadmin"])
    assert BANNER in html and "从未有任务进程运行过" in html


def test_no_banner_while_a_worker_beats(client, people, tree):
    WorkerHeartbeat.objects.create(worker_id="w", host="h", pid=1, started_at=timezone.now(), seen_at=timezone.now())
    assert BANNER not in dashboard(client, people["admin"])
