"""Who sees and does what with applications (privacy matrix).

- The handling unit's 信息员, 审核人, 审签领导 and 公开办管理员 see the whole case, applicant included,
  and record events on it.
- Only 审签领导 and 公开办管理员 of the unit count as the office head (工作机构负责人) who approves an
  extension (Art. 33).
- 县级督查 sees status, dates and results of the units below it, never the applicant's personal data.
- 系统管理员, 审计员 and staff of other units see nothing of a case (三员 separation: the sysadmin runs
  accounts, not cases).
"""

from __future__ import annotations

from typing import Any

from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, Role

HANDLING_ROLES = set(perms.PERSONAL_DATA_ROLES)
APPROVER_ROLES = {Role.SIGNER, Role.UNIT_ADMIN}


def can_handle(user: Any, unit: Org) -> bool:
    return bool(perms.unit_roles(user, unit) & HANDLING_ROLES)


def can_see_personal(user: Any, unit: Org) -> bool:
    return can_handle(user, unit)


def can_see_status(user: Any, unit: Org) -> bool:
    return can_handle(user, unit) or perms.can_supervise(user, unit)


def can_approve_extension(user: Any, unit: Org) -> bool:
    return bool(perms.unit_roles(user, unit) & APPROVER_ROLES)


def can_edit_templates(user: Any, unit: Org) -> bool:
    return perms.can_manage_unit(user, unit)


def handling_unit_ids(user: Any) -> list[int]:
    return perms.units_for(user, *HANDLING_ROLES)


def supervised_unit_ids(user: Any) -> list[int]:
    """Units (catalog owners) at or below the user's supervisor grants."""
    grants = [g for g in perms.grants(user) if g.role == Role.SUPERVISOR]
    if not grants:
        return []
    from django.db.models import Q

    q = Q()
    for g in grants:
        q |= Q(pk=g.org_id) | Q(path__startswith=f"{g.org_path}{g.org_id}/")
    return [o.pk for o in Org.objects.filter(q) if o.is_unit]


NOT_HANDLER = "您不是该申请办理单位的工作人员，不能办理此申请"


def require_handle(user: Any, unit: Org) -> None:
    perms.require(can_handle(user, unit), NOT_HANDLER)
