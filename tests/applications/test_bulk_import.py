"""The applications' bulk import of historical cases (applications.bulk): all or nothing, tracking numbers in
order of receipt and never reused, one audit event per case plus one for the import, and the ledger, clock
and reply a case entered by hand gets."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.applications import bulk, clock, intake, replies
from gongkai.applications.choices import EventKind, Status
from gongkai.applications.models import Application, Counter, Reply
from gongkai.core import audit
from gongkai.core.errors import NotAllowed, RowProblem, RowsRejected, ValidationFailed
from gongkai.core.models import AuditEvent
from tests.applications.conftest import applicant


def row(n: int, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "row": n,
        "received_date": date(2025, 3, 3),
        "channel": "in_person",
        "applicant_type": "natural_person",
        "result": "granted",
        "replied_date": date(2025, 3, 20),
    }
    out.update(fields)
    return out


@pytest.fixture
def admin(people: dict[str, Any], today: Any) -> Any:
    today(date(2026, 1, 20))
    return people["admin"]


def test_one_bad_row_writes_nothing(tree: Any, admin: Any) -> None:
    audit_before = AuditEvent.objects.count()
    with pytest.raises(RowsRejected) as exc:
        bulk.import_cases(actor=admin, unit=tree.town, rows=[row(2), row(3, channel="pigeon"), row(4)])
    assert [(p.row, p.field) for p in exc.value.problems] == [(3, "channel")]
    assert not Application.objects.exists()
    assert not Counter.objects.filter(unit=tree.town).exists()
    assert AuditEvent.objects.count() == audit_before


def test_every_problem_listed_with_the_services_own_messages(tree: Any, admin: Any) -> None:
    rows = [
        row(2, received_date=None, applicant_type="alien"),
        row(3, submitted_date=date(2025, 3, 4)),
        row(4, result="whatever"),
        row(5, replied_date=date(2025, 3, 1)),
        row(6, replied_date=None),
        row(7, result=None),
        row(8, tracking_number="OLD-1"),
        row(9, tracking_number="OLD-1", received_date=date(2026, 2, 1), replied_date=None, result=None),
    ]
    problems = bulk.check_cases(rows=rows)
    assert [(p.row, p.field) for p in problems] == [
        (2, "received_date"),
        (2, "applicant_type"),
        (3, "submitted_date"),
        (4, "result"),
        (5, "replied_date"),
        (6, "replied_date"),
        (7, "result"),
        (9, "received_date"),
        (9, "tracking_number"),
    ]
    messages = {(p.row, p.field): p.message for p in problems}
    # the intake's and the reply's own checks, not copies of them
    assert messages[(3, "submitted_date")] == intake.receipt_order_error(date(2025, 3, 4), date(2025, 3, 3))
    assert messages[(2, "applicant_type")] == intake.applicant_type_error("alien")
    assert messages[(4, "result")] == replies.NO_RESULT
    assert messages[(9, "received_date")] == "收到申请日期不能晚于今天（2026-01-20）"
    assert "与第 8 行重复" in messages[(9, "tracking_number")]


def test_reply_date_check_is_the_reply_services(tree: Any, admin: Any, receive: Any, today: Any) -> None:
    app = receive(date(2025, 3, 3))
    with pytest.raises(ValidationFailed) as exc:
        replies.reply(actor=admin, application=app, result="granted", on=date(2025, 3, 1))
    (problem,) = bulk.check_cases(rows=[row(2, replied_date=date(2025, 3, 1))])
    assert problem == RowProblem(2, "replied_date", exc.value.errors["on"][0])


def test_tracking_numbers_in_order_of_receipt_and_never_reused(tree: Any, admin: Any, receive: Any) -> None:
    first = receive(date(2025, 2, 3))
    assert first.tracking_number == "YSQ-QH0101-2025-00001"
    rows = [
        row(2, received_date=date(2025, 5, 6), replied_date=date(2025, 5, 12)),
        row(3, received_date=date(2025, 3, 3), tracking_number="OLD-2025-7"),
        row(4, received_date=date(2025, 4, 1), replied_date=date(2025, 4, 15)),
        row(5, received_date=date(2024, 12, 30), replied_date=date(2025, 1, 6)),
    ]
    done = bulk.import_cases(actor=admin, unit=tree.town, rows=rows)
    assert (done.created, done.open_cases) == (4, 0)
    numbers = dict(Application.objects.exclude(pk=first.pk).values_list("received_on", "tracking_number"))
    assert numbers == {
        date(2025, 4, 1): "YSQ-QH0101-2025-00002",
        date(2025, 5, 6): "YSQ-QH0101-2025-00003",
        date(2025, 3, 3): "OLD-2025-7",
        date(2024, 12, 30): "YSQ-QH0101-2024-00001",
    }
    assert receive(date(2026, 1, 19)).tracking_number == "YSQ-QH0101-2026-00001"
    with pytest.raises(RowsRejected) as exc:
        bulk.import_cases(actor=admin, unit=tree.town, rows=[row(2, tracking_number="OLD-2025-7")])
    assert exc.value.problems[0].message == "申请编号 OLD-2025-7 已在平台上"


def test_one_audit_event_per_case_and_one_for_the_import(tree: Any, admin: Any) -> None:
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    bulk.import_cases(
        actor=admin, unit=tree.town, rows=[row(2), row(3, result=None, replied_date=None)], source="台账.xlsx"
    )
    events = list(AuditEvent.objects.filter(id__gt=before).order_by("id"))
    apps = list(Application.objects.order_by("id"))
    assert [e.action for e in events] == ["application.enter", "application.enter", "application.import"]
    assert [e.object_id for e in events[:2]] == [str(a.pk) for a in apps]
    assert [e.to_state for e in events[:2]] == [Status.REPLIED, Status.IN_PROGRESS]
    assert "台账.xlsx 第 3 行" in events[1].comment
    assert events[2].changes == {"file": "台账.xlsx", "rows": 2, "open": 1}
    assert audit.verify() == []


def test_ledger_and_clock_as_for_a_case_entered_by_hand(tree: Any, admin: Any, today: Any) -> None:
    today(date(2026, 1, 12))
    by_hand, _ = intake.enter_application(
        actor=admin, unit=tree.town, data=applicant(), channel="letter_registered", received_on=date(2026, 1, 5)
    )
    answered, _ = intake.enter_application(
        actor=admin, unit=tree.town, data=applicant(), channel="in_person", received_on=date(2025, 3, 3)
    )
    replies.reply(actor=admin, application=answered, result="granted", on=date(2025, 3, 20))
    answered.refresh_from_db()
    bulk.import_cases(
        actor=admin,
        unit=tree.town,
        rows=[
            row(2, channel="letter_registered", received_date=date(2026, 1, 5), result=None, replied_date=None),
            row(3),
        ],
    )
    still_open, closed = Application.objects.filter(name="（历史数据导入）").order_by("received_on").reverse()
    for mine, theirs in ((still_open, by_hand), (closed, answered)):
        assert (mine.status, mine.received_on, mine.due_date, mine.closed_on, mine.clock_warning) == (
            theirs.status,
            theirs.received_on,
            theirs.due_date,
            theirs.closed_on,
            theirs.clock_warning,
        )
        assert clock.state_of(mine).due_date == mine.due_date  # the cache agrees with the ledger
    assert still_open.status == Status.IN_PROGRESS and still_open.due_date == date(2026, 2, 2)
    mine_reply = closed.events.get(kind=EventKind.REPLIED)
    theirs_reply = answered.events.get(kind=EventKind.REPLIED)
    assert (mine_reply.detail, mine_reply.data) == (theirs_reply.detail, theirs_reply.data)
    assert Reply.objects.get(application=closed).result_id == "granted"


def test_only_the_unit_admin_imports(tree: Any, people: dict[str, Any], admin: Any) -> None:
    for actor in (people["drafter"], people["street_admin"], people["supervisor"]):
        with pytest.raises(NotAllowed):
            bulk.import_cases(actor=actor, unit=tree.town, rows=[row(2)])
    assert not Application.objects.exists()
