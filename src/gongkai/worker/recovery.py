"""Putting abandoned tasks back in the queue.

A worker that is killed (kill -9, power loss, out of memory) leaves the task it was running in RUNNING for ever.
Every live `gongkai worker` checks for such tasks on its loop, and `gongkai recover-tasks` does the same on
demand. The rule is the heartbeat: a RUNNING task is abandoned when the worker that claimed it has not beaten
for ``GONGKAI_WORKER_HEARTBEAT_TIMEOUT`` seconds, has no heartbeat at all, or beats but is running something
else. A slow task whose worker is alive is never touched, however long it takes. All platform tasks are
idempotent, so running an abandoned one again is safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.core import audit

from . import taskinfo
from .models import WorkerHeartbeat

#: A task whose worker died this many times while running it is failed instead of re-queued: it is probably what
#: kills the worker (a crash in a PDF library, memory), and re-queueing it would take the worker down for ever.
MAX_CLAIMS = 5
LOST_EXCEPTION = "gongkai.worker.recovery.WorkerLost"


class WorkerLost(Exception):
    """Recorded as the error of a task failed because its workers kept dying (never raised)."""


@dataclass(frozen=True)
class TaskLine:
    """One RUNNING task, what the recovery did with it and why."""

    task_id: str
    label: str
    started_at: datetime | None
    reason: str


@dataclass
class Recovery:
    rule: str
    requeued: list[TaskLine] = field(default_factory=list)
    failed: list[TaskLine] = field(default_factory=list)
    left: list[TaskLine] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.requeued) + len(self.failed)


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=float(settings.GONGKAI_WORKER_HEARTBEAT_TIMEOUT))


def _worker_name(hb: WorkerHeartbeat) -> str:
    return f"{hb.host} 上的进程 {hb.pid}"


def _verdict(
    row: DBTaskResult, beats: dict[str, WorkerHeartbeat], now: datetime, older_than: timedelta | None
) -> tuple[bool, str]:
    """(abandoned?, why) for one RUNNING row."""
    started = row.started_at or row.enqueued_at
    worker_id = row.worker_ids[-1] if row.worker_ids else ""
    hb = beats.get(worker_id)
    if older_than is not None:
        if started <= now - older_than:
            minutes = int(older_than.total_seconds() // 60)
            return True, f"已运行超过 {minutes} 分钟（按 --older-than {minutes} 处理，不看心跳）"
        return False, f"开始不到 {int(older_than.total_seconds() // 60)} 分钟（--older-than）"
    timeout = heartbeat_timeout()
    if hb is not None and hb.seen_at > now - timeout and hb.current_task == str(row.pk):
        ago = int((now - hb.seen_at).total_seconds())
        return False, f"{_worker_name(hb)} 正在执行（{ago} 秒前有心跳）"
    if started > now - timeout:
        # Just claimed: the claiming transaction also names the task in the heartbeat, so this only happens
        # for tasks claimed by something that keeps no heartbeat; give it the same grace as a silent worker.
        return False, f"刚开始执行（{int((now - started).total_seconds())} 秒前）"
    if hb is None:
        return True, "领取它的任务进程没有心跳记录（不是由 gongkai worker 运行的，或进程早已停止）"
    if hb.seen_at <= now - timeout:
        ago = int((now - hb.seen_at).total_seconds())
        return True, f"{_worker_name(hb)} 最后一次心跳在 {ago} 秒前（超过 {int(timeout.total_seconds())} 秒视为已停止）"
    return True, f"{_worker_name(hb)} 仍在运行，但已不在执行这个任务"


def recover_orphaned_tasks(
    *, actor: Any = None, older_than: timedelta | None = None, now: datetime | None = None
) -> Recovery:
    """Re-queue (or, after MAX_CLAIMS lost workers, fail) every abandoned RUNNING task; one audit event.

    ``older_than`` replaces the heartbeat rule by a plain age, for an operator who knows no worker is running.
    """
    now = now or timezone.now()
    if older_than is None:
        rule = f"任务进程超过 {int(heartbeat_timeout().total_seconds())} 秒没有心跳，视为已停止"
    else:
        rule = f"运行超过 {int(older_than.total_seconds() // 60)} 分钟的任务一律重新排队"
    report = Recovery(rule=rule)
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("started_at"))
    if not running:
        return report
    ids = {w for row in running for w in row.worker_ids[-1:]}
    beats = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.filter(worker_id__in=ids)}
    todo: list[tuple[DBTaskResult, str]] = []
    for row in running:
        abandoned, why = _verdict(row, beats, now, older_than)
        if abandoned:
            todo.append((row, why))
        else:
            report.left.append(TaskLine(str(row.pk), taskinfo.label(row), row.started_at, why))
    if not todo:
        return report  # the common case on every worker loop: a read, no write lock taken
    with transaction.atomic():
        for row, why in todo:
            # Only the claim we judged: if the task finished or was re-claimed meanwhile, this matches nothing.
            claim = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
            if len(row.worker_ids) >= MAX_CLAIMS:
                why = f"{why}；任务进程已在执行它时中断 {len(row.worker_ids)} 次，不再自动重试"
                done = claim.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=LOST_EXCEPTION,
                    traceback=f"任务进程在执行该任务时中断 {len(row.worker_ids)} 次（进程崩溃或被强行终止）。"
                    "排除原因后可在工作台重试。",
                )
                if done:
                    report.failed.append(TaskLine(str(row.pk), taskinfo.label(row), row.started_at, why))
            elif claim.update(status=TaskResultStatus.READY, started_at=None):
                report.requeued.append(TaskLine(str(row.pk), taskinfo.label(row), row.started_at, why))
        if report.changed:
            parts = [f"重新排队 {len(report.requeued)} 个"]
            if report.failed:
                parts.append(f"标记失败 {len(report.failed)} 个")
            audit.record(
                "tasks.recovered",
                actor=actor,
                object_type="task",
                comment=f"{'，'.join(parts)}（{rule}）：" + "；".join(t.label for t in report.requeued + report.failed),
                changes={
                    "requeued": [t.task_id for t in report.requeued],
                    "failed": [t.task_id for t in report.failed],
                },
            )
    return report
