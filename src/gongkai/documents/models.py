"""Documents generated in the background for one staff member (exports that take longer than a click)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "正在生成"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"


#: States in which a second identical request joins the job instead of starting another one.
ACTIVE = (JobStatus.PENDING, JobStatus.RUNNING)


class DocumentJob(models.Model):
    """One requested file: what to render (``kind`` + ``params``), for whom, and the result in MEDIA."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # unguessable page address
    kind = models.CharField("类型", max_length=40)
    params = models.JSONField("参数", default=dict)
    #: SHA-256 of kind and params: a double click finds the job the first click started.
    fingerprint = models.CharField(max_length=64)
    title = models.CharField("标题", max_length=200)
    back_url = models.CharField(max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.CharField("原因", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    #: The unit the file is about: its 公开办管理员 sees and retries the job's task on the dashboard.
    unit = models.ForeignKey("orgs.Org", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "生成文档"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "fingerprint"],
                condition=Q(status__in=["pending", "running"]),
                name="one_active_document_job",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="documentjob_created")]

    def __str__(self) -> str:
        return self.title

    @property
    def active(self) -> bool:
        return self.status in ACTIVE
