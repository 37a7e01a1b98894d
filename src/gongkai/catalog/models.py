from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai import rules
from gongkai.orgs.models import Org

#: Which inspection rule watches a column (国办秘函〔2019〕19号 栏目不更新, spec §4.1); the period is the rule's.
FRESHNESS_RULES = {"dynamic": "column_update_dynamic", "policy": "column_update_policy"}


class Category(models.Model):
    """A node of a unit's disclosure catalog (公开目录)."""

    unit = models.ForeignKey(Org, verbose_name="公开主体", on_delete=models.PROTECT, related_name="categories")
    parent = models.ForeignKey(
        "self", verbose_name="上级类别", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField("名称", max_length=60)
    slug = models.SlugField("网址路径", max_length=60)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_retired = models.BooleanField("已停用", default=False)
    description = models.CharField("说明", max_length=300, blank=True)
    # Which inspection rule watches this column (FRESHNESS_RULES); the labels show the rule's period.
    freshness = models.CharField(
        "更新要求",
        max_length=10,
        choices=[
            ("none", "无"),
            ("dynamic", f"动态类（{rules.get(FRESHNESS_RULES['dynamic']).text}）"),
            ("policy", f"政策文件/通知公告类（{rules.get(FRESHNESS_RULES['policy']).text}）"),
        ],
        default="none",
    )

    class Meta:
        verbose_name = "目录类别"
        verbose_name_plural = "目录类别"
        ordering = ["unit", "path", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="unique_category_slug"),
            models.UniqueConstraint(fields=["unit", "parent", "name"], name="unique_category_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def ancestors(self) -> list[Category]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        by_id = {c.pk: c for c in Category.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def full_name(self) -> str:
        return "/".join([*(a.name for a in self.ancestors()), self.name])

    def top_level(self) -> Category:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        return Category.objects.get(pk=ids[0]) if ids else self


class ServiceLink(models.Model):
    """A 办事服务 link of a column: where the matter the column publishes about is handled online, usually on the
    provincial 政务服务网 (低保申请, 临时救助申请 …). 国办发〔2019〕54号 asks the 标准目录 to join 公开 and
    办事服务; the public column page shows the links, and the self-inspection opens every one of them
    (``inspection.checks.service_links``)."""

    category = models.ForeignKey(Category, verbose_name="目录类别", on_delete=models.CASCADE, related_name="services")
    name = models.CharField("办事事项", max_length=100)
    url = models.URLField("办理地址", max_length=500)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "办事服务链接"
        verbose_name_plural = "办事服务链接"
        ordering = ["category", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "url"], name="unique_service_link_url")]

    def __str__(self) -> str:
        return f"{self.name}（{self.url}）"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    RETURNED = "returned", "已退回"
    REVIEW = "review", "待审核"
    SIGNOFF = "signoff", "待审签"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"
    AMENDED = "amended", "已修改"


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class Genre(models.TextChoices):
    NOTICE = "通知", "通知"
    ANNOUNCEMENT = "公告", "公告"
    PUBLICITY = "公示", "公示"
    DECISION = "决定", "决定"
    OPINION = "意见", "意见"
    PLAN = "方案", "方案"
    REPORT = "报告", "报告"
    REQUEST = "请示", "请示"
    REPLY = "批复", "批复"
    CIRCULAR = "通报", "通报"
    MEASURES = "办法", "办法"
    RULES = "规定", "规定"
    MINUTES = "纪要", "纪要"
    LETTER = "函", "函"
    INTERPRETATION = "解读", "政策解读"
    NEWS = "动态", "工作动态"
    OTHER = "其他", "其他"


