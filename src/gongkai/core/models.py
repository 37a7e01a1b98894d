"""The audit log: append-only, hash-chained events.

Every service that changes something writes one ``AuditEvent``. Each row carries the SHA-256 of its own
content and of the previous row, so ``gongkai audit verify`` detects an edited, inserted or deleted row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .audit_actions import Action, ChangeRow, change_rows, changed_fields, object_label, state_label


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    created_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    address = models.GenericIPAddressField("地址", null=True, blank=True)
    # ``choices`` gives ``get_action_display`` and the admin's select; the column keeps every string an
    # earlier version wrote (the values are hashed into the chain and never change).
    action = models.CharField("动作", max_length=64, db_index=True, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象", max_length=64, blank=True, db_index=True)
    org_code = models.CharField("单位代码", max_length=32, blank=True, db_index=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    from_state = models.CharField("原状态", max_length=32, blank=True)
    to_state = models.CharField("新状态", max_length=32, blank=True)
    comment = models.TextField("说明", blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # How ``hash`` was computed (``core.audit``): 1 plain SHA-256 (rows from before issue 17), 2 HMAC-SHA256
    # with the audit key named by ``key_id``. Each row keeps the version it was written with.
    digest_version = models.PositiveSmallIntegerField("摘要版本", default=1)
    key_id = models.CharField("审计密钥编号", max_length=16, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

    # What the staff history and the auditor's viewer show; the stored codes stay as they are.

    def object_type_display(self) -> str:
        return object_label(self.object_type)

    def from_state_display(self) -> str:
        return state_label(self.object_type, self.from_state)

    def to_state_display(self) -> str:
        return state_label(self.object_type, self.to_state)

    def _changes(self) -> dict[str, Any]:
        changes: Any = self.changes
        return changes if isinstance(changes, dict) else {}

    def change_rows(self) -> list[ChangeRow]:
        """Names and values, for staff who may read the object (the entry history)."""
        return change_rows(self.object_type, self._changes())

    def changed_fields(self) -> list[str]:
        """Names only, for the auditor (see ``audit_actions.changed_fields``)."""
        return changed_fields(self.object_type, self._changes())


class AuditChainHead(models.Model):
    """One row, locked while appending, so the chain has exactly one successor per event."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} events, head {self.last_hash[:12]}"


class RateBucket(models.Model):
    """Requests per hashed client address, scope and time window (``core.ratelimit``)."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="unique_core_rate_bucket")]

    def __str__(self) -> str:
        return f"{self.window_start} {self.count}"
