"""督查整改 (issue 19): the county office turns problems of a unit's self-inspection into a 督查整改通知书 with a 文号
and a deadline in working days; the unit reports what it fixed; the county re-checks (the automatic checks by a
new self-inspection, ``still_found``) and closes the notice (销号) or returns it to be fixed again.

``TRANSITIONS`` is the table of the three steps after issuing, each with the states it applies in and who may take
it; every step is one transaction and one audit event. The notice itself is an ``OfficialLetter`` (DOCX, or PDF
rendered by the task worker through ``documents.jobs``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from gongkai import rules
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from gongkai.documents.docx import OfficialLetter
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, OrgKind
from gongkai.workdays.calendar import CalendarNotLoaded, add_workdays

from .models import InspectionRun, Rectification
from .models import RectificationStatus as S

MIN_TEXT = 5
#: 文号 of a notice: the county's short name, the year, the serial (e.g. 清河政公督〔2026〕3号).
NUMBER_FORMAT = "{prefix}政公督〔{year}〕{serial}号"


def default_workdays() -> int:
    """The deadline the issue form offers (rule ``rectification_default``: platform practice, not statutory)."""
    return int(rules.get("rectification_default").value)


def max_workdays() -> int:
    """The longest deadline a notice may set (rule ``rectification_max``)."""
    return int(rules.get("rectification_max").value)


def county_of(unit: Org) -> Org:
    """The county-level org over ``unit`` (the unit itself when it is the county): whose office issues."""
    node: Org | None = unit
    while node is not None and node.kind != OrgKind.COUNTY:
        node = node.parent
    if node is None:
        raise ValidationFailed({"unit": [f"{unit.name}不在任何县（区）之下，无法下发整改通知书"]})
    return node


def _short(county: Org) -> str:
    for suffix in ("人民政府", "政府"):
        if county.name.endswith(suffix):
            return county.name.removesuffix(suffix).removesuffix("县").removesuffix("区") or county.name
    return county.name


def _text(value: str, field: str, label: str) -> str:
    text = (value or "").replace("\x00", "").strip()
    if len(text) < MIN_TEXT:
        raise ValidationFailed({field: [f"请填写{label}（至少 {MIN_TEXT} 个字）"]})
    if len(text) > 5000:
        raise ValidationFailed({field: [f"{label}不能超过 5000 个字"]})
    return text


def issue(*, actor: Any, run: InspectionRun, picked: list[int], workdays: Any) -> Rectification:
    """A notice for the problems ``picked`` (indexes into the run's 整改清单, ``findings["fixes"]``) of ``run``,
    due ``workdays`` working days from today. Only a county supervisor over the unit."""
    unit = run.unit
    perms.require(perms.can_supervise(actor, unit), "只有县级督查可以下发整改通知书")
    fixes = list((run.findings or {}).get("fixes") or [])
    errors: dict[str, list[str]] = {}
    chosen = sorted({i for i in picked if isinstance(i, int) and 0 <= i < len(fixes)})
    if not chosen:
        errors["problems"] = ["请至少勾选一个要整改的问题"]
    try:
        days = int(str(workdays).strip())
    except ValueError:
        days = 0
    longest = max_workdays()
    if not 1 <= days <= longest:
        errors["workdays"] = [f"整改期限应为 1 到 {longest} 个工作日"]
    if errors:
        raise ValidationFailed(errors)
    today = timezone.localdate()
    try:
        due = add_workdays(today, days)
    except CalendarNotLoaded as exc:
        raise ValidationFailed({"workdays": [f"工作日历未导入，无法计算整改期限：{exc.message}"]}) from None
    county = county_of(unit)
    keep = ("check_id", "check", "kind_label", "message", "fix", "target")
    problems = [{k: str(fixes[i].get(k, "")) for k in keep} for i in chosen]
    with transaction.atomic():
        Org.objects.select_for_update().filter(pk=county.pk).first()  # one serial at a time per county
        serial = (Rectification.objects.filter(county=county, year=today.year).aggregate(m=Max("serial"))["m"] or 0) + 1
        number = NUMBER_FORMAT.format(prefix=_short(county), year=today.year, serial=serial)
        try:
            with transaction.atomic():
                notice = Rectification.objects.create(
                    unit=unit,
                    county=county,
                    year=today.year,
                    serial=serial,
                    number=number,
                    run=run,
                    problems=problems,
                    workdays=days,
                    due_date=due,
                    issued_by=actor,
                )
        except IntegrityError:  # another supervisor took the serial in the same instant (SQLite has no row lock)
            raise ValidationFailed({"__all__": ["文号已被同时下发的通知书占用，请再提交一次"]}) from None
        audit.record(
            Action.RECTIFY_ISSUE,
            actor=actor,
            obj=notice,
            org_code=unit.code,
            to_state=notice.status,
            comment=number,
            changes={"problems": len(problems), "due_date": [None, due.isoformat()]},
        )
    return notice


# --------------------------------------------------------------------------- the steps after issuing


def _unit_admin(user: Any, notice: Rectification) -> bool:
    return perms.can_manage_unit(user, notice.unit)


def _supervisor(user: Any, notice: Rectification) -> bool:
    return perms.can_supervise(user, notice.unit)


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    who: Callable[[Any, Rectification], bool]
    denied: str
    text_label: str  # what the step's text is: the form's label and the error's wording

    def allows(self, notice: Rectification, user: Any) -> bool:
        return notice.status in self.sources and bool(self.who(user, notice))


TRANSITIONS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("answer", "报送整改情况", frozenset({S.ISSUED}), S.ANSWERED, _unit_admin,
             "只有被督查单位的公开办管理员可以报送整改情况", "整改情况"),
        Step("return", "退回重改", frozenset({S.ANSWERED}), S.ISSUED, _supervisor,
             "只有县级督查可以退回整改", "退回理由"),
        Step("close", "销号", frozenset({S.ANSWERED}), S.CLOSED, _supervisor,
             "只有县级督查可以销号", "销号意见"),
    )
}  # fmt: skip


def allowed_steps(notice: Rectification, user: Any) -> list[Step]:
    return [s for s in TRANSITIONS.values() if s.allows(notice, user)]


def take(*, actor: Any, notice: Rectification, step: str, text: str) -> Rectification:
    """Take ``step`` (``TRANSITIONS``) with its text: the unit's 整改情况, the county's 退回理由 or 销号意见."""
    rule = TRANSITIONS.get(step)
    if rule is None:
        raise InvalidTransition("未知的整改操作，请刷新页面后重试", field="step")
    text = _text(text, "text", rule.text_label)
    with transaction.atomic():
        notice = Rectification.objects.select_for_update().select_related("unit").get(pk=notice.pk)
        if not rule.who(actor, notice):
            raise NotAllowed(rule.denied)
        if notice.status not in rule.sources:
            raise InvalidTransition(f"通知书当前为“{notice.get_status_display()}”，不能{rule.label}", field="status")
        before, now = notice.status, timezone.now()
        if step == "answer":
            notice.answer, notice.answered_by, notice.answered_at = text, actor, now
        elif step == "return":
            notice.return_reason, notice.rounds = text, notice.rounds + 1
        else:
            notice.close_note, notice.closed_by, notice.closed_at = text, actor, now
        notice.status = rule.target
        notice.save()
        audit.record(
            Action.RECTIFY_ANSWER
            if step == "answer"
            else Action.RECTIFY_RETURN
            if step == "return"
            else Action.RECTIFY_CLOSE,
            actor=actor,
            obj=notice,
            org_code=notice.unit.code,
            from_state=before,
            to_state=notice.status,
            comment=text[:200],
        )
    return notice


# --------------------------------------------------------------------------- re-check


def _keys(problem: dict[str, Any]) -> set[tuple[str, str]]:
    """What identifies a problem across runs: its check (by id, and by name for runs recorded before fixes carried
    the id) and what it is about (the entry, column or page; the message when it names no target)."""
    where = str(problem.get("target") or problem.get("message", ""))
    return {(str(check), where) for check in (problem.get("check_id"), problem.get("check")) if check}


def still_found(notice: Rectification) -> tuple[InspectionRun | None, list[bool | None]]:
    """The newest self-inspection of the unit after the notice was answered (or issued), and for each problem of
    the notice whether that run still reports it (same check, same entry/column/page); None without such a run."""
    since = notice.answered_at or notice.issued_at
    run = InspectionRun.objects.filter(unit=notice.unit, ran_at__gt=since).order_by("-ran_at", "-id").first()
    if run is None:
        return None, [None] * len(notice.problems)
    present = {key for p in (run.findings or {}).get("fixes") or [] for key in _keys(p)}
    return run, [bool(_keys(p) & present) for p in notice.problems]


# --------------------------------------------------------------------------- the notice as a document


def letter(notice: Rectification) -> OfficialLetter:
    """The 督查整改通知书 as an official letter."""
    paragraphs = [
        f"根据{notice.issued_at:%Y年%m月%d日}对你单位政府网站和政务公开工作的检查"
        f"（《政府网站与政务新媒体检查指标》、基层政务公开标准目录），发现以下问题：",
    ]
    for n, p in enumerate(notice.problems, start=1):
        fix = f"整改要求：{p['fix']}。" if p.get("fix") else ""
        paragraphs.append(f"{n}. 【{p.get('check', '')}】{p.get('message', '')}。{fix}")
    paragraphs += [
        f"请于{notice.due_date:%Y年%m月%d日}前（{notice.workdays}个工作日内）完成整改，并在政务公开平台“网站自查”中"
        "报送整改情况。逾期未整改的，将在政务公开工作通报中列出。",
        "特此通知。",
    ]
    county_name = notice.county.name
    return OfficialLetter(
        title="政务公开督查整改通知书",
        number=notice.number,
        salutation=f"{notice.unit.name}：",
        paragraphs=paragraphs,
        issuer=f"{county_name}办公室" if county_name.endswith("政府") else county_name,
        day=timezone.localtime(notice.issued_at).date(),
    )


def overdue(units: list[Org], today: date | None = None) -> dict[int, int]:
    """Unit id → notices past their deadline and not yet answered (or returned and not answered again)."""
    today = today or timezone.localdate()
    rows = Rectification.objects.filter(unit__in=units, status=S.ISSUED, due_date__lt=today)
    return dict(rows.values("unit_id").annotate(n=Count("pk")).order_by().values_list("unit_id", "n"))


def render_notice(user: Any, params: dict[str, Any]) -> Any:
    """``documents.jobs`` renderer "rectification": the notice as PDF or DOCX, for those who may see it."""
    from gongkai.documents.docx import letter_docx, letter_html
    from gongkai.documents.jobs import Rendered
    from gongkai.documents.pdf import render_pdf

    notice = Rectification.objects.select_related("unit", "county").get(pk=int(params["pk"]))
    perms.require(may_see(user, notice), "您不能查看这份整改通知书")
    doc = letter(notice)
    name = f"{notice.number}整改通知书"
    if params.get("format") == "docx":
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return Rendered(letter_docx(doc), f"{name}.docx", mime)
    return Rendered(render_pdf(letter_html(doc)), f"{name}.pdf", "application/pdf")


def may_see(user: Any, notice: Rectification) -> bool:
    return perms.can_manage_unit(user, notice.unit) or perms.can_supervise(user, notice.unit)


def bulletin_overdue(units: list[Org], start: date, end: date) -> dict[int, int]:
    """The bulletin's 逾期未整改 figure: notices of each unit not reported by their deadline, as of the period's
    end (or today, for the current period), by their present state."""
    as_of = min(end + timedelta(days=1), timezone.localdate())
    found = overdue(units, as_of)
    return {u.pk: found.get(u.pk, 0) for u in units}
