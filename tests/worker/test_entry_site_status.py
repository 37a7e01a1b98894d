"""The staff entry page says whether the public site has caught up with a published entry: from the page-refresh
tasks its publication queued (pending, failed, or none left)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.catalog import services
from gongkai.worker import taskinfo
from gongkai.worker.models import WorkerHeartbeat

pytestmark = pytest.mark.usefixtures("db_tasks")


@pytest.fixture
def published(draft, publish, django_capture_on_commit_callbacks):
    """Published as in production: the after-commit hooks queue the refresh in the task table."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = publish(draft())
    return entry


def refreshes(entry):
    return DBTaskResult.objects.filter(task_path=taskinfo.REFRESH_ENTRY, args_kwargs__args__0=entry.pk)


def page(client, people, entry) -> str:
    client.force_login(people["drafter"])
    response = client.get(reverse("staff:entry_detail", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_publishing_queues_a_refresh_and_the_page_says_the_site_is_being_updated(client, people, published):
    assert refreshes(published).filter(status="READY").count() == 1
    refreshes(published).update(enqueued_at=timezone.now() - timedelta(minutes=7))
    WorkerHeartbeat.objects.create(worker_id="w", host="h", pid=1, started_at=timezone.now(), seen_at=timezone.now())
    html = page(client, people, published)
    assert "网站更新中（已排队 7 分钟）" in html and "网站已更新" not in html
    assert "后台任务进程未运行" not in html


def test_a_waiting_refresh_with_no_worker_says_to_call_an_administrator(client, people, published):
    html = page(client, people, published)
    assert "网站更新中（已排队不到 1 分钟）" in html
    assert "后台任务进程未运行，网页不会更新：请联系管理员。" in html


def test_once_the_refresh_ran_the_site_is_up_to_date(client, people, published):
    refreshes(published).update(status="SUCCESSFUL", finished_at=timezone.now())
    assert "网站已更新" in page(client, people, published)


def test_a_failed_refresh_is_not_reported_as_up_to_date(client, people, published):
    refreshes(published).update(status="FAILED", finished_at=timezone.now(), exception_class_path="builtins.OSError")
    html = page(client, people, published)
    assert "网站未能更新" in html and "网站已更新" not in html


def test_a_later_successful_refresh_supersedes_the_failed_one(
    client, people, published, django_capture_on_commit_callbacks
):
    refreshes(published).update(status="FAILED", enqueued_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_published(actor=people["admin"], entry=published, reason="更正错字", summary="改过的概述")
    refreshes(published).filter(status="READY").update(status="SUCCESSFUL", finished_at=timezone.now())
    assert "网站已更新" in page(client, people, published)


def test_drafts_have_no_site_status(client, people, draft):
    html = page(client, people, draft())
    assert "网站已更新" not in html and "网站更新中" not in html
