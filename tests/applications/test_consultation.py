"""A case paused for third-party consultation (Art. 32/33) and resumed."""

from datetime import date

from gongkai.applications import clock, handling
from gongkai.applications.choices import Status
from gongkai.workdays.calendar import add_workdays, count_workdays


def test_consultation_pauses_and_resumes(receive, people, today):
    today(date(2025, 3, 31))
    app = receive(date(2025, 3, 3))  # Monday; plain due date 03-31
    assert app.due_date == date(2025, 3, 31)
    app = handling.start_consultation(
        actor=people["drafter"],
        application=app,
        on=date(2025, 3, 10),
        party="third_party",
        who="东山建材有限公司",
        matter="补偿协议第3、4段",
    )
    assert app.status == Status.IN_CONSULTATION
    state = clock.state_of(app)
    assert state.consultation_due == add_workdays(date(2025, 3, 10), 15) == date(2025, 3, 31)
    # While still paused (today 03-31), each working day of the pause pushes the due date back.
    paused_so_far = count_workdays(date(2025, 3, 10), date(2025, 3, 31))
    assert app.due_date == add_workdays(date(2025, 3, 3), 20 + paused_so_far)

    app = handling.end_consultation(
        actor=people["drafter"], application=app, on=date(2025, 3, 24), outcome="第三方不同意公开两段"
    )
    paused = count_workdays(date(2025, 3, 10), date(2025, 3, 24))
    assert paused == 10
    assert app.status == Status.IN_PROGRESS
    assert app.due_date == add_workdays(date(2025, 3, 3), 30) == date(2025, 4, 15)
    state = clock.state_of(app)
    assert state.paused_days == 10
    assert state.used_days(date(2025, 3, 24)) == 5  # 03-04..03-10 counted; 03-11..03-24 paused
    texts = " ".join(line.text for line in state.lines)
    assert "暂停 10 个工作日" in texts and "15 个工作日" in texts


def test_reply_refused_while_consultation_open(receive, people, today):
    import pytest

    from gongkai.applications import replies
    from gongkai.core.errors import InvalidTransition

    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    handling.start_consultation(
        actor=people["drafter"], application=app, on=date(2025, 3, 10), party="other_agency", who="清河县自然资源局"
    )
    # A status rule of the action table (row ``reply``), no longer a check on the chosen result.
    with pytest.raises(InvalidTransition, match="征求意见尚未结束") as exc:
        replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 20))
    assert exc.value.field == "result"
