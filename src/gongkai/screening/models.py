"""Scan results, findings and their resolutions, per-unit sensitive words, alerts on live pages.

Raw values are never stored: a finding keeps its masked value, a masked context and a keyed fingerprint
(HMAC of kind + digits), which is enough to carry a reviewer's decision over to the next scan of the same
value without keeping the value itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.catalog.models import Attachment, Entry
from gongkai.orgs.models import Org

from .scanner import KIND_LABELS


class ScanStatus(models.TextChoices):
    CLEAN = "clean", "未发现敏感信息"
    FOUND = "found", "发现敏感信息"
    UNREADABLE = "unreadable", "无法读取"
    MANUAL = "needs_manual_review", "需人工审查"


class Severity(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class Resolution(models.TextChoices):
    OPEN = "open", "待处理"
    MASKED = "masked", "已打码"
    ACCEPTED = "accepted", "已确认可公开"


class Target(models.TextChoices):
    TEXT = "text", "标题、概述和正文"
    ATTACHMENT = "attachment", "附件"


KIND_CHOICES = list(KIND_LABELS.items())


class ScanResult(models.Model):
    """One scan of one part of an entry: its text fields together, or one attachment."""

    entry = models.ForeignKey(Entry, verbose_name="政府信息", on_delete=models.CASCADE, related_name="scan_results")
    attachment = models.ForeignKey(
        Attachment,
        verbose_name="附件",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scan_results",
    )
    target = models.CharField("扫描对象", max_length=12, choices=Target.choices)
    label = models.CharField("名称", max_length=200)
    # What was scanned: a later change of the text or file makes this result stale.
    content_sha256 = models.CharField(max_length=64)
    status = models.CharField("扫描结果", max_length=24, choices=ScanStatus.choices)
    reason = models.TextField("说明", blank=True)
    trigger = models.CharField("触发方式", max_length=20)
    is_current = models.BooleanField("当前有效", default=True)
    finding_count = models.PositiveIntegerField("发现数", default=0)
    high_count = models.PositiveIntegerField("高风险数", default=0)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField("确认时间", null=True, blank=True)
    accepted_reason = models.TextField("人工审查结论", blank=True)
    created_at = models.DateTimeField("扫描时间", auto_now_add=True)

    class Meta:
        verbose_name = "扫描结果"
        verbose_name_plural = "扫描结果"
        ordering = ["entry", "target", "id"]
        indexes = [models.Index(fields=["entry", "is_current"], name="scan_entry_current")]

    def __str__(self) -> str:
        return f"{self.label}：{self.get_status_display()}"

    @property
    def needs_acceptance(self) -> bool:
        return self.status in (ScanStatus.UNREADABLE, ScanStatus.MANUAL) and self.accepted_at is None


class Finding(models.Model):
    result = models.ForeignKey(ScanResult, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField("类型", max_length=20, choices=KIND_CHOICES)
    severity = models.CharField("风险", max_length=8, choices=Severity.choices)
    location = models.CharField("位置", max_length=200)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    masked = models.CharField("打码后", max_length=200)
    context = models.CharField("上下文", max_length=400, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    resolution = models.CharField("处理", max_length=10, choices=Resolution.choices, default=Resolution.OPEN)
    resolution_reason = models.TextField("确认理由", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "敏感信息发现"
        verbose_name_plural = "敏感信息发现"
        ordering = ["result", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.masked}"

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.HIGH and self.resolution == Resolution.OPEN


class SensitiveWord(models.Model):
    """A word the unit's disclosure office never wants published (names of cases, internal projects…)."""

    unit = models.ForeignKey(Org, verbose_name="单位", on_delete=models.CASCADE, related_name="sensitive_words")
    word = models.CharField("敏感词", max_length=50)
    severity = models.CharField("风险", max_length=8, choices=Severity.choices, default=Severity.HIGH)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "本单位敏感词"
        verbose_name_plural = "本单位敏感词"
        ordering = ["unit", "word"]
        constraints = [models.UniqueConstraint(fields=["unit", "word"], name="unique_sensitive_word")]

    def __str__(self) -> str:
        return self.word


class Alert(models.Model):
    """A rescan found high-risk information on a live page: the unit's disclosure office must act."""

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        HANDLED = "handled", "已处理"

    unit = models.ForeignKey(Org, verbose_name="单位", on_delete=models.CASCADE, related_name="screening_alerts")
    entry = models.ForeignKey(Entry, verbose_name="政府信息", on_delete=models.CASCADE, related_name="screening_alerts")
    summary = models.CharField("摘要", max_length=300)
    high_count = models.PositiveIntegerField("高风险数", default=0)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.TextField("处理说明", blank=True)

    class Meta:
        verbose_name = "已发布信息告警"
        verbose_name_plural = "已发布信息告警"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=models.Q(state="open"), name="one_open_alert_per_entry"
            ),
        ]

    def __str__(self) -> str:
        return self.summary


class OcrResult(models.Model):
    """Text recognised in a scanned file, kept by the file's SHA-256 so a rescan never runs OCR again.

    Holds text, not a verdict: the scan of the OCR text is a ``ScanResult`` like any other. A ``pending`` row
    says the task worker has been asked to recognise the file (the publication gate then waits for it).
    """

    class State(models.TextChoices):
        PENDING = "pending", "等待识别"
        DONE = "done", "已识别"
        FAILED = "failed", "识别失败"

    sha256 = models.CharField(max_length=64)
    engine_version = models.CharField("识别引擎", max_length=100)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.TextField("说明", blank=True)
    text = models.TextField("识别文字", blank=True)
    #: [{"p": page, "l": line, "x", "y", "w", "h": box in pixels of the page image, "t": word}, …]
    boxes = models.JSONField("文字位置", default=list, blank=True)
    #: the 1-based pages recognised (every frame of an image; the text-less pages of a PDF)
    pages = models.JSONField("识别页", default=list, blank=True)
    seconds = models.FloatField("用时（秒）", default=0)
    created_at = models.DateTimeField("识别时间", auto_now_add=True)

    class Meta:
        verbose_name = "文字识别结果"
        verbose_name_plural = "文字识别结果"
        constraints = [models.UniqueConstraint(fields=["sha256", "engine_version"], name="unique_ocr_result")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {self.get_state_display()}"
