"""Intake from every channel (Art. 28–31) and transfer to the right unit."""

from datetime import date

import pytest

from gongkai.applications import intake, selectors
from gongkai.applications.choices import Channel
from gongkai.core.errors import InvalidTransition, NotAllowed, ValidationFailed

from .conftest import applicant


@pytest.mark.parametrize(
    "channel",
    [
        Channel.LETTER_REGISTERED,
        Channel.LETTER_ORDINARY,
        Channel.IN_PERSON,
        Channel.SERVICE_WINDOW,
        Channel.FAX,
        Channel.EMAIL,
    ],
)
def test_staff_entry_every_channel(tree, people, channel, today):
    today(date(2025, 3, 20))
    app, code = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel=channel, received_on=date(2025, 3, 18)
    )
    assert app.channel == channel and app.received_on == date(2025, 3, 18) and len(code) == 8
    assert app.tracking_number == f"YSQ-{tree.town.code}-2025-00001"


def test_fax_may_wait_for_confirmation(tree, people, today):
    today(date(2025, 3, 20))
    app, _ = intake.enter_application(actor=people["drafter"], unit=tree.town, data=applicant(), channel="fax")
    assert app.status == "pending" and app.received_on is None
    with pytest.raises(ValidationFailed, match="不能早于申请人提交日期"):
        intake.confirm_receipt(actor=people["drafter"], application=app, received_on=date(2025, 3, 19))
    app = intake.confirm_receipt(actor=people["drafter"], application=app, received_on=date(2025, 3, 20))
    with pytest.raises(InvalidTransition):
        intake.confirm_receipt(actor=people["drafter"], application=app, received_on=date(2025, 3, 20))


def test_oral_application_entered_on_behalf(tree, people, today):
    today(date(2025, 3, 20))
    app, _ = intake.enter_application(
        actor=people["drafter"],
        unit=tree.town,
        data=applicant(),
        channel="service_window",
        received_on=date(2025, 3, 20),
        oral=True,
    )
    assert app.oral
    with pytest.raises(ValidationFailed) as exc:
        intake.enter_application(actor=people["drafter"], unit=tree.town, data=applicant(), channel="fax", oral=True)
    assert "oral" in exc.value.errors


def test_several_applications_stay_separate(tree, people, today):
    today(date(2025, 3, 20))
    a, _ = intake.submit_online(unit=tree.town, data=applicant())
    b, _ = intake.submit_online(unit=tree.town, data=applicant())
    assert a.pk != b.pk and a.tracking_number != b.tracking_number


def test_other_unit_staff_cannot_enter(tree, people):
    with pytest.raises(NotAllowed):
        intake.enter_application(
            actor=people["street_admin"],
            unit=tree.town,
            data=applicant(),
            channel="in_person",
            received_on=date(2025, 3, 3),
        )


def test_transfer_pending_case(tree, people, today):
    today(date(2025, 3, 20))
    app, code = intake.submit_online(unit=tree.town, data=applicant())
    new = intake.transfer(
        actor=people["admin"], application=app, to_unit=tree.street, on=date(2025, 3, 20), reason="所涉地块属城关街道"
    )
    app.refresh_from_db()
    assert app.status == "transferred" and new.unit == tree.street and new.status == "pending"
    assert new.name == app.name and new.transferred_from == app
    # The applicant's number and code still work and point at the new case.
    found = selectors.find_by_tracking(app.tracking_number, code)
    assert selectors.public_status(found)["transferred_to"]["tracking_number"] == new.tracking_number
    # The receiving unit handles it; the original unit counts nothing.
    assert selectors.counts_for_year(tree.town, 2025)["rows"]["new"][-1] == 0


def test_received_case_is_answered_not_transferred(tree, people, receive, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    with pytest.raises(InvalidTransition, match="本机关不掌握"):
        intake.transfer(actor=people["admin"], application=app, to_unit=tree.street, on=date(2025, 3, 20))


def test_online_submission_dated_for_seeding_history(tree, people, today):
    """``gongkai demo`` seeds past online applications; the form and the API never pass ``submitted_on``."""
    today(date(2025, 9, 1))
    app, _code = intake.submit_online(unit=tree.town, data=applicant(), submitted_on=date(2025, 6, 9))
    assert app.submitted_on == date(2025, 6, 9) and app.tracking_number == "YSQ-QH0101-2025-00001"
    app = intake.confirm_receipt(actor=people["admin"], application=app, received_on=date(2025, 6, 10))
    assert app.received_on == date(2025, 6, 10)
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        intake.submit_online(unit=tree.town, data=applicant(), submitted_on=date(2025, 9, 2))
