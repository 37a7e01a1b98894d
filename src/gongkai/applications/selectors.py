"""Reads: what a user may see, dashboards, and the yearly counts of table 三 and table 四 (SQL aggregates)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai import rules
from gongkai.catalog.models import EntryStatus
from gongkai.orgs.models import Org
from gongkai.workdays.calendar import CalendarNotLoaded, add_workdays

from . import access, clock, remedies
from .choices import CHANNEL_REPORT_KEY, OPEN_STATUSES, REPORT_COLUMNS, AppealKind, AppealOutcome, EventKind, Status
from .models import Appeal, ApplicantMail, Application, ProactiveLink, ResultCode
from .numbering import code_matches


def handled_cases(user: Any) -> QuerySet[Application]:
    """Cases whose applicant data the user may see: those of the units they handle."""
    return Application.objects.filter(unit_id__in=access.handling_unit_ids(user)).select_related("unit")


def supervised_cases(user: Any) -> QuerySet[Application]:
    """Cases a supervisor may count and follow (status only): the units below their grant."""
    return Application.objects.filter(unit_id__in=access.supervised_unit_ids(user)).select_related("unit")


def case_for(user: Any, pk: int) -> tuple[Application | None, bool]:
    """(case, may_see_personal). ``None`` when the user may not see the case at all."""
    app = Application.objects.select_related("unit", "unit__parent").filter(pk=pk).first()
    if app is None:
        return None, False
    if access.can_handle(user, app.unit):
        return app, True
    if access.can_see_status(user, app.unit):
        return app, False
    return None, False


def due_soon_limit(today: date | None = None) -> date | None:
    """The last due date that counts as "due soon" (rule ``due_soon``, a platform threshold)."""
    try:
        return add_workdays(today or timezone.localdate(), rules.get("due_soon").workdays)
    except CalendarNotLoaded:
        return None


def due_soon_label() -> str:
    return f"{rules.get('due_soon').text}内到期"


@dataclass
class Dashboard:
    pending: int
    due_soon: int
    overdue: int
    awaiting_correction: int
    in_consultation: int
    awaiting_fee: int
    open_total: int


def dashboard_filters(today: date | None = None) -> dict[str, Q]:
    today = today or timezone.localdate()
    limit = due_soon_limit(today)
    running = Q(status__in=[Status.IN_PROGRESS, Status.IN_CONSULTATION, Status.AWAITING_FEE])
    return {
        "pending": Q(status=Status.PENDING),
        "due_soon": running & Q(due_date__gte=today) & (Q(due_date__lte=limit) if limit else Q(pk__in=[])),
        "overdue": Q(status__in=OPEN_STATUSES) & Q(due_date__lt=today),
        "awaiting_correction": Q(status=Status.AWAITING_CORRECTION),
        "in_consultation": Q(status=Status.IN_CONSULTATION),
        "awaiting_fee": Q(status=Status.AWAITING_FEE),
        "open_total": Q(status__in=OPEN_STATUSES),
    }


def dashboard(qs: QuerySet[Application], today: date | None = None) -> Dashboard:
    filters = dashboard_filters(today)
    counts = qs.aggregate(**{k: Count("pk", filter=f) for k, f in filters.items()})
    return Dashboard(**{k: int(v or 0) for k, v in counts.items()})


def _zero_row() -> list[int]:
    return [0] * len(REPORT_COLUMNS)


def _fill(row: list[int], rows: list[dict[str, Any]]) -> None:
    for item in rows:
        idx = REPORT_COLUMNS.index(item["applicant_type"])
        row[idx] += item["n"]
    row[-1] = sum(row[:-1])


def counts_for_year(unit: Org | int, year: int, *, include_subunits: bool = False) -> dict[str, Any]:
    """Table 三 of the annual report for ``unit`` and ``year``, in the JSON shape of issue 5.

    A case counts from its receipt date (Art. 31): ``new`` = received in the year; ``carried_in`` =
    received before it and not closed before 1 January; each result row = replied in the year;
    ``carried_over`` = received by 31 December and not closed by then. So a letter signed for on
    2025-12-31 and answered on 2026-01-16 is new and carried over in 2025, carried in and handled in 2026.
    Cases never received (pending, or transferred before receipt) are not counted.
    """
    unit_id = unit if isinstance(unit, int) else unit.pk
    qs = Application.objects.filter(received_on__isnull=False)
    if include_subunits:
        org = Org.objects.get(pk=unit_id)
        qs = qs.filter(unit__in=org.subtree())
    else:
        qs = qs.filter(unit_id=unit_id)
    start, end = date(year, 1, 1), date(year, 12, 31)
    by_type = ("applicant_type",)

    def grouped(q: QuerySet[Application]) -> list[dict[str, Any]]:
        return list(q.values(*by_type).annotate(n=Count("pk")).order_by())

    rows: dict[str, list[int]] = {}
    rows["new"] = _zero_row()
    _fill(rows["new"], grouped(qs.filter(received_on__range=(start, end))))
    rows["carried_in"] = _zero_row()
    _fill(
        rows["carried_in"],
        grouped(qs.filter(received_on__lt=start).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))),
    )
    keys = list(ResultCode.objects.order_by("sort_order").values_list("key", flat=True))
    for key in keys:
        rows[key] = _zero_row()
    replied = (
        qs.filter(reply__replied_on__range=(start, end))
        .values("applicant_type", "reply__result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in replied:
        row = rows.setdefault(str(item["reply__result"]), _zero_row())
        row[REPORT_COLUMNS.index(item["applicant_type"])] += item["n"]
    for key in keys:
        rows[key][-1] = sum(rows[key][:-1])
    rows["total_handled"] = [sum(rows[k][i] for k in keys) for i in range(len(REPORT_COLUMNS))]
    rows["carried_over"] = _zero_row()
    _fill(
        rows["carried_over"],
        grouped(qs.filter(received_on__lte=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))),
    )
    return {"columns": list(REPORT_COLUMNS), "rows": rows}


def _cases_of(unit: Org | int, include_subunits: bool) -> QuerySet[Application]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    if include_subunits:
        return Application.objects.filter(unit__in=Org.objects.get(pk=unit_id).subtree())
    return Application.objects.filter(unit_id=unit_id)


def channel_counts_for_year(unit: Org | int, year: int, *, include_subunits: bool = False) -> dict[str, int]:
    """New applications of the year by channel, keyed as the annual report's ``by_channel``."""
    out = dict.fromkeys(("online", "letter", "in_person", "service_window", "fax", "email", "other"), 0)
    rows = (
        _cases_of(unit, include_subunits)
        .filter(received_on__year=year)
        .values("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        out[CHANNEL_REPORT_KEY.get(row["channel"], "other")] += row["n"]
    return out


#: How table 四 counts appeals that span years (issue 16 item 8). ``carry`` (default, the common practice): a year
#: shows the appeals filed in it, plus those filed earlier and still undecided when it began — with the outcome
#: they have on 31 December, so a case filed last year and decided this year appears with its outcome this
#: year, and one still pending appears as 尚未审结 in both. ``filed``: only appeals filed in the year.
APPEAL_COUNTING_RULES = {
    "carry": "表四统计本年提起的行政复议、行政诉讼，以及以前年度提起、本年初尚未审结的案件；结果按12月31日的状态统计，"
    "跨年度审结的案件在审结年度按其结果统计，截至年底仍未审结的在各年度均计入“尚未审结”。",
    "filed": "表四只统计本年提起的行政复议、行政诉讼，结果按12月31日的状态统计，以后年度审结的不再计入。",
}


def appeal_counting() -> str:
    rule = str(getattr(settings, "GONGKAI_APPEAL_COUNTING", "carry") or "carry")
    return rule if rule in APPEAL_COUNTING_RULES else "carry"


def appeal_counts_for_year(unit: Org | int, year: int, *, include_subunits: bool = False) -> dict[str, dict[str, int]]:
    """Table 四 by the counting rule of ``appeal_counting()``; outcome as of 31 December (undecided → 尚未审结)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    decided = Q(decided_on__isnull=False, decided_on__lte=end)
    counted = Q(filed_on__year=year)
    if appeal_counting() == "carry":
        # filed before the year and not decided before it began (decided this year, later, or not at all)
        counted |= Q(filed_on__lt=start) & (Q(decided_on__isnull=True) | Q(decided_on__gte=start))
    rows = (
        Appeal.objects.filter(application__in=_cases_of(unit, include_subunits))
        .filter(counted)
        .values("kind")
        .annotate(
            upheld=Count("pk", filter=decided & Q(outcome=AppealOutcome.UPHELD)),
            corrected=Count("pk", filter=decided & Q(outcome=AppealOutcome.CORRECTED)),
            other=Count("pk", filter=decided & Q(outcome=AppealOutcome.OTHER)),
            total=Count("pk"),
        )
        .order_by()
    )
    out = {k: {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0} for k in AppealKind.values}
    for row in rows:
        group = out[row["kind"]]
        for key in ("upheld", "corrected", "other", "total"):
            group[key] += row[key]
        group["pending"] = group["total"] - group["upheld"] - group["corrected"] - group["other"]
    return out


def find_by_tracking(tracking: str, code: str) -> Application | None:
    """The case whose number and query code match (constant-time), or None — never says which failed."""

    app = Application.objects.select_related("unit").filter(tracking_number=tracking.strip().upper()).first()
    if app is None:
        code_matches(tracking, code, "0" * 64)  # same work either way: no timing oracle on numbers
        return None
    return app if code_matches(app.tracking_number, code, app.query_code_hash) else None


def public_status(app: Application) -> dict[str, Any]:
    """What the applicant sees after the code matched: status and dates, no personal data."""
    reply = getattr(app, "reply", None)
    forward = app.transfers.select_related("unit").first()
    return {
        "tracking_number": app.tracking_number,
        "unit": app.unit.name,
        "status": app.status,
        "status_label": app.get_status_display(),
        "submitted_on": app.submitted_on.isoformat(),
        "received_on": app.received_on.isoformat() if app.received_on else None,
        "due_date": app.due_date.isoformat() if app.due_date and not app.is_closed else None,
        "replied_on": reply.replied_on.isoformat() if reply else None,
        "result": reply.result.group_label if reply else None,
        # 逾期未答复: the remedy the applicant has now (Art. 51; 复议前置 since 2024, 行政复议法 Art. 23(1)(3))
        "overdue_remedy": remedies.overdue_wording(app),
        "transferred_to": (
            {
                "unit": forward.unit.name,
                "tracking_number": forward.tracking_number,
                "status_label": forward.get_status_display(),
            }
            if forward
            else None
        ),
    }


#: What each ledger event did to the answer period, in the applicant's words (Arts. 30, 32–34; 国办函〔2020〕109号).
PUBLIC_EFFECTS: dict[str, str] = {
    EventKind.SUBMITTED: "申请已提交，等待受理机关确认收到",
    EventKind.RECEIVED: "受理机关收到申请，自次日起计算答复期限",
    EventKind.CORRECTION_REQUESTED: "申请内容需要补正：收到补正材料之前不计算答复期限",
    EventKind.CORRECTION_RECEIVED: "收到补正材料，答复期限自次日起重新计算",
    EventKind.CONSULTATION_STARTED: "征求第三方或其他机关意见：征求意见的时间不计算在答复期限内",
    EventKind.CONSULTATION_DELIVERED: "征求意见书已送达",
    EventKind.CONSULTATION_ENDED: "征求意见结束，答复期限恢复计算",
    EventKind.EXTENSION: "经批准延长答复期限",
    EventKind.REASONABLE_PERIOD: "申请数量、频次明显超过合理范围，受理机关确定了延迟答复的合理期限（第三十五条）",
    EventKind.FEE_NOTICE: "发出收费通知：缴费期间不计算在答复期限内",
    EventKind.FEE_PAID: "已缴费，答复期限恢复计算",
    EventKind.REPLIED: "作出答复，办理结束",
    EventKind.TRANSFERRED: "转送其他机关办理",
}


def public_timeline(app: Application) -> list[dict[str, Any]]:
    """The case's steps for the applicant: date, what happened and what it did to the deadline — from the same
    clock the staff page explains, but without the staff's notes, names or third parties."""
    out = []
    for line in clock.state_of(app).lines:
        effect = PUBLIC_EFFECTS.get(line.kind, "")
        if line.paused:
            effect += f"（暂停 {line.paused} 个工作日，不计入答复期限）"
        if line.added:
            effect += f"（延长 {line.added} 个工作日）"
        out.append({"on": line.on, "label": str(EventKind(line.kind).label), "effect": effect})
    return out


def result_codes() -> list[ResultCode]:
    """The rows of table 三 (spec §2.3) with their labels, in the table's order."""
    return list(ResultCode.objects.order_by("sort_order"))


# ---- 依申请转主动 (Art. 44) ---------------------------------------------------------------------------------

#: How alike two requests must be to be offered as "相似申请": the Jaccard overlap of their character bigrams.
#: Not a legal threshold — a working one, set so that "2025年低保名单" and "今年低保对象名单" meet while two
#: unrelated requests of one township do not (tests/applications/test_promotion.py).
SIMILAR_THRESHOLD = 0.25
#: Art. 44 speaks of several applicants for the same information; how far apart they may be is not set by law.
#: A working window, not a statutory period, so it is not in the rules table: a year either side.
SIMILAR_WINDOW = timedelta(days=366)
SIMILAR_LIMIT = 5
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_STOP_BIGRAMS = frozenset({"申请", "公开", "政府", "信息", "关于", "相关", "有关", "提供", "我们", "本人", "希望"})


def _bigrams(text: str) -> frozenset[str]:
    s = _PUNCT.sub("", text or "")
    return frozenset(s[i : i + 2] for i in range(len(s) - 1)) - _STOP_BIGRAMS


def similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


@dataclass(frozen=True)
class Similar:
    application: Application
    score: float


def similar_cases(app: Application, *, limit: int = SIMILAR_LIMIT) -> list[Similar]:
    """Other cases of the same unit asking for like information (Art. 44), best first.

    Compared on 所需信息的内容描述 and 文号 within a year either side; at most a few thousand cases per unit and
    year, so the comparison runs in Python over one query of two columns. Kept on the instance: the case page
    and its 转主动公开 form both ask, within one request.
    """
    kept: dict[int, list[Similar]] = app.__dict__.setdefault("_similar_cases", {})
    if limit not in kept:
        kept[limit] = _similar_cases(app, limit)
    return kept[limit]


def _similar_cases(app: Application, limit: int) -> list[Similar]:
    start = app.submitted_on - SIMILAR_WINDOW
    end = app.submitted_on + SIMILAR_WINDOW
    text = f"{app.description} {app.document_number}"
    rows = (
        Application.objects.filter(unit_id=app.unit_id, submitted_on__range=(start, end))
        .exclude(pk=app.pk)
        .values_list("pk", "description", "document_number")
    )
    scored = sorted(
        ((similarity(text, f"{d} {n}"), pk) for pk, d, n in rows),
        key=lambda t: (-t[0], t[1]),
    )
    best = [(s, pk) for s, pk in scored if s >= SIMILAR_THRESHOLD][:limit]
    found = (
        Application.objects.select_related("unit")
        .prefetch_related("proactive_links__entry")
        .in_bulk([pk for _, pk in best])
    )
    return [Similar(found[pk], round(s, 2)) for s, pk in best if pk in found]


def applicant_mails(app: Application) -> list[ApplicantMail]:
    """The progress mails of a case (``notify``), oldest first, for its page."""
    return list(app.mails.order_by("created_at", "id"))


def proactive_links(app: Application) -> list[ProactiveLink]:
    return list(app.proactive_links.select_related("entry", "entry__category").order_by("created_at", "id"))


def promoted_count(unit: Org | int, year: int, *, include_subunits: bool = False) -> int:
    """Entries of ``year`` drafted from applications (Art. 44) that were published: the annual report's 一."""
    return (
        ProactiveLink.objects.filter(
            application__in=_cases_of(unit, include_subunits),
            kind=ProactiveLink.Kind.PROMOTED,
            entry__status=EntryStatus.PUBLISHED,
            entry__published_date__year=year,
        )
        .values("entry_id")
        .distinct()
        .count()
    )


def cases_for_entry(entry: Any, user: Any) -> list[ProactiveLink]:
    """The cases an entry came from or answers (Art. 44), for the entry's staff page: tracking number and status
    only, and only to staff of a unit that handles the cases (no applicant data on the entry page)."""
    rows = ProactiveLink.objects.filter(entry=entry).select_related("application", "application__unit")
    return [r for r in rows if access.can_handle(user, r.application.unit)]
