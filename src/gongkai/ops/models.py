"""What the ops floor keeps in the database: the record of each archive package (Art. 45 归档)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.orgs.models import Org


class ExportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "正在生成"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"


ACTIVE = (ExportStatus.PENDING, ExportStatus.RUNNING)


class ArchiveExport(models.Model):
    """One archive package of one unit and year: written by ``gongkai archive`` (to a folder) or from the
    staff page (a ZIP in storage). Archiving deletes nothing; exporting the same year again makes a new one."""

    unit = models.ForeignKey(Org, verbose_name="单位", on_delete=models.PROTECT, related_name="archive_exports")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="移交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    entries = models.PositiveIntegerField("信息件数", default=0)
    cases = models.PositiveIntegerField("申请案卷件数", default=0)
    files = models.PositiveIntegerField("文件数", default=0)
    manifest_sha256 = models.CharField("清单 SHA-256", max_length=64, blank=True)
    out_path = models.CharField("位置", max_length=500, blank=True)
    file = models.FileField("归档包", upload_to="archive/%Y/", max_length=300, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "归档移交"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [
            # A double click on "开始归档" joins the export already queued or running.
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(status__in=["pending", "running"]), name="unique_active_archive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} 年度归档"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE
