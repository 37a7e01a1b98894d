from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.workdays.calendar import CalendarNotLoaded, add_workdays, count_workdays, is_workday
from gongkai.workdays.services import import_notice, set_override

pytestmark = pytest.mark.django_db


def test_worked_case_2025_national_day():
    # spec §6: received Fri 2025-09-26 → day 1 is the make-up Sunday 09-28, day 6 the make-up Saturday 10-11.
    got = [add_workdays(date(2025, 9, 26), n) for n in range(1, 7)]
    assert got == [
        date(2025, 9, 28),
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 9),
        date(2025, 10, 10),
        date(2025, 10, 11),
    ]


def test_worked_case_2024_spring_festival():
    # 除夕 2024-02-09 is a working day; 02-18 a make-up Sunday.
    assert [add_workdays(date(2024, 2, 8), n) for n in (1, 2, 3)] == [
        date(2024, 2, 9),
        date(2024, 2, 18),
        date(2024, 2, 19),
    ]


@pytest.mark.parametrize("day", ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"])
def test_2026_make_up_days_are_working_days(day):
    assert is_workday(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2026-02-16", "2026-02-23", "2026-10-07", "2025-01-28", "2024-05-03"])
def test_official_holidays_are_off(day):
    assert not is_workday(date.fromisoformat(day))


def test_count_excludes_start_day():
    assert count_workdays(date(2025, 3, 3), date(2025, 3, 3)) == 0
    assert count_workdays(date(2025, 3, 3), date(2025, 3, 4)) == 1
    assert count_workdays(date(2025, 3, 7), date(2025, 3, 10)) == 1  # Fri → Mon
    assert count_workdays(date(2025, 9, 26), date(2025, 10, 11)) == 6


def test_count_and_add_agree_across_years():
    start = date(2025, 12, 20)
    for n in (1, 5, 20, 40):
        assert count_workdays(start, add_workdays(start, n)) == n


def test_year_without_notice_raises_naming_the_year():
    with pytest.raises(CalendarNotLoaded) as exc:
        add_workdays(date(2026, 12, 20), 20)
    assert "2027" in exc.value.message


def test_override_changes_the_count():
    assert is_workday(date(2025, 7, 15))
    set_override(actor=None, day=date(2025, 7, 15), is_workday=False, name="民族节日（示例）")
    assert not is_workday(date(2025, 7, 15))
    assert add_workdays(date(2025, 7, 14), 1) == date(2025, 7, 16)


NOTICE_2027 = {
    "year": 2027,
    "notice": "国办发明电〔2026〕示例号",
    "holidays": [
        {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
        {"name": "春节", "from": "2027-02-05", "to": "2027-02-12"},
    ],
    "workdays": [{"date": "2027-02-14", "name": "春节调休上班"}],
}


def test_import_notice_makes_next_year_usable():
    import_notice(actor=None, data=NOTICE_2027)
    assert not is_workday(date(2027, 1, 1))
    assert is_workday(date(2027, 1, 4))
    assert not is_workday(date(2027, 2, 8))  # Monday inside the spring festival
    assert is_workday(date(2027, 2, 14))  # make-up Sunday
    assert not is_workday(date(2027, 3, 6))  # ordinary Saturday
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_import_rejects_bad_dates():
    from gongkai.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        import_notice(actor=None, data={"year": 2027, "holidays": [{"name": "元旦", "from": "2027-13-01"}]})
    assert "YYYY-MM-DD" in exc.value.message


def test_command_add_prints_iso_date(capsys):
    call_command("workdays", "add", "2025-09-26", "6")
    assert capsys.readouterr().out.strip() == "2025-10-11"


def test_command_add_names_missing_year():
    with pytest.raises(CommandError, match="2027"):
        call_command("workdays", "add", "2026-12-01", "30")


def test_command_import(tmp_path, capsys):
    f = tmp_path / "2027.yaml"
    f.write_text(
        "year: 2027\nnotice: 示例\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-01}\n", encoding="utf-8"
    )
    call_command("workdays", "import", str(f))
    call_command("workdays", "add", "2026-12-31", "1")
    assert capsys.readouterr().out.strip().endswith("2027-01-04")
