"""The action table (applications/actions.py) is the one rule for what staff may do to a case, and when:
the case page offers exactly what it allows, every service refuses what it refuses, nobody outside the
case's unit runs anything, and no action is half-added (the page's half, staff_actions, has the same names)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import get_template
from django.urls import reverse

from gongkai.applications import actions, handling, intake, letters, promotion, replies, staff_actions
from gongkai.applications.choices import Status
from gongkai.applications.models import Application, ClockEvent
from gongkai.catalog.models import Entry
from gongkai.core.errors import InvalidTransition, NotAllowed
from gongkai.core.models import AuditEvent
from tests.factories import PASSWORD, category, make_draft

from .conftest import applicant

DAY = date(2025, 3, 20)
OUTSIDERS = ("street_admin", "supervisor", "sysadmin", "auditor")
ACTION_URL = re.compile(r'action="/[^"]*/do/([a-z_]+)/"')


@pytest.fixture
def cases(receive, people, tree, today) -> dict[str, Application]:
    """One case of the township in every status, each taken there through the services."""
    today(DAY)
    actor = people["drafter"]
    pending, _ = intake.submit_online(unit=tree.town, data=applicant())
    moved, _ = intake.submit_online(unit=tree.town, data=applicant())
    intake.transfer(actor=actor, application=moved, to_unit=tree.street, on=DAY)
    correcting = receive(date(2025, 3, 3))
    handling.request_correction(
        actor=actor, application=correcting, on=date(2025, 3, 4), items="村组", due="2025-03-14"
    )
    consulting = receive(date(2025, 3, 3))
    handling.start_consultation(
        actor=actor, application=consulting, on=date(2025, 3, 10), party="third_party", who="东山建材有限公司"
    )
    paying = receive(date(2025, 3, 3))
    handling.issue_fee_notice(actor=actor, application=paying, on=date(2025, 3, 10), basis="per_page", quantity=120)
    answered = receive(date(2025, 3, 3))
    replies.reply(actor=actor, application=answered, result="granted", on=date(2025, 3, 10))
    out = {
        Status.PENDING: pending,
        Status.IN_PROGRESS: receive(date(2025, 3, 3)),
        Status.AWAITING_CORRECTION: correcting,
        Status.IN_CONSULTATION: consulting,
        Status.AWAITING_FEE: paying,
        Status.REPLIED: answered,
        Status.TRANSFERRED: moved,
    }
    for status, app in out.items():
        app.refresh_from_db()
        assert app.status == status
    assert set(out) == set(Status.values)
    return out


def calls(people: dict[str, Any], tree: Any) -> dict[str, Any]:
    """Each action's service, called with input it accepts: ``calls[name](app, actor)``."""

    entry = Entry.objects.filter(unit=tree.town).first() or make_draft(tree, people)  # for promote_link

    def decide(app: Application, who: Any) -> Any:
        appeal = app.appeals.first() or replies.record_appeal(
            actor=people["drafter"], application=app, kind="reconsideration", filed_on=DAY
        )
        return replies.decide_appeal(actor=who, appeal=appeal, outcome="upheld", decided_on=DAY)

    return {
        "receive": lambda app, who: intake.confirm_receipt(actor=who, application=app, received_on=DAY),
        "reply": lambda app, who: replies.reply(actor=who, application=app, result="granted", on=DAY),
        "correction_request": lambda app, who: handling.request_correction(
            actor=who, application=app, on=DAY, items="请写明村名", due="2025-03-31"
        ),
        "correction_receive": lambda app, who: handling.record_correction(actor=who, application=app, on=DAY),
        "consultation_start": lambda app, who: handling.start_consultation(
            actor=who, application=app, on=DAY, party="third_party", who="东山建材有限公司"
        ),
        "consultation_delivered": lambda app, who: handling.record_consultation_delivered(
            actor=who, application=app, on=DAY
        ),
        "consultation_end": lambda app, who: handling.end_consultation(actor=who, application=app, on=DAY),
        "extend": lambda app, who: handling.extend(
            actor=who,
            application=app,
            on=DAY,
            days=5,
            reason="需调取档案",
            approved_by=people["signer"],
            notified_on=DAY,
        ),
        "reasonable_period": lambda app, who: handling.set_reasonable_period(
            actor=who,
            application=app,
            on=DAY,
            due=DAY + timedelta(days=90),
            reason="申请数量明显超过合理范围，理由合理",
            notified_on=DAY,
        ),
        "fee_notice": lambda app, who: handling.issue_fee_notice(
            actor=who, application=app, on=DAY, basis="per_page", quantity=120
        ),
        "fee_paid": lambda app, who: handling.record_payment(actor=who, application=app, on=DAY),
        "transfer": lambda app, who: intake.transfer(actor=who, application=app, to_unit=tree.street, on=DAY),
        "letter": lambda app, who: letters.generate(actor=who, application=app, kind="correction", on=DAY),
        "upload": lambda app, who: letters.upload(
            actor=who,
            application=app,
            kind="correction",
            title="盖章扫描件",
            upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test"),
            on=DAY,
        ),
        "appeal": lambda app, who: replies.record_appeal(
            actor=who, application=app, kind="reconsideration", filed_on=DAY
        ),
        "appeal_decide": decide,
        "promote": lambda app, who: promotion.promote(
            actor=who, application=app, title="低保对象名单", category=category(tree.town, "dibao")
        ),
        "promote_link": lambda app, who: promotion.link(actor=who, application=app, entry=entry),
    }


