"""Spec §6: the two worked cases of working-day counting, through the case clock and the command."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from gongkai.applications import clock
from gongkai.workdays.calendar import add_workdays


@pytest.mark.parametrize(
    ("received", "days"),
    [
        (
            date(2025, 9, 26),
            [
                date(2025, 9, 28),
                date(2025, 9, 29),
                date(2025, 9, 30),
                date(2025, 10, 9),
                date(2025, 10, 10),
                date(2025, 10, 11),
            ],
        ),
        (date(2024, 2, 8), [date(2024, 2, 9), date(2024, 2, 18), date(2024, 2, 19)]),
    ],
)
def test_day_n_after_receipt(db, received, days):
    for n, expected in enumerate(days, start=1):
        assert add_workdays(received, n) == expected


def test_case_received_2025_09_26_due_20_workdays_later(receive, today):
    today(date(2025, 10, 15))
    app = receive(date(2025, 9, 26))
    state = clock.state_of(app)
    assert state.received_on == date(2025, 9, 26)
    # Day 6 is the make-up Saturday 10-11; day 20 counts on from there.
    assert state.used_days(date(2025, 10, 11)) == 6
    assert app.due_date == add_workdays(date(2025, 9, 26), 20) == date(2025, 10, 30)
    assert state.correction_request_by == date(2025, 10, 13)  # day 7: the Monday after day 6


def test_case_received_2024_02_08(receive, today):
    today(date(2024, 2, 20))
    app = receive(date(2024, 2, 8))
    state = clock.state_of(app)
    assert state.used_days(date(2024, 2, 19)) == 3
    assert state.used_days(date(2024, 2, 17)) == 1  # only 除夕 02-09 worked during the festival


def test_workdays_add_command_prints_the_date(db, capsys):
    call_command("workdays", "add", "2025-09-26", "6")
    assert capsys.readouterr().out.strip() == "2025-10-11"


def test_workdays_add_names_a_year_without_notice(db):
    with pytest.raises(CommandError, match="2027 年的法定节假日安排尚未导入"):
        call_command("workdays", "add", "2026-12-20", "20")


def test_case_deadline_in_unloaded_year_is_a_warning_not_a_guess(receive, today):
    today(date(2026, 12, 20))
    app = receive(date(2026, 12, 18))
    assert app.due_date is None
    assert "2027 年" in app.clock_warning