class Entry(models.Model):
    """One piece of government information in a unit's catalog."""

    unit = models.ForeignKey(Org, verbose_name="公开主体", on_delete=models.PROTECT, related_name="entries")
    publisher = models.ForeignKey(
        Org, verbose_name="发布机构", on_delete=models.PROTECT, related_name="published_entries"
    )
    category = models.ForeignKey(Category, verbose_name="目录类别", on_delete=models.PROTECT, related_name="entries")
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    index_number = models.CharField("索引号", max_length=80, null=True, blank=True, unique=True)
    index_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    index_serial = models.PositiveIntegerField(null=True, blank=True, editable=False)
    document_number = models.CharField("文号", max_length=80, blank=True, db_index=True)
    genre = models.CharField("体裁", max_length=10, choices=Genre.choices, default=Genre.NOTICE)
    topic_words = models.CharField("主题词", max_length=200, blank=True)
    formed_date = models.DateField("成文日期")
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    published_date = models.DateField("发布日期", null=True, blank=True, db_index=True)
    lag_workdays = models.PositiveIntegerField("成文至发布工作日数", null=True, blank=True)
    #: 年度报告表二 "本年处理决定数量" counts decisions, not entries: a quarterly list of 30 permits declares 30.
    #: Empty: the entry is one decision.
    decision_count = models.PositiveIntegerField("所列处理决定数量", null=True, blank=True)
    disclosure_mode = models.CharField(
        "公开方式", max_length=12, choices=DisclosureMode.choices, default=DisclosureMode.PROACTIVE
    )
    withhold_ground = models.CharField("不予公开依据", max_length=200, blank=True)
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    effective_date = models.DateField("实施日期", null=True, blank=True)
    invalid_date = models.DateField("失效/废止日期", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", verbose_name="替代文件", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    related = models.ManyToManyField("self", verbose_name="相关信息", blank=True, symmetrical=True)
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    return_reason = models.TextField("退回理由", blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_reason = models.TextField("撤回理由", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "-published_at"], name="entry_unit_pub"),
            models.Index(fields=["category", "status", "-published_at"], name="entry_cat_pub"),
            models.Index(fields=["status", "-published_at"], name="entry_status_pub"),
            models.Index(fields=["unit", "status", "formed_date"], name="entry_unit_formed"),
            # The open-data list filtered by validity or genre alone: rare values (废止, 公示) are found and
            # counted from the index instead of walking every entry newest first.
            models.Index(fields=["validity", "status", "-published_at"], name="entry_validity_pub"),
            models.Index(fields=["genre", "status", "-published_at"], name="entry_genre_pub"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "index_year", "index_serial"],
                name="unique_entry_serial",
                condition=models.Q(index_serial__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """Published or withdrawn entries have a public page (a withdrawn one says so)."""
        return self.status in (EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)

    @property
    def is_editable_draft(self) -> bool:
        return self.status in (EntryStatus.DRAFT, EntryStatus.RETURNED)

    @property
    def published_late(self) -> bool:
        """Published after the Art. 26 period (``lag_workdays`` past rule ``publication``)."""
        from .timeliness import is_late  # timeliness reads the calendar; the model module stays light

        return is_late(self.lag_workdays)


class IndexCounter(models.Model):
    """Last serial issued per unit and year. Locked while publishing, so serials are gap-free."""

    unit = models.ForeignKey(Org, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_index_counter")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_serial}"


class EntryVersion(models.Model):
    """A snapshot of an entry's public fields at publication and at every later edit."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    snapshot = models.JSONField()
    reason = models.CharField("修改说明", max_length=300, blank=True)
    #: 《条例》第二十六条 ("形成或者变更之日起", rule ``publication``): a correction that publishes a 变更 of the
    #: information records the day it changed, and the working days from then to this version (the period restarts).
    changed_date = models.DateField("信息变更日期", null=True, blank=True)
    lag_workdays = models.PositiveIntegerField("变更至公开工作日数", null=True, blank=True)
    published_date = models.DateField("本版公开日期", null=True, blank=True)  # set with changed_date
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="unique_entry_version")]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"

    @property
    def published_late(self) -> bool:
        """The 变更 reached the site after the Art. 26 period counted from the day it changed."""
        from .timeliness import is_late

        return is_late(self.lag_workdays)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.entry.unit.code}/{instance.sha256[:2]}/{instance.sha256}.{instance.kind}"


class Attachment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    sort_order = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField("已被替换", null=True, blank=True)
    #: What the upload check removed before storing (``catalog.hazards``): set by ``add_attachment`` for its
    #: caller to show, not a column (the audit event of the upload keeps it).
    cleaned: tuple[str, ...] = ()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["entry", "sort_order", "id"]

    def __str__(self) -> str:
        return self.original_name


class SuggestionModel(models.Model):
    """A unit's learned drafting suggestions (``catalog.suggest``): trained on its published entries only,
    replaced on each training. ``payload`` holds class n-gram counts and the entries' n-gram vectors.
    ``pending``: a training is queued and has not started, so further publications queue no other."""

    unit = models.OneToOneField(Org, verbose_name="公开主体", on_delete=models.CASCADE, related_name="+")
    trained_at = models.DateTimeField("训练时间", null=True, blank=True)
    pending = models.BooleanField("待重新训练", default=False)
    entries = models.PositiveIntegerField("训练信息条数", default=0)
    payload = models.JSONField(default=dict)

    class Meta:
        verbose_name = "起草建议模型"
        verbose_name_plural = "起草建议模型"

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.entries} 条"
