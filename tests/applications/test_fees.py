"""信息处理费 (spec §1.5): tiers, notice, payment, and lapse → 其他处理 2."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai.applications import clock, fees, handling, replies
from gongkai.applications.choices import Status
from gongkai.core.errors import ValidationFailed
from gongkai.workdays.calendar import add_workdays


def test_per_page_tiers():
    assert fees.per_page(30).amount == 0
    assert fees.per_page(120).amount == Decimal(1100)  # 70×10 + 20×20, the spec's example
    assert fees.per_page(250).amount == Decimal(700 + 2000 + 50 * 40)


def test_per_item_monthly_cumulative():
    assert fees.per_item(0, 10).amount == 0
    assert fees.per_item(8, 5).amount == Decimal(300)  # items 11–13
    assert fees.per_item(29, 3).amount == Decimal(100 + 200 + 200)  # 30th, 31st, 32nd
    assert fees.item_rate(41) == 300 and fees.item_rate(50) == 300 and fees.item_rate(51) == 400


def test_fee_lapse_closes_as_other_2(receive, people, today):
    today(date(2025, 5, 30))
    for _ in range(3):  # the same applicant filed 3 × 4 items earlier this month
        receive(date(2025, 3, 3), item_count=4)
    app = receive(date(2025, 3, 4), item_count=3)
    notice = handling.issue_fee_notice(
        actor=people["drafter"],
        application=app,
        on=date(2025, 3, 10),
        basis="per_item",
        quantity=3,
        delivered_on=date(2025, 3, 11),
    )
    assert notice.prior_items == 12 and notice.amount == Decimal(300)
    app.refresh_from_db()
    assert app.status == Status.AWAITING_FEE
    pay_by = add_workdays(date(2025, 3, 11), 20)
    assert clock.state_of(app).fee_payment_due == pay_by
    with pytest.raises(ValidationFailed, match="尚未届满"):
        replies.lapse_fee(actor=people["drafter"], application=app, on=pay_by)
    answer = replies.lapse_fee(actor=people["drafter"], application=app, on=add_workdays(pay_by, 1))
    assert answer.result_id == "other.unpaid_fee"
    notice.refresh_from_db()
    app.refresh_from_db()
    assert notice.lapsed_on is not None and app.status == Status.REPLIED


def test_fee_paid_resumes_clock(receive, people, today):
    today(date(2025, 5, 30))
    app = receive(date(2025, 3, 3))
    handling.issue_fee_notice(
        actor=people["drafter"], application=app, on=date(2025, 3, 10), basis="per_page", quantity=120
    )
    app = handling.record_payment(actor=people["drafter"], application=app, on=date(2025, 3, 17))
    assert app.status == Status.IN_PROGRESS
    # 03-11..03-17 = 5 working days between notice and payment are not counted.
    assert app.due_date == add_workdays(date(2025, 3, 3), 25)


def test_free_quantity_needs_no_notice(receive, people, today):
    today(date(2025, 3, 30))
    app = receive(date(2025, 3, 3))
    with pytest.raises(ValidationFailed) as exc:
        handling.issue_fee_notice(
            actor=people["drafter"], application=app, on=date(2025, 3, 10), basis="per_page", quantity=20
        )
    assert exc.value.field == "quantity"
