"""Writes on orgs, users and memberships."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import NotAllowed, ValidationFailed

from .codes import unit_code_error
from .models import Membership, Org, OrgKind, Role
from .permissions import can_manage_accounts, can_manage_unit, require

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
#: Top-level paths owned by the application or the site itself; a unit's slug may not be one of them.
RESERVED_SLUGS = frozenset({"staff", "admin", "apply", "messages", "api", "search", "static", "media", "subscribe"})
ORG_CONTACT_FIELDS = (
    "office_name",
    "address",
    "office_hours",
    "phone",
    "fax",
    "email",
    "postcode",
    "website",
    "functions",
)


def _check_pattern(pattern: str) -> str | None:
    if "{serial" not in pattern:
        return "索引号格式必须包含 {serial}"
    try:
        pattern.format(code="X", year=2025, serial=1)
    except (KeyError, ValueError, IndexError):
        return "索引号格式只能使用 {code}、{year}、{serial}，如 {code}/{year}-{serial:05d}"
    return None


def create_org(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: Org | None = None,
    slug: str = "",
    short_name: str = "",
    **fields: Any,
) -> Org:
    if actor is not None:
        require(can_manage_accounts(actor), "只有系统管理员可以新建机构")
    errors: dict[str, list[str]] = {}
    code = code.strip()
    if msg := unit_code_error(code):
        errors["code"] = [msg]
    elif Org.objects.filter(code__iexact=code).exists():
        errors["code"] = [f"单位代码 {code} 已被使用"]
    if not name.strip():
        errors["name"] = ["名称不能为空"]
    elif len(name) > 100:
        errors["name"] = ["名称不能超过 100 个字"]
    if kind not in OrgKind.values:
        errors["kind"] = [f"类型应为 {', '.join(OrgKind.values)} 之一"]
    elif kind == OrgKind.COUNTY and parent is not None and parent.kind != OrgKind.COUNTY:
        errors["parent"] = ["县（区）的上级只能是县（区）或没有上级"]
    elif kind != OrgKind.COUNTY and parent is None:
        errors["parent"] = ["乡镇、街道、办所和村居必须有上级机构"]
    slug = (slug or code).lower()
    if not _SLUG.match(slug):
        errors["slug"] = ["网址路径只能由小写字母、数字和连字符组成"]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [f"网址路径 {slug} 是系统保留路径，请换一个"]
    elif Org.objects.filter(slug=slug).exists():
        errors["slug"] = [f"网址路径 {slug} 已被使用"]
    pattern = fields.pop("index_pattern", None)
    if pattern and (msg := _check_pattern(pattern)):
        errors["index_pattern"] = [msg]
    unknown = set(fields) - set(ORG_CONTACT_FIELDS)
    if unknown:
        errors["__all__"] = [f"未知字段：{', '.join(sorted(unknown))}"]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        org = Org(code=code, name=name.strip(), kind=kind, parent=parent, slug=slug, short_name=short_name)
        if pattern:
            org.index_pattern = pattern
        for key, value in fields.items():
            setattr(org, key, value)
        org.path = f"{parent.path}{parent.pk}/" if parent else "/"
        org.save()
        audit.record(Action.ORG_CREATE, actor=actor, obj=org, org_code=org.code, changes={"name": org.name})
    return org


def update_org(*, actor: Any, org: Org, **fields: Any) -> Org:

    require(can_manage_accounts(actor) or can_manage_unit(actor, org), "只有系统管理员或本单位公开办可以修改机构信息")
    allowed = {"name", "short_name", "index_pattern", "sort_order", *ORG_CONTACT_FIELDS}
    errors: dict[str, list[str]] = {}
    if set(fields) - allowed:
        errors["__all__"] = [f"不可修改的字段：{', '.join(sorted(set(fields) - allowed))}"]
    if "index_pattern" in fields and (msg := _check_pattern(fields["index_pattern"])):
        errors["index_pattern"] = [msg]
    if "name" in fields and not str(fields["name"]).strip():
        errors["name"] = ["名称不能为空"]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        before = {k: getattr(org, k) for k in fields}
        for key, value in fields.items():
            setattr(org, key, value)
        org.save()
        audit.record(Action.ORG_UPDATE, actor=actor, obj=org, org_code=org.code, changes=audit.diff(before, fields))
    return org


#: 三员: the system administrator and the auditor hold no other role — none that handles cases (and so reads
#: applicants' personal data), not each other's (GB/T 22239-2019 8.1.4.2).
_SEPARATE: dict[str, str] = {Role.SYSADMIN: "系统管理员", Role.AUDITOR: "审计员"}


def _separation_clash(user: Any, role: str) -> str:
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True)) - {role}
    separate = sorted(({role} | held) & set(_SEPARATE))
    if not held or not separate:
        return ""
    names = "、".join(Role(r).label for r in sorted(held))
    return f"三员分立：{_SEPARATE[separate[0]]}不能兼任其他角色（该账号已是{names}）"


def grant_role(*, actor: Any, user: Any, org: Org, role: str) -> Membership:
    if actor is not None:
        require(can_manage_accounts(actor), "只有系统管理员可以分配角色")
    if role not in Role.values:
        raise ValidationFailed({"role": [f"角色应为 {', '.join(Role.values)} 之一"]})
    if role == Role.SUPERVISOR and org.kind != OrgKind.COUNTY:
        raise ValidationFailed({"role": ["县级督查只能设在县（区）机构"]})
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise NotAllowed("不能给自己分配角色（三员分立：须由另一名系统管理员分配）")
    if clash := _separation_clash(user, role):
        raise ValidationFailed({"role": [clash]})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, org=org, role=role)
        if created:
            audit.record(
                Action.PERMISSION_GRANT,
                actor=actor,
                obj=membership,
                org_code=org.code,
                changes={"user": user.username, "role": role},
            )
    user.__dict__.pop("_gongkai_grants", None)
    return membership


def revoke_role(*, actor: Any, membership: Membership) -> None:
    require(can_manage_accounts(actor), "只有系统管理员可以撤销角色")
    with transaction.atomic():
        audit.record(
            Action.PERMISSION_REVOKE,
            actor=actor,
            obj=membership,
            org_code=membership.org.code,
            changes={"user": membership.user.username, "role": membership.role},
        )
        membership.delete()
