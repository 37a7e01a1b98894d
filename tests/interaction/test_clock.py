"""The reply clock: working days on the statutory calendar (调休 included), 12345 deadlines, 重办, calendar changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.interaction import clock, intake
from gongkai.interaction.models import Message
from gongkai.workdays import services as workdays

from .conftest import message_data


def test_due_date_across_the_national_day_make_up_weekend(tree: Any, today: Any) -> None:
    # 2025: Sunday 28 September is a working day (调休), 1–8 October are the holiday.
    today(date(2025, 9, 26))
    m, _ = intake.submit_online(unit=tree.town, data=message_data())
    # 咨询 5 working days after Friday 26 Sept: 28 (Sun, 调休), 29, 30, 9 Oct, 10 Oct.
    assert m.due_date == date(2025, 10, 10)
    state = clock.compute(m)
    assert not state.overdue(date(2025, 10, 10)) and state.overdue(date(2025, 10, 11))


def test_fifteen_day_kinds_and_workdays_taken(tree: Any, today: Any, people: dict[str, Any]) -> None:
    today(date(2025, 9, 26))
    m, _ = intake.submit_online(unit=tree.town, data=message_data(kind="suggest"))
    # 15 working days: 28, 29, 30 Sept; 9, 10, 11 (Sat, 调休), 13–17, 20–23 Oct.
    assert m.due_date == date(2025, 10, 23)
    today(date(2025, 10, 9))
    m2, _ = intake.submit_online(unit=tree.town, data=message_data(content="第二条留言：希望增加公交班次。"))
    from gongkai.interaction import handling

    handling.accept(actor=people["admin"], message=m2)
    handling.assign(actor=people["admin"], message=m2, office=tree.office)
    handling.draft(actor=people["drafter"], message=m2, text="已向县交通局反映。")
    today(date(2025, 10, 13))
    handling.reply(actor=people["drafter"], message=m2)
    m2 = Message.objects.get(pk=m2.pk)
    assert clock.compute(m2).workdays_taken() == 3  # 10, 11 (调休 Saturday), 13


def test_hotline_order_keeps_its_own_deadline(tree: Any, people: dict[str, Any], today: Any) -> None:
    today(date(2025, 9, 26))
    m, _ = intake.enter_message(
        actor=people["admin"],
        unit=tree.town,
        data=message_data(kind="hotline"),
        channel="hotline",
        external_number="12345-2025-000123",
        external_deadline="2025-09-30",
    )
    assert m.due_date == date(2025, 9, 30) and m.external_number == "12345-2025-000123"


def test_calendar_change_moves_open_due_dates(
    tree: Any, people: dict[str, Any], today: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today(date(2025, 9, 26))
    m, _ = intake.submit_online(unit=tree.town, data=message_data())
    assert m.due_date == date(2025, 10, 10)
    with django_capture_on_commit_callbacks(execute=True):
        workdays.set_override(actor=None, day=date(2025, 9, 29), is_workday=False, name="测试：临时放假")
    assert Message.objects.get(pk=m.pk).due_date == date(2025, 10, 11)
