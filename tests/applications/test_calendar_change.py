"""A calendar change (an override, a newly imported notice) recomputes open cases from their ledger."""

from datetime import date

from gongkai.applications import clock
from gongkai.workdays import services as calendar_services


def test_override_moves_open_case_deadline(receive, people, today, django_capture_on_commit_callbacks):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    closed = receive(date(2025, 3, 3))
    from gongkai.applications import replies

    replies.reply(actor=people["drafter"], application=closed, result="granted", on=date(2025, 3, 10))
    assert app.due_date == date(2025, 3, 31)
    with django_capture_on_commit_callbacks(execute=True):
        # A local ethnic holiday on 03-17 (Monday): one working day fewer inside the period.
        calendar_services.set_override(actor=None, day=date(2025, 3, 17), is_workday=False, name="民族节日")
    app.refresh_from_db()
    assert app.due_date == date(2025, 4, 1)
    closed.refresh_from_db()
    assert closed.due_date == date(2025, 3, 31)  # closed cases keep the deadline they were answered under


def test_importing_next_year_notice_fills_the_missing_deadline(receive, today, django_capture_on_commit_callbacks):
    today(date(2026, 12, 20))
    app = receive(date(2026, 12, 18))
    assert app.due_date is None and "2027" in app.clock_warning
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.import_notice(
            actor=None,
            data={
                "year": 2027,
                "notice": "国办发明电〔2026〕X号（测试）",
                "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
                "workdays": [],
            },
        )
    app.refresh_from_db()
    assert app.clock_warning == ""
    # 12-21..12-31: 9 working days in 2026; 2027: 01-01 holiday, then 01-04..01-15 are days 10–19 → day 20 = 2027-01-18.
    assert app.due_date == date(2027, 1, 18)
    assert clock.state_of(app).due_date == app.due_date
