from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .codes import unit_code_error


class OrgKind(models.TextChoices):
    COUNTY = "county", "县（区）"
    TOWNSHIP = "township", "乡镇"
    STREET = "street", "街道"
    OFFICE = "office", "办/所/中心"
    VILLAGE = "village", "村/社区"


#: Kinds that own a disclosure catalog with their own index numbers.
UNIT_KINDS = {OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.STREET}


def validate_unit_code(value: str) -> None:
    message = unit_code_error(value)
    if message:
        raise ValidationError(message)


class Org(models.Model):
    code = models.CharField("单位代码", max_length=20, unique=True, validators=[validate_unit_code])
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    slug = models.SlugField("网址路径", max_length=40, unique=True, help_text="公开网站上的路径，如 dongshan")
    kind = models.CharField("类型", max_length=10, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of ancestor ids ("/1/4/9/"): subtree queries are one indexed LIKE.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    index_pattern = models.CharField(
        "索引号格式",
        max_length=80,
        default="{code}/{year}-{serial:05d}",
        help_text="可用 {code} {year} {serial}，如 {code}/{year}-{serial:05d}",
    )
    # Disclosure-office contact data, shown in the guide (公开指南).
    office_name = models.CharField("公开工作机构", max_length=100, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    fax = models.CharField("传真", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    website = models.CharField("互联网联系方式", max_length=200, blank=True)
    functions = models.TextField("机构职能", blank=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unit(self) -> bool:
        return self.kind in UNIT_KINDS

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def unit(self) -> Org:
        """The nearest catalog-owning org at or above this one."""
        node: Org | None = self
        while node is not None and not node.is_unit:
            node = node.parent
        if node is None:
            raise ValueError(f"{self.name} 不在任何公开主体之下")
        return node

    def subtree(self) -> models.QuerySet[Org]:
        return Org.objects.filter(path__startswith=f"{self.path}{self.pk}/") | Org.objects.filter(pk=self.pk)


class Role(models.TextChoices):
    DRAFTER = "drafter", "信息员"
    REVIEWER = "reviewer", "审核人"
    SIGNER = "signer", "审签领导"
    UNIT_ADMIN = "unit_admin", "公开办管理员"
    SUPERVISOR = "supervisor", "县级督查"
    SYSADMIN = "sysadmin", "系统管理员"
    AUDITOR = "auditor", "审计员"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    org = models.ForeignKey(Org, verbose_name="机构", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.org} ({self.get_role_display()})"
