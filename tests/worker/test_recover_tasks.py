"""`gongkai recover-tasks` re-queues the tasks of dead workers by the heartbeat rule, leaves the tasks of live
workers alone however long they run, and says in Chinese what it did to which task and why."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from gongkai.core.models import AuditEvent
from gongkai.portal.tasks import refresh_unit_pages
from gongkai.screening.tasks import scan_submitted_entry
from gongkai.search.tasks import index_entry
from gongkai.worker.recovery import LOST_EXCEPTION, MAX_CLAIMS
from tests.worker.conftest import claim_as

pytestmark = pytest.mark.usefixtures("db_tasks")


def recover(*args: str) -> str:
    out = io.StringIO()
    call_command("recover-tasks", *args, stdout=out)
    return out.getvalue()


def test_dead_and_unknown_workers_lose_their_tasks_live_ones_keep_them(tree, settings):
    settings.GONGKAI_WORKER_HEARTBEAT_TIMEOUT = 60
    index_entry.enqueue(41)
    refresh_unit_pages.enqueue(tree.town.pk)
    scan_submitted_entry.enqueue(42)
    dead = claim_as("dead-worker", seen_ago=300, started_ago=300)
    slow = claim_as("live-worker", seen_ago=2, started_ago=3600)  # an hour in, still beating
    legacy = claim_as("db-worker", seen_ago=None, started_ago=120)

    text = recover()

    assert "判断规则：任务进程超过 60 秒没有心跳，视为已停止" in text
    assert "重新排队 2 个中断的任务：" in text
    assert "更新检索索引（信息 #41）" in text and "最后一次心跳在 300 秒前（超过 60 秒视为已停止）" in text
    assert "保密审查扫描（信息 #42）" in text and "没有心跳记录" in text
    assert "未处理 1 个运行中的任务（仍在执行）：" in text
    assert f"更新单位首页、栏目和公开指南（单位 #{tree.town.pk}）" in text and "正在执行（2 秒前有心跳）" in text
    assert "队列：等待 2 个，运行中 1 个，失败 0 个。" in text
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert (status[dead.pk], status[slow.pk], status[legacy.pk]) == ("READY", "RUNNING", "READY")
    event = AuditEvent.objects.get(action="tasks.recovered")
    assert event.actor_name == "system" and "重新排队 2 个" in event.comment
    assert sorted(event.changes["requeued"]) == sorted([str(dead.pk), str(legacy.pk)])

    again = recover()
    assert "重新排队 0 个中断的任务。" in again and "未处理 1 个" in again
    assert AuditEvent.objects.filter(action="tasks.recovered").count() == 1  # nothing done, nothing recorded


def test_older_than_ignores_heartbeats_when_the_operator_asks(tree):
    refresh_unit_pages.enqueue(tree.town.pk)
    slow = claim_as("live-worker", seen_ago=1, started_ago=20 * 60)
    text = recover("--older-than", "15")
    assert "判断规则：运行超过 15 分钟的任务一律重新排队" in text
    assert "重新排队 1 个中断的任务：" in text and "按 --older-than 15 处理，不看心跳" in text
    slow.refresh_from_db()
    assert slow.status == "READY" and slow.started_at is None


def test_a_task_whose_workers_keep_dying_is_failed_not_requeued_for_ever(tree):
    index_entry.enqueue(43)
    DBTaskResult.objects.update(worker_ids=[f"w{i}" for i in range(MAX_CLAIMS - 1)])
    row = claim_as("last-worker", seen_ago=600, started_ago=600)
    text = recover()
    assert "标记为失败 1 个任务" in text and f"已在执行它时中断 {MAX_CLAIMS} 次，不再自动重试" in text
    row.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path == LOST_EXCEPTION
    assert "排除原因后可在工作台重试" in row.traceback


def test_says_when_no_worker_is_alive(db):
    text = recover()
    assert "没有运行中的任务。" in text and "重新排队 0 个中断的任务。" in text
    assert "从未有任务进程运行过" in text and "请启动 `gongkai worker`" in text
