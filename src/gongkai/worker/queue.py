"""Reads of the task queue for staff pages and commands: is a worker alive, how long is the queue, has a
published entry reached the public site yet. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, Role

from . import taskinfo
from .models import WorkerHeartbeat

PENDING = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def _timeout() -> timedelta:
    return timedelta(seconds=float(settings.GONGKAI_WORKER_HEARTBEAT_TIMEOUT))


def live_workers(now: datetime | None = None) -> list[WorkerHeartbeat]:
    now = now or timezone.now()
    return list(WorkerHeartbeat.objects.filter(seen_at__gt=now - _timeout()).order_by("host", "pid"))


@dataclass
class QueueSummary:
    waiting: int
    running: int
    failed: int
    oldest_waiting: datetime | None
    workers: list[WorkerHeartbeat]
    last_seen: datetime | None  # the newest heartbeat of any worker, alive or not

    @property
    def worker_alive(self) -> bool:
        return bool(self.workers)

    @property
    def oldest_waiting_minutes(self) -> int | None:
        if self.oldest_waiting is None:
            return None
        return int((timezone.now() - self.oldest_waiting).total_seconds() // 60)


def queue_summary(now: datetime | None = None) -> QueueSummary:
    """Counts by status over the unfinished and failed rows only (index worker_task_status_enqueued_idx)."""
    counts = dict(
        DBTaskResult.objects.filter(status__in=[*PENDING, TaskResultStatus.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    oldest = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(m=Min("enqueued_at"))["m"]
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return QueueSummary(
        waiting=counts.get(TaskResultStatus.READY, 0),
        running=counts.get(TaskResultStatus.RUNNING, 0),
        failed=counts.get(TaskResultStatus.FAILED, 0),
        oldest_waiting=oldest,
        workers=live_workers(now),
        last_seen=last,
    )


def can_see_queue(user: Any) -> bool:
    """The queue and its failures are for the people who can act on them: 公开办管理员 and 系统管理员."""
    return perms.can_manage_accounts(user) or perms.has_role(user, Role.UNIT_ADMIN)


def can_retry(user: Any, row: DBTaskResult, unit_id: int | None = None) -> bool:
    """系统管理员 any task; 公开办管理员 the tasks working for one of their units (not platform-wide ones)."""
    if perms.can_manage_accounts(user):
        return True
    if unit_id is None:
        unit_id = taskinfo.unit_ids([row])[str(row.pk)]
    return unit_id is not None and unit_id in perms.units_for(user, Role.UNIT_ADMIN)


@dataclass(frozen=True)
class FailedTask:
    id: str
    label: str
    unit: str
    enqueued_at: datetime
    finished_at: datetime | None
    error: str  # the exception's class name only: messages and tracebacks may quote unpublished text


@dataclass
class TaskPanel:
    summary: QueueSummary
    failed: list[FailedTask] = field(default_factory=list)
    failed_more: int = 0  # failures this user may retry beyond the listed ones
    failed_other: int = 0  # failures of other units' (or platform-wide) tasks: counted, not listed


#: Failed rows looked at for the dashboard list (the newest first); older ones are left to `prune_db_task_results`.
FAILED_WINDOW = 200


def dashboard_panel(user: Any, limit: int = 20) -> TaskPanel | None:
    """What the dashboard shows about background work, or None for roles that cannot act on it."""
    if not can_see_queue(user):
        return None
    summary = queue_summary()
    rows = list(DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")[:FAILED_WINDOW])
    units = taskinfo.unit_ids(rows)
    names = {o.pk: o.display_name for o in Org.objects.filter(pk__in={u for u in units.values() if u})}
    failed: list[FailedTask] = []
    mine = 0
    for row in rows:
        unit_id = units[str(row.pk)]
        if not can_retry(user, row, unit_id):
            continue
        mine += 1
        if len(failed) < limit:
            failed.append(
                FailedTask(
                    id=str(row.pk),
                    label=taskinfo.label(row),
                    unit=names.get(unit_id, "") if unit_id else "全平台",
                    enqueued_at=row.enqueued_at,
                    finished_at=row.finished_at,
                    error=row.exception_class_path.rsplit(".", 1)[-1],
                )
            )
    if perms.can_manage_accounts(user):
        mine = summary.failed  # all of them are theirs, also those past the window
    return TaskPanel(
        summary=summary, failed=failed, failed_more=mine - len(failed), failed_other=max(0, summary.failed - mine)
    )


@dataclass(frozen=True)
class SiteStatus:
    state: str  # "updated", "pending" or "failed"
    text: str
    worker_alive: bool = True


def _entry_refreshes(entry: Any) -> Q:
    """The tasks that re-render this entry's public page: its own refresh, and its column's (after a rename)."""
    columns = [entry.category_id, *(int(p) for p in entry.category.path.strip("/").split("/") if p)]
    return Q(task_path=taskinfo.REFRESH_ENTRY, args_kwargs__args__0=entry.pk) | Q(
        task_path=taskinfo.REFRESH_CATEGORY, args_kwargs__args__0__in=columns
    )


def entry_site_status(entry: Any) -> SiteStatus:
    """Has the public site caught up with this (published or withdrawn) entry? From the page-refresh tasks
    that name it: a pending one means not yet, a failed one with no later success means it will not by itself."""
    refreshes = DBTaskResult.objects.filter(_entry_refreshes(entry))
    oldest = refreshes.filter(status__in=PENDING).aggregate(m=Min("enqueued_at"))["m"]
    if oldest is not None:
        minutes = int((timezone.now() - oldest).total_seconds() // 60)
        waited = f"已排队 {minutes} 分钟" if minutes else "已排队不到 1 分钟"
        alive = bool(live_workers())
        return SiteStatus("pending", f"网站更新中（{waited}）", worker_alive=alive)
    failed = refreshes.filter(status=TaskResultStatus.FAILED).order_by("-enqueued_at").first()
    if (
        failed is not None
        and not refreshes.filter(status=TaskResultStatus.SUCCESSFUL, enqueued_at__gt=failed.enqueued_at).exists()
    ):
        return SiteStatus("failed", "网站未能更新：生成网页的后台任务失败，公开办管理员可在工作台重试")
    return SiteStatus("updated", "网站已更新")
