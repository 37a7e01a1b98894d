"""The history of self-inspections (自查) per unit: one row per run of ``services.run_inspection``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.orgs.models import Org


class InspectionRun(models.Model):
    """One inspection of one unit against ``data/checks.yaml`` (国办秘函〔2019〕19号): score, vetoes, findings."""

    unit = models.ForeignKey(Org, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    ran_at = models.DateTimeField("检查时间", default=timezone.now)
    on_date = models.DateField("检查日期")
    score = models.PositiveSmallIntegerField("得分")
    vetoes = models.PositiveSmallIntegerField("单项否决项数", default=0)
    passed = models.BooleanField("合格", default=False)
    findings = models.JSONField("检查结果", default=dict)
    site = models.CharField("网站目录", max_length=500, blank=True)
    url = models.CharField("探测网址", max_length=500, blank=True)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "网站自查记录"
        verbose_name_plural = verbose_name
        ordering = ["-ran_at", "-id"]
        indexes = [models.Index(fields=["unit", "-ran_at"], name="inspection_unit_ran")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.on_date} {self.score}"

    @property
    def veto_names(self) -> list[str]:
        return [c["name"] for c in self.findings.get("checks", []) if c.get("vetoed")]
