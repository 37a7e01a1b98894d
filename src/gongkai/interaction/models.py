"""Messages (留言) from the public and the 12345 platform, their event ledger, replies and ratings.

As with applications, the deadline is never stored as a fact: ``MessageEvent`` rows are the ledger and
``Message.due_date``/``replied_on`` are a cache ``clock.refresh`` rewrites from it (after every event and
whenever the working-day calendar changes), kept as columns so that queues filter on them in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.orgs.models import Org

from . import kinds
from .choices import Channel, EventKind, ReplyStatus, Satisfaction, Status


class Counter(models.Model):
    """Last message serial per unit and year: locked while taken, so numbers are unique and gap-free."""

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_message_counter")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_serial}"


class KindSetting(models.Model):
    """A unit's own choice of whether a kind needs leader review (the default is in data/kinds.yaml)."""

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("留言类型", max_length=20)
    review_required = models.BooleanField("需领导审核")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="unique_kind_setting")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.kind}: {'需审核' if self.review_required else '不需审核'}"


class Message(models.Model):
    unit = models.ForeignKey(Org, verbose_name="受理单位", on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField("留言类型", max_length=20)
    number = models.CharField("留言编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    query_code_hash = models.CharField(max_length=64)
    title = models.CharField("标题", max_length=100)
    content = models.TextField("留言内容")
    addressee = models.CharField("收信领导", max_length=50, blank=True)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.CharField("电子邮箱", max_length=254, blank=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    publish_consent = models.BooleanField("同意公开", default=False)
    fingerprint = models.CharField(max_length=64, db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    office = models.ForeignKey(
        Org, verbose_name="承办科室/村", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")
    received_on = models.DateField("收到日期")
    due_date = models.DateField("答复期限", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    external_number = models.CharField("12345工单编号", max_length=60, blank=True)
    external_deadline = models.DateField("12345办结时限", null=True, blank=True)
    reopened = models.PositiveSmallIntegerField("重办次数", default=0)
    # What the public sees once published: the texts as screened and masked at publication.
    published_on = models.DateField("公开日期", null=True, blank=True)
    public_title = models.CharField("公开标题", max_length=100, blank=True)
    public_content = models.TextField("公开留言内容", blank=True)
    public_reply = models.TextField("公开答复内容", blank=True)
    public_office = models.CharField("答复单位", max_length=100, blank=True)
    public_name = models.CharField("公开署名", max_length=50, blank=True)
    withheld_reason = models.CharField("不予公开理由", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = verbose_name
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "serial"], name="unique_message_serial")]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"], name="message_queue"),
            models.Index(fields=["unit", "published_on"], name="message_published"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.REJECTED, Status.REPLIED, Status.CLOSED)


class MessageEvent(models.Model):
    """One step in the ledger; the clock is computed from these rows."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    detail = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.on} {self.kind}"


class Reply(models.Model):
    """The answer of one round (a 重办 after 不满意 starts a new round and a new reply)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(default=1)
    office = models.ForeignKey(Org, verbose_name="答复单位", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("答复内容")
    status = models.CharField(max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.CharField("审核意见", max_length=300, blank=True)
    sent_on = models.DateField("答复日期", null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["message", "round"], name="one_reply_per_round")]

    def __str__(self) -> str:
        return f"{self.message_id} 第{self.round}次答复"


class Rating(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField()
    value = models.CharField("评价", max_length=12, choices=Satisfaction.choices)
    comment = models.CharField("意见", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "round"], name="one_rating_per_round")]

    def __str__(self) -> str:
        return f"{self.message_id} 第{self.round}次评价：{self.value}"