def shown(html: str) -> set[str]:
    return set(ACTION_URL.findall(html))


def test_both_halves_of_the_table_have_the_same_actions(people, tree):
    assert set(staff_actions.STAFF) == set(actions.TABLE) == set(calls(people, tree))
    assert [row.name for row in actions.ROWS] == list(actions.TABLE)  # no name twice
    for spec in staff_actions.STAFF.values():
        get_template(spec.partial)
    for row in actions.ROWS:
        assert re.search(r"[\u4e00-\u9fff]", row.label), row.name
        assert row.statuses is None or row.statuses <= set(Status.values), row.name


def test_the_page_offers_what_the_table_allows(cases, people, client):
    client.login(username=people["drafter"].username, password=PASSWORD)
    for status, app in cases.items():
        # A pending appeal on every case, so the card for its outcome has something to show.
        replies.record_appeal(actor=people["drafter"], application=app, kind="reconsideration", filed_on=DAY)
        response = client.get(reverse("applications_staff:detail", args=[app.pk]))
        assert response.status_code == 200
        expected = {row.name for row in actions.available(app, people["drafter"])}
        assert shown(response.content.decode()) == expected, status
        assert {"letter", "upload", "appeal", "appeal_decide"} <= expected


@pytest.mark.parametrize("name", [row.name for row in actions.ROWS if row.statuses is not None])
def test_every_service_refuses_a_status_outside_its_row(name, cases, people, tree):
    row, call = actions.TABLE[name], calls(people, tree)[name]
    assert row.statuses is not None
    refused = [s for s in Status.values if s not in row.statuses]
    assert refused
    for status in refused:
        app = cases[status]
        events, audits = ClockEvent.objects.count(), AuditEvent.objects.count()
        with pytest.raises(InvalidTransition) as exc:
            call(app, people["drafter"])
        message = exc.value.message
        assert f"当前状态为“{Status(status).label}”" in message and row.label in message, (status, message)
        app.refresh_from_db()
        assert app.status == status
        assert (ClockEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_outside_the_unit_runs_any_action(who, cases, people, tree, client):
    outsider, call = people[who], calls(people, tree)
    replies.record_appeal(  # for appeal_decide
        actor=people["drafter"], application=cases[Status.IN_PROGRESS], kind="reconsideration", filed_on=DAY
    )
    audits = AuditEvent.objects.count()
    for row in actions.ROWS:
        app = cases[next(iter(sorted(row.statuses)))] if row.statuses else cases[Status.IN_PROGRESS]
        with pytest.raises(NotAllowed, match="不是该申请办理单位的工作人员"):
            call[row.name](app, outsider)
        with pytest.raises(NotAllowed):
            actions.check(row.name, app, outsider)
    assert all(actions.available(app, outsider) == [] for app in cases.values())
    client.force_login(outsider)
    for app in cases.values():
        for row in actions.ROWS:
            response = client.post(reverse("applications_staff:action", args=[app.pk, row.name]), {"on": "2025-03-20"})
            assert response.status_code == 404, (who, row.name)
        page = client.get(reverse("applications_staff:detail", args=[app.pk]))
        # The supervisor sees the case's status and dates, and no action; the others see nothing.
        assert page.status_code == (200 if who == "supervisor" else 404)
        assert shown(page.content.decode()) == set()
    assert AuditEvent.objects.filter(actor=outsider, outcome="success").exclude(action__startswith="auth.").count() == 0
    assert AuditEvent.objects.exclude(action__startswith="auth.").count() == audits


def test_posting_an_action_the_case_does_not_allow_is_refused_in_chinese(cases, people, client):
    client.login(username=people["drafter"].username, password=PASSWORD)
    audits = AuditEvent.objects.count()
    for status, app in cases.items():
        allowed = {row.name for row in actions.available(app, people["drafter"])}
        for row in actions.ROWS:
            if row.name in allowed:
                continue
            response = client.post(reverse("applications_staff:action", args=[app.pk, row.name]), {"on": "2025-03-20"})
            assert response.status_code == 400, (status, row.name)
            html = response.content.decode()
            assert row.refusal(status) in html, (status, row.name)
            assert f'id="{row.name}"' in html  # the refused card is on the page, with the reason
            app.refresh_from_db()
            assert app.status == status
    assert AuditEvent.objects.count() == audits
    unknown = client.post(reverse("applications_staff:action", args=[cases[Status.IN_PROGRESS].pk, "archive"]))
    assert unknown.status_code == 404


def test_a_refusal_names_the_status_and_the_action():
    assert actions.TABLE["fee_paid"].refusal(Status.IN_PROGRESS) == (
        "当前状态为“办理中”，不能记录缴费：该申请没有待缴费的收费通知"
    )
    assert actions.TABLE["consultation_start"].refusal(Status.AWAITING_FEE) == "当前状态为“待缴费”，不能开始征求意见"
