"""The change log the county portal and the resource library harvest (Regulation Art. 23–24).

Every change of what the public sees of an entry (published, edited, withdrawn, validity changed) is one
``HarvestChange`` row. Its id is the change sequence: rows are written one at a time under a lock
(``ChangeLock``), so a higher sequence was always committed later and a harvester that resumes after a
sequence misses nothing.
"""

from __future__ import annotations

from django.db import models

from gongkai.catalog.models import Entry
from gongkai.orgs.models import Org


class ChangeKind(models.TextChoices):
    PUBLISHED = "published", "发布"
    UPDATED = "updated", "修改"
    WITHDRAWN = "withdrawn", "撤回"
    VALIDITY = "validity", "有效性变更"


class HarvestChange(models.Model):
    """One change of an entry, with the record as it was right after the change."""

    id = models.BigAutoField(primary_key=True)  # the change sequence
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("变更", max_length=10, choices=ChangeKind.choices)
    deleted = models.BooleanField("已撤回", default=False)
    changed_at = models.DateTimeField("变更时间", db_index=True)
    # What the reconciliation compares with the entry: a change it would otherwise have to record.
    entry_status = models.CharField(max_length=10)
    entry_version = models.PositiveIntegerField()
    record = models.JSONField()

    class Meta:
        verbose_name = "汇聚变更"
        verbose_name_plural = "汇聚变更"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit", "id"], name="harvest_unit_seq"),
            models.Index(fields=["entry", "id"], name="harvest_entry_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind} {self.entry_id}"


class ChangeLock(models.Model):
    """A single row locked while a change is written, so sequence order is commit order."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)

    def __str__(self) -> str:
        return "harvest change lock"


class PushState(models.Model):
    """Per push endpoint: the last sequence it acknowledged, and the retry schedule after failures."""

    url = models.CharField(max_length=500, unique=True)
    last_acked = models.BigIntegerField("已确认至", default=0)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.url} @ {self.last_acked}"


class PushAttempt(models.Model):
    """One POST to the push endpoint, successful or not."""

    url = models.CharField(max_length=500)
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.url} {self.first_seq}-{self.last_seq} {'ok' if self.ok else 'failed'}"
