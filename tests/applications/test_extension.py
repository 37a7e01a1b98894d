"""Extension (Art. 33(2)): ≤ 20 working days in all, approved by the office head, applicant notified."""

from datetime import date

import pytest

from gongkai.applications import clock, handling
from gongkai.core.errors import ValidationFailed
from gongkai.workdays.calendar import add_workdays


def test_extension_adds_workdays(receive, people, today):
    today(date(2025, 3, 28))
    app = receive(date(2025, 3, 3))
    app = handling.extend(
        actor=people["drafter"],
        application=app,
        on=date(2025, 3, 27),
        days=10,
        reason="需调取村档案核对",
        approved_by=people["signer"],
        notified_on=date(2025, 3, 28),
    )
    assert app.due_date == add_workdays(date(2025, 3, 3), 30)
    state = clock.state_of(app)
    assert state.extension_days == 10
    line = state.lines[-1]
    assert line.added == 10 and "town_signer" in line.text and "告知申请人" in line.text


def test_extension_beyond_twenty_refused(receive, people, today):
    today(date(2025, 3, 28))
    app = receive(date(2025, 3, 3))
    handling.extend(
        actor=people["drafter"],
        application=app,
        on=date(2025, 3, 20),
        days=15,
        reason="核对",
        approved_by=people["signer"],
        notified_on=date(2025, 3, 20),
    )
    with pytest.raises(ValidationFailed) as exc:
        handling.extend(
            actor=people["drafter"],
            application=app,
            on=date(2025, 3, 21),
            days=6,
            reason="再核对",
            approved_by=people["signer"],
            notified_on=date(2025, 3, 21),
        )
    assert exc.value.field == "days" and "最多还可延长 5 个" in exc.value.message
    assert clock.state_of(app).extension_days == 15  # nothing half-written


def test_extension_without_approval_refused(receive, people, today):
    today(date(2025, 3, 28))
    app = receive(date(2025, 3, 3))
    with pytest.raises(ValidationFailed) as exc:
        handling.extend(
            actor=people["drafter"],
            application=app,
            on=date(2025, 3, 20),
            days=5,
            reason="核对",
            approved_by=None,
            notified_on=date(2025, 3, 20),
        )
    assert "approved_by" in exc.value.errors and "负责人同意" in exc.value.errors["approved_by"][0]
    with pytest.raises(ValidationFailed) as exc:  # a 信息员 is not the office head
        handling.extend(
            actor=people["drafter"],
            application=app,
            on=date(2025, 3, 20),
            days=5,
            reason="核对",
            approved_by=people["drafter"],
            notified_on=date(2025, 3, 20),
        )
    assert "approved_by" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        handling.extend(
            actor=people["drafter"],
            application=app,
            on=date(2025, 3, 20),
            days=5,
            reason="核对",
            approved_by=people["signer"],
            notified_on="",
        )
    assert "notified_on" in exc.value.errors
    assert clock.state_of(app).extension_days == 0
