"""逾期不答复: once the answer period has run out with no reply, the tracking page (and the API's status) tells
the applicant the remedy in force that day — from 2024-01-01 复议前置 (《行政复议法》（2023年修订）第二十三条第一款
第（三）项: failure to perform a statutory duty), before it the choice of 《条例》第五十一条 — and a 未经复议直接起诉
recorded against an overdue case warns, as it does for 不予公开 (issue 16, item 2)."""

from datetime import date

from django.urls import reverse

from gongkai.applications import intake, remedies, replies, selectors
from tests.applications.conftest import applicant

RECEIVED = date(2025, 3, 3)
DUE = date(2025, 3, 31)  # 20 working days (Art. 33(2))


def enter(tree, people):
    app, code = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="in_person", received_on=RECEIVED
    )
    return app, code


def test_art23_1_3_overdue_case_shows_prior_reconsideration_on_the_tracking_page(client, tree, people, today):
    today(date(2025, 4, 2))
    app, code = enter(tree, people)
    assert remedies.is_overdue(app)
    wording = selectors.public_status(app)["overdue_remedy"]
    assert "对行政复议决定不服的，可以依法向人民法院提起行政诉讼" in wording
    assert tree.county.name in wording  # the township's parent is the 复议机关
    page = client.post(reverse("applications:track"), {"tracking": app.tracking_number, "code": code})
    html = page.content.decode()
    assert "答复期限已过，尚未答复" in html and "对行政复议决定不服的" in html


def test_before_the_due_date_nothing_is_said(tree, people, today):
    today(DUE)
    app, _ = enter(tree, people)
    assert not remedies.is_overdue(app)
    assert selectors.public_status(app)["overdue_remedy"] == ""


def test_art51_before_2024_the_overdue_remedy_is_the_choice(tree, people, today):
    today(date(2023, 6, 1))
    app, _ = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="in_person", received_on=date(2023, 3, 1)
    )
    row = remedies.overdue_remedy(date(2023, 6, 1))
    assert not row.prior_reconsideration and row.article == "第五十一条"
    assert "也可以依法申请行政复议或者提起行政诉讼" in selectors.public_status(app)["overdue_remedy"]


def test_answered_cases_never_carry_the_overdue_wording(tree, people, today):
    today(date(2025, 4, 10))
    app, _ = enter(tree, people)
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 4, 8))
    app.refresh_from_db()
    assert selectors.public_status(app)["overdue_remedy"] == ""


def test_art23_1_3_direct_suit_against_an_overdue_case_warns(tree, people, today):
    today(date(2025, 4, 2))
    app, _ = enter(tree, people)
    warning = remedies.direct_suit_warning(app, "litigation_direct")
    assert warning.startswith("依照《行政复议法》（2023年修订）第二十三条第一款第三项")
    assert remedies.direct_suit_warning(app, "reconsideration") == ""
    today(date(2025, 3, 20))
    assert remedies.direct_suit_warning(app, "litigation_direct") == ""  # not overdue yet


def test_decision_rows_are_never_chosen_for_the_overdue_case_and_vice_versa():
    for day in (date(2023, 1, 1), date(2025, 1, 1)):
        assert not remedies.remedy_for(None, day).for_overdue
        assert remedies.overdue_remedy(day).for_overdue
