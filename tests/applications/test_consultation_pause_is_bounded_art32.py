"""An open consultation pauses the answer period at most until the consulted party's own deadline.

《条例》第三十二条: the third party answers within the period of rule ``consultation`` from receiving the
consultation letter, silence → the agency decides; 第三十四条: another agency within rule
``consultation_agency``, silence → consent; 第三十三条第三款: only that time is not counted. After the deadline
the answer period runs again whether or not staff recorded the end, so a reply months later is late.
"""

from datetime import date

import pytest
from django.urls import reverse

from gongkai import rules
from gongkai.applications import clock, handling, replies
from gongkai.applications.choices import EventKind, Status
from gongkai.core.errors import ValidationFailed
from gongkai.workdays.calendar import add_workdays, count_workdays
from tests.factories import PASSWORD

RECEIVED = date(2025, 3, 3)  # Monday
SENT = date(2025, 3, 10)
DELIVERED = date(2025, 3, 12)


def consult(app, people, party="third_party", delivered=DELIVERED):
    return handling.start_consultation(
        actor=people["drafter"], application=app, on=SENT, party=party, who="东山建材有限公司", delivered_on=delivered
    )


def bounded_due(period_key: str, delivered: date = DELIVERED) -> tuple[date, date]:
    """(the consulted party's deadline, the answer due date with the pause counted up to it)."""
    deadline = add_workdays(delivered, rules.get(period_key).workdays)
    answer = rules.get("answer", on=RECEIVED).workdays
    return deadline, add_workdays(RECEIVED, answer + count_workdays(SENT, deadline))


def test_art32_third_party_period_counts_from_delivery(receive, people, today):
    today(date(2025, 3, 20))
    app = consult(receive(RECEIVED), people)
    state = clock.state_of(app)
    assert state.consultation_delivered == DELIVERED
    assert state.consultation_due == add_workdays(DELIVERED, rules.get("consultation").workdays)
    assert "第三十二条" in state.consultation_text and "由本机关" in state.consultation_text
    assert "答复期限恢复计算" in state.consultation_text


def test_art32_open_consultation_stops_pausing_at_its_deadline(receive, people, today):
    _, due = bounded_due("consultation")
    today(date(2025, 6, 30))  # months later, the end never recorded
    app = consult(receive(RECEIVED), people)
    assert app.status == Status.IN_CONSULTATION
    assert app.due_date == due
    today(date(2025, 9, 1))
    assert clock.refresh(app).due_date == due  # no longer floats with today
    state = clock.state_of(app)
    assert state.pause_lapsed() and state.remaining_days() < 0
    assert state.used_days() > rules.get("answer").workdays


def test_art32_before_the_deadline_the_due_date_moves_with_the_pause(receive, people, today):
    today(date(2025, 3, 20))
    app = consult(receive(RECEIVED), people)
    assert app.due_date == add_workdays(RECEIVED, 20 + count_workdays(SENT, date(2025, 3, 20)))
    assert not clock.state_of(app).pause_lapsed()


def test_art32_end_recorded_late_counts_the_pause_only_to_the_deadline(receive, people, today):
    deadline, due = bounded_due("consultation")
    today(date(2025, 7, 1))
    app = consult(receive(RECEIVED), people)
    app = handling.end_consultation(actor=people["drafter"], application=app, on=date(2025, 6, 30), outcome="未答复")
    state = clock.state_of(app)
    assert state.paused_days == count_workdays(SENT, deadline)
    assert app.due_date == due
    assert "只计至该日" in state.lines[-1].text
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 7, 1))
    app.refresh_from_db()
    state = clock.state_of(app)
    assert state.replied_late and app.due_date == due  # 逾期答复, as the county bulletin counts it


def test_art34_other_agency_silence_is_consent(receive, people, today):
    deadline, due = bounded_due("consultation_agency")
    today(date(2025, 6, 30))
    app = consult(receive(RECEIVED), people, party="other_agency")
    state = clock.state_of(app)
    assert state.consultation_due == deadline and app.due_date == due
    assert "第三十四条" in state.consultation_text and "视为同意公开" in state.consultation_text


def test_art32_delivery_recorded_later_moves_the_deadline(receive, people, today):
    today(date(2025, 6, 30))
    app = consult(receive(RECEIVED), people, delivered=None)
    assert clock.state_of(app).consultation_due == add_workdays(SENT, 15)  # default: the sending day
    app = handling.record_consultation_delivered(actor=people["drafter"], application=app, on=date(2025, 3, 14))
    deadline, due = bounded_due("consultation", delivered=date(2025, 3, 14))
    state = clock.state_of(app)
    assert state.consultation_due == deadline and app.due_date == due
    assert state.lines[-1].kind == EventKind.CONSULTATION_DELIVERED
    assert app.status == Status.IN_CONSULTATION


def test_art32_delivery_before_sending_is_refused(receive, people, today):
    today(date(2025, 3, 20))
    with pytest.raises(ValidationFailed) as exc:
        consult(receive(RECEIVED), people, delivered=date(2025, 3, 7))
    assert exc.value.field == "delivered_on" and "不能早于" in exc.value.message


def test_fee_pause_ends_with_the_payment_period(receive, people, today):
    """国办函〔2020〕109号: the applicant pays within rule ``fee_payment`` of receiving the notice; after it the
    pause ends, so a lapse (其他处理 2) recorded months later is a late answer."""
    today(date(2025, 7, 1))
    app = receive(RECEIVED)
    handling.issue_fee_notice(
        actor=people["drafter"], application=app, on=SENT, basis="per_page", quantity=120, delivered_on=DELIVERED
    )
    app.refresh_from_db()
    pay_by = add_workdays(DELIVERED, rules.get("fee_payment").workdays)
    due = add_workdays(RECEIVED, 20 + count_workdays(SENT, pay_by))
    assert app.status == Status.AWAITING_FEE and app.due_date == due
    replies.lapse_fee(actor=people["drafter"], application=app, on=date(2025, 7, 1))
    state = clock.state_of(app)
    assert state.due_date == due and state.replied_late


def test_case_page_names_the_rule_and_the_consultation_deadline(client, receive, people, today):
    deadline, _ = bounded_due("consultation")
    today(date(2025, 3, 20))
    app = consult(receive(RECEIVED), people)
    client.login(username=people["drafter"].username, password=PASSWORD)
    page = client.get(reverse("applications_staff:detail", args=[app.pk])).content.decode()
    assert "国务院令第711号）第三十三条第二款：20个工作日（2019年5月15日起施行）" in page
    assert f"征求意见期限至 {deadline.year}年{deadline.month}月{deadline.day}日（第三十二条" in page
    assert "征求意见书送达（对方签收之日）" in page  # the action card
