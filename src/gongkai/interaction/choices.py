"""Statuses, channels, event kinds and ratings of messages (互动交流)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    RECEIVED = "received", "待受理"
    REJECTED = "rejected", "不予受理"
    ACCEPTED = "accepted", "已受理待分办"
    HANDLING = "handling", "办理中"
    REVIEWING = "reviewing", "待领导审核"
    APPROVED = "approved", "待答复"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


#: Statuses on which the reply clock runs.
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.HANDLING, Status.REVIEWING, Status.APPROVED})
#: Statuses after the submitter has had an answer (a reply, or the refusal with where to go).
ANSWERED_STATUSES = frozenset({Status.REPLIED, Status.CLOSED})


class Channel(models.TextChoices):
    WEB = "web", "网站"
    PHONE = "phone", "电话"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    HOTLINE = "hotline", "12345"


class EventKind(models.TextChoices):
    RECEIVED = "received", "收到留言"
    ACCEPTED = "accepted", "受理"
    REJECTED = "rejected", "不予受理"
    ASSIGNED = "assigned", "分办"
    TRANSFERRED = "transferred", "转办"
    RETURNED = "returned", "退回"
    DRAFTED = "drafted", "拟写答复"
    REVIEW_RETURNED = "review_returned", "审核退回"
    APPROVED = "approved", "审核签发"
    REPLIED = "replied", "答复"
    PUBLISHED = "published", "公开"
    WITHHELD = "withheld", "不予公开"
    RATED = "rated", "评价"
    REOPENED = "reopened", "重办"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEWING = "reviewing", "待审核"
    RETURNED = "returned", "审核退回"
    APPROVED = "approved", "已签发"
    SENT = "sent", "已答复"
