"""Writes an operator or administrator makes to the task queue from the staff pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.core import audit
from gongkai.core.errors import NotFound, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import queue, taskinfo


def retry_task(*, actor: Any, task_id: str) -> DBTaskResult:
    """Put a failed task back in the queue (every platform task is idempotent). 系统管理员 any task,
    公开办管理员 those of their own units; one audit event."""
    perms.require(queue.can_see_queue(actor), "只有公开办管理员或系统管理员可以重试后台任务")
    with transaction.atomic():
        row = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
        if row is None:
            raise NotFound("没有找到这个后台任务")
        unit_id = taskinfo.unit_ids([row])[str(row.pk)]
        perms.require(queue.can_retry(actor, row, unit_id), "这个任务不属于您管理的单位，不能重试")
        if row.status != TaskResultStatus.FAILED:
            raise ValidationFailed(f"这个任务当前是“{row.get_status_display()}”，只有失败的任务可以重试")
        error = row.exception_class_path
        DBTaskResult.objects.filter(pk=row.pk).update(
            status=TaskResultStatus.READY,
            started_at=None,
            finished_at=None,
            exception_class_path="",
            traceback="",
            # The count of workers lost while running it starts again: the administrator says the cause is gone.
            worker_ids=[],
        )
        unit = Org.objects.filter(pk=unit_id).first() if unit_id else None
        audit.record(
            "task.retry",
            actor=actor,
            object_type="task",
            object_id=str(row.pk),
            org_code=unit.code if unit else "",
            from_state=TaskResultStatus.FAILED,
            to_state=TaskResultStatus.READY,
            comment=f"{taskinfo.label(row)}；原错误：{error.rsplit('.', 1)[-1] or '未知'}",
        )
    row.refresh_from_db()
    return row
