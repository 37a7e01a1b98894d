"""The channels beyond the website (《政府信息公开条例》第二十三条: 政府公报、公告栏、电子屏幕、政府新媒体):
public boards (公开栏) and what was posted on them, LED screens, records of WeChat articles and gazette issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.catalog.models import Entry
from gongkai.orgs.models import Org


class BoardContent(models.TextChoices):
    VILLAGE = "village", "村务"
    FINANCE = "finance", "财务"
    PARTY = "party", "党务"
    GOVERNMENT = "government", "政务"


class Board(models.Model):
    """One physical board: 公开栏、公开板、公开墙 on a square, at the government's door, in a village."""

    org = models.ForeignKey(Org, verbose_name="所属单位或村（社区）", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Org, verbose_name="公开主体", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("名称", max_length=60)
    place = models.CharField("设置地点", max_length=120)
    size = models.CharField("尺寸", max_length=40, blank=True, help_text="如 2.4米×1.2米")
    shows = models.JSONField("公开内容", default=list)
    is_active = models.BooleanField("在用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开栏"
        verbose_name_plural = "公开栏"
        ordering = ["unit", "org", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="unique_board_name")]

    def __str__(self) -> str:
        return f"{self.org.name} {self.name}"

    def shows_labels(self) -> str:
        return "、".join(BoardContent(c).label for c in self.shows if c in BoardContent.values)


class Posting(models.Model):
    """One 期 of a board: which entries were put up when, taken down when, with a photo of the posted board."""

    board = models.ForeignKey(Board, verbose_name="公开栏", on_delete=models.PROTECT, related_name="postings")
    entries = models.ManyToManyField(Entry, verbose_name="张贴的信息", related_name="board_postings")
    posted_on = models.DateField("张贴日期")
    until = models.DateField("计划撤下日期", null=True, blank=True)
    taken_down_on = models.DateField("撤下日期", null=True, blank=True)
    photo = models.FileField("张贴照片", upload_to="boards/", max_length=255, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开栏张贴"
        verbose_name_plural = "公开栏张贴"
        ordering = ["-posted_on", "-pk"]
        indexes = [models.Index(fields=["board", "posted_on"], name="posting_board_day")]

    def __str__(self) -> str:
        return f"{self.board} {self.posted_on:%Y-%m-%d}"


class Screen(models.Model):
    """An LED screen (电子显示屏): its feed is a static file of the built site, /led/{slug}.txt and .json."""

    unit = models.ForeignKey(Org, verbose_name="公开主体", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField("标识", max_length=40, unique=True, help_text="显示屏读取 /led/标识.txt")
    name = models.CharField("名称", max_length=60)
    place = models.CharField("设置地点", max_length=120, blank=True)
    line_length = models.PositiveSmallIntegerField("每行字数")
    line_count = models.PositiveSmallIntegerField("行数")
    is_active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "电子显示屏"
        verbose_name_plural = "电子显示屏"
        ordering = ["unit", "slug"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "政务微博"
    OTHER = "other", "其他新媒体"


class ChannelPost(models.Model):
    """An entry published on a new-media channel: the article's address, when, by whom."""

    entry = models.ForeignKey(Entry, verbose_name="信息", on_delete=models.PROTECT, related_name="channel_posts")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    url = models.URLField("文章网址", max_length=500)
    posted_at = models.DateTimeField("发布时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "渠道发布记录"
        verbose_name_plural = "渠道发布记录"
        ordering = ["-posted_at"]
        constraints = [models.UniqueConstraint(fields=["entry", "channel", "url"], name="unique_channel_post")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.url}"


class GazetteIssue(models.Model):
    """One printed 公报 (monthly or quarterly): its period, its entries, how many copies were printed."""

    unit = models.ForeignKey(Org, verbose_name="公开主体", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("期间", max_length=7, help_text="2026-11 或 2026-Q4")
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    entries = models.ManyToManyField(Entry, verbose_name="收录信息", related_name="gazette_issues")
    copies = models.PositiveIntegerField("印数")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField("印发记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "公报"
        verbose_name_plural = "公报"
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.unit.name}公报 {self.period}"
