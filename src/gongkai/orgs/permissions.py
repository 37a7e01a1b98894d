"""Who may do what to which unit's data. Services call these; templates only mirror them.

Scope rules:
- A membership at org O acts in O's *unit* (the nearest catalog-owning org at or above O).
- 信息员 drafts in that unit, and reads/edits drafts published in the name of O or an org below O.
- 审核人, 审签领导 and 公开办管理员 act on every entry of their unit.
- 县级督查 reads every entry of every unit at or below O, and changes nothing.
- 系统管理员 manages accounts and orgs, and sees no drafts and no applicants' data (三员 separation).
- 审计员 reads the audit log only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.core.errors import NotAllowed

from .models import Membership, Org, Role


@dataclass(frozen=True)
class Grant:
    role: str
    org_id: int
    org_path: str
    unit_id: int
    unit_path: str

    @property
    def label(self) -> str:
        return str(Role(self.role).label)

    def covers_org(self, org: Org) -> bool:
        """True if ``org`` is this grant's org or below it."""
        return org.pk == self.org_id or org.path.startswith(f"{self.org_path}{self.org_id}/")

    def covers_unit_subtree(self, unit: Org) -> bool:
        return unit.pk == self.org_id or unit.path.startswith(f"{self.org_path}{self.org_id}/")


def grants(user: Any) -> list[Grant]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, "_gongkai_grants", None)
    if cached is not None:
        return list(cached)
    out = []
    for m in Membership.objects.filter(user=user, org__is_active=True).select_related("org", "org__parent"):
        unit = m.org.unit()
        out.append(Grant(m.role, m.org.pk, m.org.path, unit.pk, unit.path))
    user._gongkai_grants = out
    return out


def has_role(user: Any, *roles: str) -> bool:
    return any(g.role in roles for g in grants(user))


def unit_roles(user: Any, unit: Org) -> set[str]:
    """Roles the user holds that act inside ``unit`` itself."""
    return {g.role for g in grants(user) if g.unit_id == unit.pk}


def units_for(user: Any, *roles: str) -> list[int]:
    return sorted({g.unit_id for g in grants(user) if g.role in roles})


def can_draft_in(user: Any, unit: Org, publisher: Org | None = None) -> bool:
    for g in grants(user):
        if g.unit_id != unit.pk:
            continue
        if g.role == Role.UNIT_ADMIN:
            return True
        if g.role == Role.DRAFTER and (publisher is None or g.covers_org(publisher)):
            return True
    return False


def can_read_unpublished(user: Any, entry: Any) -> bool:
    for g in grants(user):
        if g.role == Role.SUPERVISOR and g.covers_unit_subtree(entry.unit):
            return True
        if g.unit_id != entry.unit_id:
            continue
        if g.role in (Role.REVIEWER, Role.SIGNER, Role.UNIT_ADMIN):
            return True
        if g.role == Role.DRAFTER and g.covers_org(entry.publisher):
            return True
    return False


def can_supervise(user: Any, unit: Org) -> bool:
    return any(g.role == Role.SUPERVISOR and g.covers_unit_subtree(unit) for g in grants(user))


def can_edit_draft(user: Any, entry: Any) -> bool:
    return can_draft_in(user, entry.unit, entry.publisher)


def can_review(user: Any, entry: Any) -> bool:
    return bool(unit_roles(user, entry.unit) & {Role.REVIEWER, Role.UNIT_ADMIN})


def can_sign(user: Any, entry: Any) -> bool:
    return Role.SIGNER in unit_roles(user, entry.unit)


def can_manage_unit(user: Any, unit: Org) -> bool:
    return Role.UNIT_ADMIN in unit_roles(user, unit)


def managed_units(user: Any) -> list[Org]:
    """The units whose disclosure office this user administers (catalog, API tokens), in tree order."""
    return list(Org.objects.filter(pk__in=units_for(user, Role.UNIT_ADMIN)).order_by("path"))


#: Roles that handle a unit's applications and so read applicants' personal data (applications.access).
PERSONAL_DATA_ROLES = frozenset({Role.DRAFTER, Role.REVIEWER, Role.SIGNER, Role.UNIT_ADMIN})


def sees_personal_data(user: Any) -> bool:
    """Whether ``user`` can open applicants' personal data somewhere: a reset of such an account needs a second
    person (accounts.resets, 三员)."""
    return has_role(user, *PERSONAL_DATA_ROLES)


def can_manage_accounts(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.SYSADMIN)


def can_read_audit(user: Any) -> bool:
    return has_role(user, Role.AUDITOR)


def require(allowed: bool, message: str = "您没有权限执行此操作") -> None:
    if not allowed:
        raise NotAllowed(message)


def require_history_importer(user: Any, unit: Org) -> None:
    """Only a unit's 公开办管理员 brings its history (entries, applications) in from an old system."""
    require(unit.is_unit, f"{unit.name} 不是公开主体（县、乡镇或街道），不能导入")
    require(can_manage_unit(user, unit), "只有本单位公开办管理员可以导入历史数据")
