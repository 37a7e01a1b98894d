"""A 未经复议直接起诉 against a 不予公开 decision replied on or after 2024-01-01 is recorded, with a warning
(《行政复议法》（2023年修订）第二十三条第一款第（四）项: 复议前置) in the audit event, the staff message and on
the case page. Courts decide admissibility, so nothing is refused."""

from datetime import date, timedelta

from django.urls import reverse

from gongkai.applications import remedies, replies
from gongkai.core.models import AuditEvent
from tests.factories import PASSWORD

WARNING = "依照《行政复议法》（2023年修订）第二十三条第一款第四项，对不予公开决定应先申请行政复议"


def answered(receive, people, today, result, replied, **kwargs):
    today(replied + timedelta(days=30))
    app = receive(replied)
    replies.reply(actor=people["drafter"], application=app, result=result, on=replied, **kwargs)
    app.refresh_from_db()
    return app


def test_direct_suit_against_withholding_is_recorded_with_a_warning(client, receive, people, today):
    app = answered(receive, people, today, "withheld.process_information", date(2025, 3, 3), content="请示报告")
    client.login(username=people["drafter"].username, password=PASSWORD)
    response = client.post(
        reverse("applications_staff:action", args=[app.pk, "appeal"]),
        {"kind": "litigation_direct", "filed_on": "2025-03-20", "authority": "清河县人民法院"},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0] == "已登记行政复议/诉讼" and shown[1].startswith(WARNING)
    appeal = app.appeals.get()
    assert appeal.kind == "litigation_direct"
    event = AuditEvent.objects.filter(action="application.appeal").latest("id")
    assert event.changes["warning"].startswith(WARNING)
    page = client.get(reverse("applications_staff:detail", args=[app.pk])).content.decode()
    assert WARNING in page


def test_partial_disclosure_warns_too(receive, people, today):
    app = answered(receive, people, today, "partly_granted", date(2024, 1, 2), content="第3段涉及商业秘密")
    assert remedies.direct_suit_warning(app, "litigation_direct").startswith(WARNING)


def test_no_warning_otherwise(receive, people, today):
    before_2024 = answered(receive, people, today, "withheld.internal_affairs", date(2023, 12, 29), content="人事")
    granted = answered(receive, people, today, "granted", date(2025, 3, 3))
    withheld = answered(receive, people, today, "withheld.state_secret", date(2025, 3, 3))
    assert remedies.direct_suit_warning(before_2024, "litigation_direct") == ""
    assert remedies.direct_suit_warning(granted, "litigation_direct") == ""
    assert remedies.direct_suit_warning(withheld, "reconsideration") == ""
    replies.record_appeal(
        actor=people["drafter"], application=granted, kind="litigation_direct", filed_on=date(2025, 3, 20)
    )
    event = AuditEvent.objects.filter(action="application.appeal").latest("id")
    assert "warning" not in event.changes
