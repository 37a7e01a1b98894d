"""A citizen's e-mail subscription to a unit, one of its categories, one of its villages (the entries that village
publishes: 村务公开) or a search query within it.

The address is never stored in clear: ``email_hash`` (keyed HMAC of the lower-cased address) finds a
person's rows and refuses duplicates, ``email_encrypted`` (Fernet) is what the digest decrypts to send.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongkai.catalog.models import Category
from gongkai.orgs.models import Org

QUERY_MAX_CHARS = 50


class Status(models.TextChoices):
    PENDING = "pending", "待确认"
    ACTIVE = "active", "已订阅"
    UNSUBSCRIBED = "unsubscribed", "已退订"


class Subscription(models.Model):
    unit = models.ForeignKey(Org, verbose_name="公开主体", on_delete=models.PROTECT, related_name="subscriptions")
    category = models.ForeignKey(
        Category,
        verbose_name="目录类别",
        on_delete=models.PROTECT,
        related_name="subscriptions",
        null=True,
        blank=True,
    )
    village = models.ForeignKey(
        Org,
        verbose_name="村（社区）",
        on_delete=models.PROTECT,
        related_name="village_subscriptions",
        null=True,
        blank=True,
    )
    query = models.CharField("检索词", max_length=QUERY_MAX_CHARS, blank=True, default="")
    email_hash = models.CharField("邮箱摘要", max_length=64, db_index=True, editable=False)
    email_encrypted = models.TextField("邮箱（加密）", editable=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("订阅时间", default=timezone.now)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("退订时间", null=True, blank=True)
    last_sent_at = models.DateTimeField("上次推送截至", null=True, blank=True)

    class Meta:
        verbose_name = "邮件订阅"
        constraints = [
            # At most one of a category, a query, a village (none: the whole unit).
            models.CheckConstraint(
                condition=(
                    (models.Q(category__isnull=True) | (models.Q(query="") & models.Q(village__isnull=True)))
                    & (models.Q(query="") | models.Q(village__isnull=True))
                ),
                name="subscription_one_target",
            ),
            # NULL categories are distinct in a plain unique index: coalesce them so two whole-unit rows clash.
            models.UniqueConstraint(
                "email_hash",
                "unit",
                Coalesce("category", models.Value(0)),
                Coalesce("village", models.Value(0)),
                "query",
                condition=~models.Q(status=Status.UNSUBSCRIBED),
                name="subscription_unique_live",
            ),
        ]
        indexes = [models.Index(fields=["status", "email_hash"], name="subscription_status_hash")]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.target_label}"

    @property
    def target_label(self) -> str:
        if self.category is not None:
            return f"目录类别“{self.category.name}”"
        if self.query:
            return f"检索词“{self.query}”"
        if self.village is not None:
            return f"{self.village.name}的村务等公开信息"
        return "全部公开信息"
