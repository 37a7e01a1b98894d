"""补正 (Art. 30): once, within 7 working days; the 20 days restart from the corrected application."""

from datetime import date

import pytest

from gongkai.applications import clock, handling, replies
from gongkai.applications.choices import Status
from gongkai.core.errors import InvalidTransition, ValidationFailed
from gongkai.workdays.calendar import add_workdays


def test_correction_restarts_the_twenty_days(receive, people, today):
    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    app = handling.request_correction(
        actor=people["drafter"],
        application=app,
        on=date(2025, 3, 6),
        items="请说明所需补偿标准对应的村组名称",
        due=date(2025, 3, 20),
    )
    assert app.status == Status.AWAITING_CORRECTION
    assert app.due_date is None  # nothing runs while waiting for the applicant
    app = handling.record_correction(actor=people["drafter"], application=app, on=date(2025, 3, 13))
    assert app.status == Status.IN_PROGRESS
    assert app.due_date == add_workdays(date(2025, 3, 13), 20) == date(2025, 4, 11)  # 04-04 清明
    state = clock.state_of(app)
    assert state.received_on == date(2025, 3, 3)  # the receipt date of the statistics does not move
    assert any("重新计算" in line.text for line in state.lines)


def test_correction_after_seven_workdays_refused(receive, people, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    with pytest.raises(ValidationFailed) as exc:
        handling.request_correction(
            actor=people["drafter"], application=app, on=date(2025, 3, 13), items="说明村组", due=date(2025, 3, 27)
        )
    assert exc.value.field == "on" and "7 个工作日" in exc.value.message


def test_correction_only_once(receive, people, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    handling.request_correction(
        actor=people["drafter"], application=app, on=date(2025, 3, 4), items="a", due="2025-03-10"
    )
    handling.record_correction(actor=people["drafter"], application=app, on=date(2025, 3, 5))
    with pytest.raises(InvalidTransition, match="只能发出一次"):
        handling.request_correction(
            actor=people["drafter"], application=app, on=date(2025, 3, 6), items="b", due="2025-03-12"
        )


def test_no_correction_by_deadline_closes_as_other_1(receive, people, today):
    today(date(2025, 3, 31))
    app = receive(date(2025, 3, 3))
    handling.request_correction(
        actor=people["drafter"], application=app, on=date(2025, 3, 4), items="a", due="2025-03-18"
    )
    with pytest.raises(ValidationFailed, match="尚未届满"):
        replies.lapse_correction(actor=people["drafter"], application=app, on=date(2025, 3, 18))
    answer = replies.lapse_correction(actor=people["drafter"], application=app, on=date(2025, 3, 19))
    assert answer.result_id == "other.no_correction"
