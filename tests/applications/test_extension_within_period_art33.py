"""《条例》第三十三条第二款: an extension needs the office head's approval and notice to the applicant, both
within the current answer period; a fee notice (国办函〔2020〕109号, spec §1.5) is sent within the period too."""

from datetime import date

import pytest

from gongkai import rules
from gongkai.applications import clock, handling
from gongkai.applications.choices import EventKind
from gongkai.applications.intake import add_event
from gongkai.core.errors import ValidationFailed
from gongkai.workdays.calendar import add_workdays

RECEIVED = date(2025, 3, 3)
DUE = date(2025, 3, 31)  # 20 working days after 2025-03-03


def extend(app, people, on, notified):
    return handling.extend(
        actor=people["drafter"],
        application=app,
        on=on,
        days=10,
        reason="需调取档案",
        approved_by=people["signer"],
        notified_on=notified,
    )


def test_art33_approved_in_time_but_notified_after_the_period_is_refused(receive, people, today):
    today(date(2025, 4, 10))
    app = receive(RECEIVED)
    assert app.due_date == DUE == add_workdays(RECEIVED, 20)
    with pytest.raises(ValidationFailed) as exc:
        extend(app, people, on=date(2025, 3, 28), notified=date(2025, 4, 1))
    assert exc.value.field == "notified_on" and "届满" in exc.value.message
    assert clock.state_of(app).extension_days == 0


def test_art33_approved_after_the_period_is_refused(receive, people, today):
    today(date(2025, 4, 10))
    app = receive(RECEIVED)
    with pytest.raises(ValidationFailed) as exc:
        extend(app, people, on=date(2025, 4, 1), notified=date(2025, 4, 1))
    assert exc.value.field == "on" and "届满" in exc.value.message


def test_art33_notified_on_the_last_day_counts(receive, people, today):
    today(date(2025, 4, 10))
    app = extend(receive(RECEIVED), people, on=date(2025, 3, 28), notified=DUE)
    assert app.due_date == add_workdays(RECEIVED, 30)


def test_art33_a_late_extension_in_the_ledger_does_not_count(receive, people, today):
    """An extension notified after the period (e.g. imported) is shown but not added to the period."""
    today(date(2025, 4, 10))
    app = receive(RECEIVED)
    add_event(
        app,
        EventKind.EXTENSION,
        date(2025, 3, 28),
        people["drafter"],
        days=10,
        detail="导入",
        data={"approved_by_name": "town_signer", "notified_on": "2025-04-02"},
    )
    state = clock.refresh(app)
    assert state.extension_days == 0 and state.due_date == DUE
    assert "不计入" in state.lines[-1].text


def test_fee_notice_after_the_answer_period_is_refused(receive, people, today):
    today(date(2025, 4, 10))
    app = receive(RECEIVED)
    with pytest.raises(ValidationFailed) as exc:
        handling.issue_fee_notice(
            actor=people["drafter"], application=app, on=date(2025, 4, 1), basis="per_page", quantity=120
        )
    assert exc.value.field == "on" and "届满" in exc.value.message
    assert not app.fee_notices.exists()
    assert rules.get("answer").workdays == 20
