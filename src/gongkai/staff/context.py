"""What the staff navigation shows: only the links a user's roles can use, with the counts that call for action
(待审核 3, 待审签 1, 逾期 2). The views check again; the navigation only mirrors ``orgs.permissions``.

A few count queries on every staff page (one per queue the user works on), each over an index of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gongkai.accounts import resets
from gongkai.applications import access as case_access
from gongkai.applications import selectors as cases
from gongkai.catalog import selectors as entries
from gongkai.interaction import access as message_access
from gongkai.interaction import selectors as messages
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Role
from gongkai.screening import selectors as screening

#: Roles that work on entries (drafting, review, signing, managing) or read them (county supervisors).
ENTRY_ROLES = (Role.DRAFTER, Role.REVIEWER, Role.SIGNER, Role.UNIT_ADMIN, Role.SUPERVISOR)
REPORT_ROLES = (Role.DRAFTER, Role.REVIEWER, Role.SIGNER, Role.UNIT_ADMIN, Role.SUPERVISOR)


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    count: int = 0
    count_label: str = ""  # e.g. 待审核: a screen reader hears "保密审查 待审核3"


def nav_links(user: Any) -> list[NavLink]:
    """The staff menu for ``user``: every link is one the user's roles can open."""
    links = [NavLink("工作台", reverse("staff:dashboard"))]
    if entries.drafting_units(user):
        links.append(NavLink("新建信息", reverse("staff:entry_create")))
    if perms.has_role(user, *ENTRY_ROLES):
        links.append(NavLink("信息管理", reverse("staff:entry_list")))
    if perms.units_for(user, Role.REVIEWER, Role.UNIT_ADMIN):
        links.append(NavLink("保密审查", reverse("staff:review_queue"), entries.review_queue(user).count(), "待审核"))
    if perms.units_for(user, Role.SIGNER):
        links.append(NavLink("审签", reverse("staff:signoff_queue"), entries.signoff_queue(user).count(), "待审签"))
    if case_access.handling_unit_ids(user):
        overdue = cases.handled_cases(user).filter(cases.dashboard_filters()["overdue"]).count()
        links.append(NavLink("依申请公开", reverse("applications_staff:list"), overdue, "逾期"))
    elif case_access.supervised_unit_ids(user):
        links.append(NavLink("依申请公开", reverse("applications_staff:list")))
    if message_access.handling_unit_ids(user):
        links.append(NavLink("互动交流", reverse("interaction_staff:queue"), messages.action_count(user), "待办"))
    if perms.units_for(user, Role.UNIT_ADMIN):
        links.append(NavLink("目录维护", reverse("staff:catalog")))
        links.append(NavLink("敏感信息预警", reverse("screening:alerts"), screening.alerts_for(user).count(), "待处理"))
    if perms.has_role(user, *REPORT_ROLES):
        links.append(NavLink("年度报告", reverse("reports:index")))
    if perms.units_for(user, Role.UNIT_ADMIN) or perms.has_role(user, Role.SUPERVISOR):
        links.append(NavLink("网站自查", reverse("inspection:index")))  # 国办秘函〔2019〕19号
    if perms.has_role(user, *ENTRY_ROLES):
        links.append(NavLink("公开栏", reverse("channels:boards")))  # boards, postings, screens (channels)
    if perms.has_role(user, Role.UNIT_ADMIN, Role.SUPERVISOR):
        links.append(NavLink("邮件订阅", reverse("subscriptions_staff:index")))  # counts only (subscriptions)
        links.append(NavLink("归档移交", reverse("ops:archive")))  # Art. 45; the ops floor's page, found by name
    if perms.units_for(user, Role.UNIT_ADMIN):
        links.append(NavLink("接口令牌", reverse("staff:api_tokens")))
    if perms.can_manage_accounts(user):
        links.append(NavLink("登录锁定", reverse("staff:lockouts")))
        links.append(NavLink("汇聚推送", reverse("harvest:push")))  # the harvest floor's page, found by name
    if perms.can_manage_accounts(user) or perms.has_role(user, Role.UNIT_ADMIN, Role.AUDITOR):
        links.append(NavLink("密码重置", reverse("staff:resets"), len(resets.open_for(user)), "待确认"))
    if perms.can_read_audit(user):
        links.append(NavLink("审计日志", reverse("staff:audit_log")))
    return links


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/staff/"):
        return {}
    return {"nav_links": nav_links(user)}
