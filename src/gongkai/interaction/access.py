"""Who handles messages: the staff of the message's unit (as for applications); leaders review and publish.

- 信息员, 审核人, 审签领导, 公开办管理员 of the unit: see the whole message and its submitter, handle it.
- 审签领导 and 公开办管理员 of the unit: 审核/签发 the reply, 公开 or 不予公开 (the seeds: "回复内容由主要领导
  亲自审核").
- Everyone else (other units, supervisors, 系统管理员, 审计员): nothing.
"""

from __future__ import annotations

from typing import Any

from gongkai.applications.access import APPROVER_ROLES, HANDLING_ROLES
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

NOT_HANDLER = "您不是该留言受理单位的工作人员，不能办理此留言"
NOT_LEADER = "只有本单位的审签领导或公开办管理员可以审核、签发或决定公开"


def can_handle(user: Any, unit: Org) -> bool:
    return bool(perms.unit_roles(user, unit) & HANDLING_ROLES)


def can_lead(user: Any, unit: Org) -> bool:
    return bool(perms.unit_roles(user, unit) & APPROVER_ROLES)


def handling_unit_ids(user: Any) -> list[int]:
    return perms.units_for(user, *HANDLING_ROLES)


def leading_unit_ids(user: Any) -> list[int]:
    return perms.units_for(user, *APPROVER_ROLES)


def require_handle(user: Any, unit: Org) -> None:
    perms.require(can_handle(user, unit), NOT_HANDLER)
