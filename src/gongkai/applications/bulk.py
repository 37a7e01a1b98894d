"""Bulk writes on applications: historical cases (依申请公开) brought in from an old ledger or spreadsheet, so
that the annual report's table 三 carries over and open cases keep their statutory clock.

``import_cases`` checks every row first — with the intake and reply services' own checks (``intake.py``,
``replies.py``) — and lists every problem; only rows without any are written, in one transaction: tracking
numbers through ``numbering.next_serials`` (numbers the old system issued are kept), one ledger per case
(收到申请, and 作出答复 for a closed case) whose state ``clock.compute`` turns into the cached status and
deadline (Art. 33, as for a case entered by hand), the replies, one audit event per case and one for the
import. Historical cases have no applicant data: the file only says what table 三 counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.bulk import Track, gc_paused, row_date, untracked
from gongkai.core.errors import RowProblem, RowsRejected
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import clock, numbering
from .choices import Channel, Delivery, EventKind, IdType, InfoForm
from .intake import applicant_type_error, future_error, receipt_order_error
from .models import Application, ClockEvent, Reply, ResultCode
from .replies import NO_RESULT, reply_date_error, reply_detail

#: The fields of a row, in the order their problems are listed.
FIELDS = (
    "received_date",
    "submitted_date",
    "channel",
    "applicant_type",
    "result",
    "replied_date",
    "tracking_number",
    "description",
)
BATCH = 1000
NOTE = "历史数据导入"
NO_DESCRIPTION = "（历史数据导入，未记录申请内容）"
_CHANNELS = frozenset(Channel.values)


@dataclass
class CaseImport:
    created: int = 0
    open_cases: int = 0


def require_importer(actor: Any, unit: Org) -> None:
    perms.require_history_importer(actor, unit)


@dataclass
class _Plan:
    items: list[dict[str, Any]]
    problems: list[RowProblem]
    codes: dict[str, ResultCode]


def _check(rows: Sequence[Mapping[str, Any]], track: Track) -> _Plan:
    codes = {c.key: c for c in ResultCode.objects.all()}
    given = {str(r.get("tracking_number") or "").strip() for r in rows} - {""}
    existing = _numbers_in_use(given)
    seen: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for position, row in enumerate(track(rows, "校验"), start=1):
        number = int(row.get("row") or position)
        found: list[RowProblem] = []

        def bad(column: str, message: str, number: int = number, found: list[RowProblem] = found) -> None:
            found.append(RowProblem(number, column, message))

        received, message = row_date(row.get("received_date"))
        if message := message or (
            "收到申请日期不能为空" if received is None else future_error(received, "收到申请日期")
        ):
            bad("received_date", message)
        submitted, message = row_date(row.get("submitted_date"))
        submitted = submitted or received
        if not message and submitted and received:
            message = receipt_order_error(submitted, received)
        if message:
            bad("submitted_date", message)
        channel = row.get("channel")
        if channel not in _CHANNELS:
            bad("channel", "请选择申请渠道（如 网上申请、信函、当面、政务服务窗口、传真、电子邮件）")
        applicant_type = row.get("applicant_type") or ""
        if message := applicant_type_error(applicant_type):
            bad("applicant_type", message)
        result = row.get("result") or None
        if result and result not in codes:
            bad("result", NO_RESULT)
        replied, message = row_date(row.get("replied_date"))
        if not message and replied:
            message = future_error(replied, "答复日期") or (received and reply_date_error(received, replied)) or None
        if message:
            bad("replied_date", message)
        if result and not replied and not message:
            bad("replied_date", "有办理结果的，须填写答复日期（仍在办理的两项都不填）")
        if replied and not result:
            bad("result", "有答复日期的，须填写办理结果（仍在办理的两项都不填）")
        tracking = str(row.get("tracking_number") or "").strip()
        if tracking:
            if tracking in existing:
                bad("tracking_number", f"申请编号 {tracking} 已在平台上")
            elif tracking in seen:
                bad("tracking_number", f"申请编号 {tracking} 与第 {seen[tracking]} 行重复")
            elif len(tracking) > 60:
                bad("tracking_number", "申请编号不能超过 60 个字符")
            seen.setdefault(tracking, number)
        if found:
            problems.extend(found)
            continue
        items.append(
            {
                "row": number,
                "received": received,
                "submitted": submitted,
                "channel": channel,
                "applicant_type": applicant_type,
                "result": result,
                "replied": replied,
                "tracking": tracking,
                "description": str(row.get("description") or "").strip() or NO_DESCRIPTION,
            }
        )
    return _Plan(items, problems, codes)


def _numbers_in_use(numbers: set[str]) -> set[str]:
    wanted = sorted(numbers)
    used: set[str] = set()
    for i in range(0, len(wanted), 900):
        used.update(
            Application.objects.filter(tracking_number__in=wanted[i : i + 900]).values_list(
                "tracking_number", flat=True
            )
        )
    return used


@gc_paused()
def check_cases(*, rows: Sequence[Mapping[str, Any]], progress: Track | None = None) -> list[RowProblem]:
    """Every problem ``import_cases`` would find in ``rows``; writes nothing."""
    return _check(rows, progress or untracked).problems


@gc_paused()
def import_cases(
    *,
    actor: Any,
    unit: Org,
    rows: Sequence[Mapping[str, Any]],
    source: str = "",
    progress: Track | None = None,
) -> CaseImport:
    """Import historical cases: one per row, closed with its reply when the row has a ``result`` (a key of
    table 三) and a ``replied_date``, still open (with its deadline) when it has neither. All or nothing:
    ``RowsRejected`` lists every problem.

    A row is a mapping with the keys of ``FIELDS`` (dates as dates or None; ``channel`` a ``Channel``
    value, ``applicant_type`` an ``ApplicantType`` value) and ``row``, the number its problems are reported
    under (default: its position, from 1). Rows without a tracking number get the next ones of the year
    submitted, in order of receipt.
    """
    require_importer(actor, unit)
    track = progress or untracked
    plan = _check(rows, track)
    if plan.problems:
        raise RowsRejected(plan.problems)
    if not plan.items:
        raise RowsRejected([RowProblem(0, "", "没有可导入的数据行")])
    today = timezone.localdate()
    with transaction.atomic():
        _issue_numbers(unit, plan.items)
        apps: list[Application] = []
        ledgers: list[list[ClockEvent]] = []
        answers: list[Reply] = []
        for item in track(plan.items, "写入"):
            app, events = _case(actor, unit, item, plan.codes, today)
            apps.append(app)
            ledgers.append(events)
            if item["result"]:
                answers.append(
                    Reply(application=app, result_id=item["result"], replied_on=item["replied"], content=NOTE)
                )
        Application.objects.bulk_create(apps, batch_size=BATCH)
        ClockEvent.objects.bulk_create([ev for events in ledgers for ev in events], batch_size=BATCH)
        Reply.objects.bulk_create(answers, batch_size=BATCH)
        where = f"{source} " if source else ""
        audit.record_many(
            Action.APPLICATION_ENTER,
            (
                audit.Pending(
                    app,
                    to_state=app.status,
                    comment=f"{app.tracking_number} {NOTE}（{where}第 {item['row']} 行）",
                    changes={"channel": app.channel, "result": item["result"]},
                )
                for app, item in zip(apps, plan.items, strict=True)
            ),
            actor=actor,
            org_code=unit.code,
        )
        result = CaseImport(created=len(apps), open_cases=sum(not app.is_closed for app in apps))
        audit.record(
            Action.APPLICATION_IMPORT,
            actor=actor,
            obj=unit,
            org_code=unit.code,
            changes={"file": source, "rows": result.created, "open": result.open_cases},
        )
    return result


def _issue_numbers(unit: Org, items: list[dict[str, Any]]) -> None:
    """Tracking numbers for rows without one: the next serials of the year submitted, in order of receipt."""
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if not item["tracking"]:
            by_year[item["submitted"].year].append(item)
    for year, waiting in by_year.items():
        waiting.sort(key=lambda it: (it["received"], it["row"]))
        serials = numbering.next_serials(unit, year, "tracking", len(waiting))
        for item, serial in zip(waiting, serials, strict=True):
            item["tracking"] = numbering.tracking_number(unit, year, serial)
            item["year"], item["serial"] = year, serial


def _case(
    actor: Any, unit: Org, item: dict[str, Any], codes: dict[str, ResultCode], today: date
) -> tuple[Application, list[ClockEvent]]:
    """The case (unsaved) with its ledger; the cached status and deadline come from the clock."""
    app = Application(
        unit=unit,
        tracking_number=item["tracking"],
        tracking_year=item.get("year", item["submitted"].year),
        tracking_serial=item.get("serial", 0),
        query_code_hash=numbering.hash_code(item["tracking"], numbering.new_query_code()),
        channel=item["channel"],
        submitted_on=item["submitted"],
        applicant_type=item["applicant_type"],
        name="（历史数据导入）",
        id_type=IdType.OTHER,
        id_number="",
        description=item["description"],
        info_form=InfoForm.PAPER,
        delivery=Delivery.PICKUP,
        created_by=actor,
    )
    events = [ClockEvent(application=app, kind=EventKind.RECEIVED, on=item["received"], detail=NOTE)]
    if item["result"]:
        code = codes[item["result"]]
        events.append(
            ClockEvent(
                application=app,
                kind=EventKind.REPLIED,
                on=item["replied"],
                detail=reply_detail(code),
                data={"result": code.key},
            )
        )
    for key, value in clock.cache_columns(clock.compute(app, events, today)).items():
        setattr(app, key, value)
    return app, events
