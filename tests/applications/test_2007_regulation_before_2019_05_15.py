"""The law in force on the day of receipt: a case received before 2019-05-15 follows the 2007 Regulation
(国务院令第492号 第二十四条第二款: 15 working days, extension at most 15); from 2019-05-15 the 2019
revision (国务院令第711号 第三十三条第二款: 20 and 20) — whatever the date today."""

from datetime import date

import pytest

from gongkai import rules
from gongkai.applications import clock, handling
from gongkai.core.errors import ValidationFailed
from gongkai.workdays.calendar import add_workdays


def test_2007_regulation_art24_rows():
    old = rules.get("answer", on=date(2019, 5, 14))
    assert (old.value, old.article, old.valid_to) == (15, "第二十四条第二款", date(2019, 5, 14))
    assert "国务院令第492号" in old.instrument
    assert rules.get("extension", on=date(2019, 5, 14)).value == 15
    assert rules.get("answer", on=date(2019, 5, 15)).value == 20


def test_2007_regulation_case_received_2019_05_14_has_15_workdays(receive, people, today):
    today(date(2019, 7, 1))
    app = receive(date(2019, 5, 14))
    assert app.due_date == add_workdays(date(2019, 5, 14), 15)
    state = clock.state_of(app)
    assert state.limit_days == 15 and "国务院令第492号" in state.basis and "第二十四条" in state.basis
    assert any("国务院令第492号" in line.text for line in state.lines if line.kind == "received")


def test_2019_regulation_case_received_2019_05_15_has_20_workdays(receive, people, today):
    today(date(2019, 7, 1))
    app = receive(date(2019, 5, 15))
    assert app.due_date == add_workdays(date(2019, 5, 15), 20)
    assert "国务院令第711号" in clock.state_of(app).basis


def test_2007_regulation_extension_at_most_15(receive, people, today):
    today(date(2019, 5, 20))
    app = receive(date(2019, 5, 6))
    with pytest.raises(ValidationFailed) as exc:
        handling.extend(
            actor=people["drafter"],
            application=app,
            on=date(2019, 5, 20),
            days=16,
            reason="核对",
            approved_by=people["signer"],
            notified_on=date(2019, 5, 20),
        )
    assert exc.value.field == "days" and "15 个工作日" in exc.value.message
    app = handling.extend(
        actor=people["drafter"],
        application=app,
        on=date(2019, 5, 20),
        days=15,
        reason="核对",
        approved_by=people["signer"],
        notified_on=date(2019, 5, 20),
    )
    assert app.due_date == add_workdays(date(2019, 5, 6), 30)


def test_2007_regulation_had_no_seven_day_correction_window(receive, people, today):
    """The 2007 Regulation (Art. 21) had no 7-working-day limit for the 补正 notice."""
    today(date(2019, 5, 30))
    app = receive(date(2019, 5, 6))
    assert clock.state_of(app).correction_request_by is None
    app = handling.request_correction(
        actor=people["drafter"], application=app, on=date(2019, 5, 28), items="请写明村组", due=date(2019, 6, 10)
    )
    assert app.due_date is None
