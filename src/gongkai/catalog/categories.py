"""Catalog maintenance: seed, add, rename, reorder, retire. A category in use is never deleted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from .models import Category, ServiceLink
from .signals import category_renamed, column_services_changed

DEFAULT_CATALOG = Path(__file__).parent / "data" / "default_catalog.yaml"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def load_default_catalog() -> list[dict[str, Any]]:
    data = yaml.safe_load(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def seed_catalog(*, actor: Any, unit: Org, tree: list[dict[str, Any]] | None = None) -> int:
    """Create the default catalog for a unit (existing categories with the same slug are kept)."""
    if actor is not None:
        perms.require(perms.can_manage_unit(actor, unit) or perms.can_manage_accounts(actor), "无权初始化目录")
    created = 0

    def walk(nodes: list[dict[str, Any]], parent: Category | None) -> None:
        nonlocal created
        for order, node in enumerate(nodes):
            cat = Category.objects.filter(unit=unit, slug=node["slug"]).first()
            if cat is None:
                cat = Category(
                    unit=unit,
                    parent=parent,
                    name=node["name"],
                    slug=node["slug"],
                    sort_order=order,
                    freshness=node.get("freshness", "none"),
                    description=node.get("description", ""),
                    path=f"{parent.path}{parent.pk}/" if parent else "/",
                )
                cat.save()
                created += 1
            walk(node.get("children", []), cat)

    with transaction.atomic():
        walk(tree if tree is not None else load_default_catalog(), None)
        audit.record(Action.CATALOG_SEED, actor=actor, obj=unit, org_code=unit.code, changes={"created": created})
    return created


def create_category(
    *, actor: Any, unit: Org, name: str, slug: str, parent: Category | None = None, freshness: str = "none"
) -> Category:
    perms.require(perms.can_manage_unit(actor, unit), "只有本单位公开办管理员可以维护目录")
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = ["类别名称不能为空"]
    elif len(name) > 60:
        errors["name"] = ["类别名称不能超过 60 个字"]
    elif Category.objects.filter(unit=unit, parent=parent, name=name).exists():
        errors["name"] = [f"同一上级下已有“{name}”"]
    if not _SLUG.match(slug or ""):
        errors["slug"] = ["网址路径只能由小写字母、数字和连字符组成"]
    elif Category.objects.filter(unit=unit, slug=slug).exists():
        errors["slug"] = [f"网址路径 {slug} 已被使用"]
    if parent is not None and parent.unit_id != unit.pk:
        errors["parent"] = ["上级类别不属于本单位"]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        last = Category.objects.filter(unit=unit, parent=parent).aggregate(m=Max("sort_order"))["m"]
        cat = Category.objects.create(
            unit=unit,
            parent=parent,
            name=name,
            slug=slug,
            freshness=freshness,
            sort_order=(last or 0) + 1,
            path=f"{parent.path}{parent.pk}/" if parent else "/",
        )
        audit.record(Action.CATEGORY_CREATE, actor=actor, obj=cat, org_code=unit.code, changes={"name": [None, name]})
    return cat


def rename_category(*, actor: Any, category: Category, name: str) -> Category:
    perms.require(perms.can_manage_unit(actor, category.unit), "只有本单位公开办管理员可以维护目录")
    name = name.strip()
    if not name or len(name) > 60:
        raise ValidationFailed({"name": ["类别名称不能为空，且不超过 60 个字"]})
    if Category.objects.filter(unit=category.unit, parent=category.parent, name=name).exclude(pk=category.pk).exists():
        raise ValidationFailed({"name": [f"同一上级下已有“{name}”"]})
    with transaction.atomic():
        old = category.name
        category.name = name
        category.save(update_fields=["name"])
        audit.record(
            Action.CATEGORY_RENAME,
            actor=actor,
            obj=category,
            org_code=category.unit.code,
            changes={"name": [old, name]},
        )
        if old != name:
            category_id = category.pk
            transaction.on_commit(lambda: category_renamed.send(sender=Category, category_id=category_id))
    return category


def move_category(*, actor: Any, category: Category, direction: int) -> None:
    """Swap with the previous (direction -1) or next (+1) sibling."""
    perms.require(perms.can_manage_unit(actor, category.unit), "只有本单位公开办管理员可以维护目录")
    with transaction.atomic():
        siblings = list(
            Category.objects.filter(unit=category.unit, parent=category.parent).order_by("sort_order", "id")
        )
        for i, sib in enumerate(siblings):
            sib.sort_order = i
        idx = next(i for i, s in enumerate(siblings) if s.pk == category.pk)
        other = idx + direction
        if 0 <= other < len(siblings):
            siblings[idx].sort_order, siblings[other].sort_order = other, idx
        Category.objects.bulk_update(siblings, ["sort_order"])
        audit.record(
            Action.CATEGORY_MOVE,
            actor=actor,
            obj=category,
            org_code=category.unit.code,
            changes={"direction": direction},
        )


def set_retired(*, actor: Any, category: Category, retired: bool) -> Category:
    perms.require(perms.can_manage_unit(actor, category.unit), "只有本单位公开办管理员可以维护目录")
    with transaction.atomic():
        category.is_retired = retired
        category.save(update_fields=["is_retired"])
        audit.record(
            Action.CATEGORY_RETIRE if retired else Action.CATEGORY_RESTORE,
            actor=actor,
            obj=category,
            org_code=category.unit.code,
        )
    return category


def delete_category(*, actor: Any, category: Category) -> None:
    perms.require(perms.can_manage_unit(actor, category.unit), "只有本单位公开办管理员可以维护目录")
    if category.entries.exists() or category.children.exists():
        raise NotAllowed("该类别下已有信息或子类别，不能删除，只能停用")
    with transaction.atomic():
        audit.record(
            Action.CATEGORY_DELETE,
            actor=actor,
            obj=category,
            org_code=category.unit.code,
            changes={"name": [category.name, None]},
        )
        category.delete()


# --------------------------------------------------------------------------- 办事服务 links of a column

#: A column lists its few matters; more than this is a list of services, not a column's links.
MAX_SERVICE_LINKS = 20


def _clean_service(category: Category, name: str, url: str) -> tuple[str, str]:
    name, url = " ".join((name or "").split()), (url or "").strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100 or "\x00" in name:
        errors["name"] = ["办事事项名称不能为空，且不超过 100 个字"]
    if not url:
        errors["url"] = ["请填写办理地址，如政务服务网上该事项的网址（以 https:// 开头）"]
    elif len(url) > 500:
        errors["url"] = ["办理地址不能超过 500 个字符"]
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError:
            errors["url"] = [f"办理地址“{url[:80]}”不是有效的网址，应以 http:// 或 https:// 开头"]
    if "url" not in errors and ServiceLink.objects.filter(category=category, url=url).exists():
        errors["url"] = ["本栏目已有这个办理地址"]
    if not errors and ServiceLink.objects.filter(category=category).count() >= MAX_SERVICE_LINKS:
        errors["__all__"] = [f"一个栏目最多 {MAX_SERVICE_LINKS} 个办事服务链接"]
    if errors:
        raise ValidationFailed(errors)
    return name, url


def _services_changed(category: Category) -> None:
    category_id, unit_id = category.pk, category.unit_id
    transaction.on_commit(
        lambda: column_services_changed.send(sender=Category, category_id=category_id, unit_id=unit_id)
    )


def add_service_link(*, actor: Any, category: Category, name: str, url: str) -> ServiceLink:
    """Add a 办事服务 link (国办发〔2019〕54号: 公开 joined with 办事服务) to ``category``. The unit's 公开办管理员."""
    perms.require(perms.can_manage_unit(actor, category.unit), "只有本单位公开办管理员可以维护办事服务链接")
    name, url = _clean_service(category, name, url)
    with transaction.atomic():
        order = (ServiceLink.objects.filter(category=category).aggregate(m=Max("sort_order"))["m"] or 0) + 1
        link = ServiceLink.objects.create(category=category, name=name, url=url, sort_order=order, created_by=actor)
        audit.record(
            Action.CATEGORY_SERVICE_ADD,
            actor=actor,
            obj=category,
            org_code=category.unit.code,
            changes={"name": [None, name], "url": [None, url]},
        )
        _services_changed(category)
    return link


def remove_service_link(*, actor: Any, link: ServiceLink) -> None:
    category = link.category
    perms.require(perms.can_manage_unit(actor, category.unit), "只有本单位公开办管理员可以维护办事服务链接")
    with transaction.atomic():
        audit.record(
            Action.CATEGORY_SERVICE_REMOVE,
            actor=actor,
            obj=category,
            org_code=category.unit.code,
            changes={"name": [link.name, None], "url": [link.url, None]},
        )
        link.delete()
        _services_changed(category)
