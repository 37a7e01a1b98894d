"""《条例》第三十五条: when the quantity or frequency of requests is clearly beyond a reasonable range and the
applicant's reason is found reasonable but the answer cannot be given within Art. 33, the agency sets a
reasonable later answer date and tells the applicant. Recorded with its reason, decided and notified within the
current period, later than the current due date; the case page and the command show it; a 补正 restart drops it."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.applications import clock, handling, replies
from gongkai.core.errors import ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.workdays.calendar import add_workdays
from tests.factories import PASSWORD

RECEIVED = date(2025, 3, 3)
DUE = date(2025, 3, 31)
LATER = date(2025, 5, 30)
REASON = "申请人一次申请近十年全部村级财务凭证共 1200 件，说明用于课题研究，理由合理，需逐件调取"


def set_period(app, people, on=date(2025, 3, 20), due=LATER, notified=date(2025, 3, 20), reason=REASON):
    return handling.set_reasonable_period(
        actor=people["drafter"], application=app, on=on, due=due, reason=reason, notified_on=notified
    )


def test_art35_the_reasonable_date_becomes_the_due_date_and_is_explained(receive, people, today):
    today(date(2025, 3, 25))
    app = receive(RECEIVED)
    assert app.due_date == DUE
    app = set_period(app, people)
    assert app.due_date == LATER
    state = clock.state_of(app)
    assert state.reasonable_due == LATER and state.reasonable_reason == REASON
    assert "第三十五条" in state.lines[-1].text and "2025年5月30日" in state.lines[-1].text
    event = AuditEvent.objects.filter(action="application.reasonable_period").get()
    assert event.changes["due"] == "2025-05-30"
    today(date(2025, 6, 10))
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 5, 28))
    assert not clock.state_of(app).replied_late


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"reason": " "}, "reason", "请写明申请数量、频次超过合理范围的情况"),
        ({"due": date(2025, 3, 28)}, "due", "合理期限应晚于现在的答复期限（2025-03-31）"),
        ({"notified": None}, "notified_on", "须告知申请人"),
        ({"on": date(2025, 4, 2), "notified": date(2025, 4, 2)}, "on", "须在答复期限内确定并告知申请人"),
        ({"notified": date(2025, 4, 1)}, "on", "告知申请人时答复期限已于"),
        ({"due": "下个月"}, "due", "延迟答复的合理期限"),
    ],
)
def test_art35_refusals_name_the_field_and_record_nothing(receive, people, today, kwargs, field, message):
    today(date(2025, 4, 10))
    app = receive(RECEIVED)
    with pytest.raises(ValidationFailed) as exc:
        set_period(app, people, **kwargs)
    assert field in exc.value.errors and message in "".join(exc.value.errors[field])
    assert not app.events.filter(kind="reasonable_period").exists()


def test_art30_a_correction_restart_drops_the_reasonable_period(receive, people, today):
    today(date(2025, 4, 10))
    app = receive(RECEIVED)
    set_period(app, people, on=date(2025, 3, 5), notified=date(2025, 3, 5))
    handling.request_correction(
        actor=people["drafter"], application=app, on=date(2025, 3, 6), items="请写明年份", due=date(2025, 3, 20)
    )
    handling.record_correction(actor=people["drafter"], application=app, on=date(2025, 3, 10))
    app.refresh_from_db()
    assert clock.state_of(app).reasonable_due is None
    assert app.due_date == add_workdays(date(2025, 3, 10), 20)


def test_art35_from_the_case_page_and_the_command(client, receive, people, today):
    today(date(2025, 3, 25))
    app = receive(RECEIVED)
    client.login(username=people["drafter"].username, password=PASSWORD)
    page = client.get(reverse("applications_staff:detail", args=[app.pk])).content.decode()
    assert "确定延迟答复的合理期限（第三十五条" in page
    response = client.post(
        reverse("applications_staff:action", args=[app.pk, "reasonable_period"]),
        {"on": "2025-03-20", "due": "2025-05-30", "reason": REASON, "notified_on": "2025-03-20"},
        follow=True,
    )
    assert "已确定延迟答复的合理期限至 2025-05-30" in next(str(m) for m in response.context["messages"])
    out = StringIO()
    call_command("applications", "show", app.tracking_number, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["due_date"] == "2025-05-30" and data["explanation"][-1]["kind"] == "reasonable_period"


def test_art35_by_command(receive, people, today):
    today(date(2025, 3, 25))
    app = receive(RECEIVED)
    call_command(
        "applications", "event", app.tracking_number, "reasonable-period", "--on", "2025-03-20",
        "--due", "2025-05-30", "--note", REASON, "--user", people["drafter"].username, stdout=StringIO(),
    )  # fmt: skip
    app.refresh_from_db()
    assert app.due_date == LATER
