"""Writes on annual reports: save the narrative, hand the report to the entry lifecycle for publication.

A report is published like any entry (category 年度报告): the unit's 公开办管理员 submits it, the reviewer
and the signer take it through the usual queues. The numbers are frozen in ``AnnualReport.data`` at
submission, so next year's 二 = 上年 四 check compares with what was published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai import rules
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Category, EntryStatus
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, OrgKind, Role
from gongkai.rules import deadlines

from . import narrative, render, spec
from .annual import check_year
from .models import AnnualReport, ReportStatus

ANNUAL_REPORTS_SLUG = "annual-reports"
READ_ROLES = {Role.DRAFTER, Role.REVIEWER, Role.SIGNER, Role.UNIT_ADMIN}


def can_view(user: Any, unit: Org) -> bool:
    return bool(perms.unit_roles(user, unit) & READ_ROLES) or perms.can_supervise(user, unit)


def can_edit(user: Any, unit: Org) -> bool:
    return perms.can_manage_unit(user, unit)


def report_for(unit: Org, year: int, include_children: bool = False) -> AnnualReport | None:
    return AnnualReport.objects.filter(unit=unit, year=year, include_children=include_children).first()


def save_draft(
    *,
    actor: Any,
    unit: Org,
    year: Any,
    include_children: bool = False,
    section_1: str = "",
    section_5: str = "",
    section_6: str = "",
    fees_wan_yuan: Any = "0",
    decisions: dict[str, Any] | None = None,
) -> AnnualReport:
    """``decisions``: 表二 处理决定数量 as the office counts them (key → number; empty → the pre-fill from the
    entries). Table 二 counts decisions, not entries (国办公开办函〔2021〕30号)."""
    perms.require(can_edit(actor, unit), "只有本单位公开办管理员可以编辑年度报告")
    errors: dict[str, list[str]] = {}
    try:
        year = check_year(year)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        fees = Decimal(str(fees_wan_yuan or "0").strip())
        if not fees.is_finite() or fees < 0 or fees >= Decimal("1e8"):
            raise InvalidOperation
        if fees.as_tuple().exponent < -4:  # type: ignore[operator]
            errors["fees_wan_yuan"] = ["行政事业性收费金额最多保留四位小数（单位：万元）"]
    except InvalidOperation:
        errors["fees_wan_yuan"] = ["行政事业性收费金额应为不小于 0 的数字（单位：万元），如 0 或 1.25"]
        fees = Decimal(0)
    counted: dict[str, int] = {}
    for key, value in (decisions or {}).items():
        if key not in DECISION_LABELS:
            errors[key] = ["未知的表二项目"]
            continue
        text = str(value if value is not None else "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) > 10_000_000:
            errors[key] = [f"表二“{DECISION_LABELS[key]}”本年处理决定数量应为 0 或正整数"]
            continue
        counted[key] = int(text)
    texts = {"section_1": section_1, "section_5": section_5, "section_6": section_6}
    for key, text in texts.items():
        if len(text or "") > 20000:
            errors[key] = ["内容不能超过 20000 个字"]
    if include_children and unit.kind not in (OrgKind.COUNTY, OrgKind.TOWNSHIP):
        errors["include_children"] = ["只有县、乡镇的报告可以包含下级单位"]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(
            unit=unit, year=year, include_children=include_children
        )
        if report.entry is not None and report.entry.status not in (EntryStatus.RETURNED, EntryStatus.WITHDRAWN):
            raise NotAllowed("年度报告已提交发布，不能再修改；如需更正，请在信息管理中修改已发布的信息")
        before = {k: getattr(report, k) for k in (*texts, "fees_wan_yuan", "decisions")}
        for key, text in texts.items():
            setattr(report, key, (text or "").replace("\r\n", "\n").strip())
        report.fees_wan_yuan = fees
        if decisions is not None:
            report.decisions = counted
        report.updated_by = actor
        report.save()
        audit.record(
            Action.ANNUAL_REPORT_SAVE,
            actor=actor,
            obj=report,
            org_code=unit.code,
            changes=audit.diff(before, {k: getattr(report, k) for k in before}) if not created else {"year": year},
        )
    return report


DECISION_LABELS = {
    "licensing_decisions": "行政许可",
    "punishment_decisions": "行政处罚",
    "enforcement_decisions": "行政强制",
}

SECTION_LABELS = {
    "section_1": "一、总体情况",
    "section_5": "五、存在的主要问题及改进情况",
    "section_6": "六、其他需要报告的事项",
}


def submit_for_publication(*, actor: Any, unit: Org, year: Any, include_children: bool = False) -> AnnualReport:
    """Create the 年度报告 entry (tables as HTML in the body) and submit it for review and sign-off."""

    perms.require(can_edit(actor, unit), "只有本单位公开办管理员可以提交年度报告")
    year = check_year(year)
    if year >= timezone.localdate().year:
        raise ValidationFailed({"year": [f"{year}年尚未结束，不能发布该年度的年度报告"]})
    category = Category.objects.filter(unit=unit, slug=ANNUAL_REPORTS_SLUG, is_retired=False).first()
    if category is None:
        raise ValidationFailed({"category": ["本单位目录中没有“政府信息公开年报”类别，请先在目录维护中恢复或新建"]})
    doc = render.build(unit, year, include_children=include_children)
    errors: dict[str, list[str]] = {}
    for key, label in SECTION_LABELS.items():
        left = narrative.unfilled(doc.sections.get(key, ""))
        if left:
            errors[key] = [f"“{label}”中还有未替换的提示文字{'、'.join(left[:2])}，请改为本单位的实际情况后再提交"]
    if doc.data["checks"]:
        errors["checks"] = [c["message"] for c in doc.data["checks"]]
    if errors:
        raise ValidationFailed(errors)
    # Rendered before the transaction, which locks the report row (and on SQLite the whole database).
    fields = {
        "title": doc.title,
        "summary": f"{unit.name}{year}年政府信息公开工作年度报告（国办公开办函〔2021〕30号格式"
        + ("，由平台记录重构" if spec.format_for(year).reconstruction else "")
        + "）。",
        "body": render.body_html(doc),
    }
    with transaction.atomic():
        report, _ = AnnualReport.objects.select_for_update().get_or_create(
            unit=unit, year=year, include_children=include_children
        )
        entry = report.entry
        if entry is not None and entry.status == EntryStatus.RETURNED:
            entry = catalog.update_draft(actor=actor, entry=entry, **fields)
        elif entry is not None and entry.status != EntryStatus.WITHDRAWN:
            raise NotAllowed(f"该年度报告已提交（{entry.get_status_display()}），请在审核、审签队列中办理")
        else:
            entry = catalog.create_draft(
                actor=actor,
                unit=unit,
                category=category,
                publisher=unit,
                formed_date=timezone.localdate(),
                genre="报告",
                **fields,
            )
        entry = catalog.submit_for_review(actor=actor, entry=entry, comment="年度报告提交审核")
        report.entry = entry
        report.data = doc.data
        report.status = ReportStatus.SUBMITTED
        report.updated_by = actor
        report.save()
        audit.record(
            Action.ANNUAL_REPORT_SUBMIT, actor=actor, obj=report, org_code=unit.code, changes={"entry": entry.pk}
        )
    return report


# --- the deadline reminder ------------------------------------------------------------------------------------


@dataclass
class Reminder:
    year: int
    deadline: date
    days_left: int
    message: str


def deadline_for(unit: Org, year: int) -> date:
    """Art. 49: the last day to publish ``unit``'s report on ``year`` (see ``gongkai.rules.deadlines``)."""
    return deadlines.annual_report_deadline(year, county=unit.kind == OrgKind.COUNTY)


def reminder(unit: Org, today: date | None = None, window_days: int | None = None) -> Reminder | None:
    """A warning when last year's report is not yet published and its deadline is near (within the rule
    ``report_reminder``) or past."""
    today = today or timezone.localdate()
    year = today.year - 1
    deadline = deadline_for(unit, year)
    days_left = (deadline - today).days
    if window_days is None:
        window_days = rules.get("report_reminder", on=today).calendar_days
    if days_left > window_days:
        return None
    published = AnnualReport.objects.filter(unit=unit, year=year, entry__status=EntryStatus.PUBLISHED).exists()
    if published:
        return None
    if days_left >= 0:
        msg = f"{year}年度政府信息公开工作年度报告应于{deadline:%Y年%m月%d日}前公布，还剩{days_left}天"
    else:
        msg = f"{year}年度政府信息公开工作年度报告已超过公布期限（{deadline:%Y年%m月%d日}）{-days_left}天，请尽快发布"
    return Reminder(year, deadline, days_left, msg)
