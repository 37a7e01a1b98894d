"""The annual report of one unit and year: editable narrative, the published snapshot, the entry it became."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from gongkai.orgs.models import Org


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交审核发布"
    PUBLISHED = "published", "已发布"


class AnnualReport(models.Model):
    """Tables 二/三/四 are always computed from the records; what staff write is kept here.

    ``data`` holds the numbers as they were when the report went out for publication, so that next year's
    check "本年 二 = 上年 四" compares with what was actually published.
    """

    unit = models.ForeignKey(Org, verbose_name="单位", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    include_children = models.BooleanField("包含下级单位", default=False)
    fees_wan_yuan = models.DecimalField("行政事业性收费（万元）", max_digits=12, decimal_places=4, default=Decimal(0))
    #: 表二 处理决定数量 the office entered ({"licensing_decisions": 30, …}); a key left out uses the pre-fill.
    decisions = models.JSONField("处理决定数量（公开办核定）", default=dict, blank=True)
    section_1 = models.TextField("一、总体情况", blank=True)
    section_5 = models.TextField("五、存在的主要问题及改进情况", blank=True)
    section_6 = models.TextField("六、其他需要报告的事项", blank=True)
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    data = models.JSONField("提交时的数据", null=True, blank=True)
    entry = models.ForeignKey(
        "catalog.Entry", verbose_name="发布的信息", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政府信息公开年度报告"
        verbose_name_plural = verbose_name
        ordering = ["-year", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_annual_report")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度报告"
