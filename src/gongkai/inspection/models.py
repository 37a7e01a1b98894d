"""The history of self-inspections (自查) per unit: one row per run of ``services.run_inspection``; scheduled
availability probes; the county's 督查整改通知书 (``rectify.py``)."""

from __future__ import annotations

from typing import Any

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


class ItemExemption(models.Model):
    """A unit's statement that a 标准目录 事项 does not apply to it (a township without 城市综合执法 says so
    once, with its reason; 国办发〔2019〕54号: the 未涉及领域事项说明). The coverage check then never calls it due."""

    unit = models.ForeignKey(Org, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    item = models.CharField("公开事项", max_length=120)  # standard.Item.key: 领域·事项
    reason = models.TextField("不涉及的理由")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="说明人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("说明时间", default=timezone.now)

    class Meta:
        verbose_name = "标准目录事项不涉及说明"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="unique_item_exemption")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.item}"


class SiteProbe(models.Model):
    """One scheduled availability probe of a public address (``gongkai probe-site``, from cron or a timer).

    国办秘函〔2019〕19号 站点无法访问 is measured over a week of probes, at least 20 a day, each failing when the site
    does not open within 15 s; a self-inspection run probes once, so the scheduler's probes are what make up the
    week (``selectors.earlier_probes``). Probes older than ``selectors.PROBE_KEEP`` are pruned."""

    url = models.CharField("探测网址", max_length=500, db_index=True)
    at = models.DateTimeField("探测时间", default=timezone.now, db_index=True)
    ok = models.BooleanField("可以访问")
    error = models.CharField("原因", max_length=300, blank=True)
    seconds = models.FloatField("耗时（秒）")

    class Meta:
        verbose_name = "站点可用性探测"
        verbose_name_plural = "站点可用性探测"
        indexes = [models.Index(fields=["url", "at"], name="siteprobe_url_at")]

    def __str__(self) -> str:
        return f"{self.url} {self.at:%Y-%m-%d %H:%M} {'正常' if self.ok else '失败'}"


class RectificationStatus(models.TextChoices):
    ISSUED = "issued", "待整改"
    ANSWERED = "answered", "已报整改情况"
    CLOSED = "closed", "已销号"


class Rectification(models.Model):
    """督查整改通知书: the county office's notice to a unit to fix the problems a self-inspection found, with a
    文号 and a deadline in working days; the unit reports what it fixed, the county re-checks and closes it (销号)
    or returns it. Transitions in ``rectify.TRANSITIONS``; every step audited."""

    unit = models.ForeignKey(Org, verbose_name="被督查单位", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(Org, verbose_name="督查机关", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=80, unique=True)
    run = models.ForeignKey(
        InspectionRun, verbose_name="依据的自查", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    problems = models.JSONField("整改问题", default=list)  # [{check_id, check, kind_label, message, fix, target}]
    workdays = models.PositiveSmallIntegerField("整改期限（工作日）")
    due_date = models.DateField("整改期限")
    status = models.CharField(
        "状态", max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.ISSUED
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("下发时间", default=timezone.now)
    answer = models.TextField("整改情况", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField("报送时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    rounds = models.PositiveSmallIntegerField("退回次数", default=0)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    close_note = models.TextField("销号意见", blank=True)

    class Meta:
        verbose_name = "督查整改通知书"
        verbose_name_plural = "督查整改通知书"
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["county", "year", "serial"], name="unique_rectification_serial")]

    def __str__(self) -> str:
        return self.number

    def overdue(self, today: Any = None) -> bool:
        """Not yet reported (or returned) after its deadline."""
        today = today or timezone.localdate()
        return self.status == RectificationStatus.ISSUED and self.due_date < today
