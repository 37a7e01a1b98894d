"""Journey 2 through the staff pages: entry, receipt, 补正, consultation, extension, reply, letters, appeal;
the case page explains the deadline."""

from datetime import date

from django.urls import reverse

from gongkai.applications.models import Application
from tests.factories import PASSWORD

from .conftest import applicant


def post(client, app, name, data):
    response = client.post(reverse("applications_staff:action", args=[app.pk, name]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    app.refresh_from_db()
    return app


def test_journey_two(client, people, tree, today, django_capture_on_commit_callbacks):
    today(date(2025, 6, 30))
    client.login(username=people["admin"].username, password=PASSWORD)
    response = client.post(
        reverse("applications_staff:enter"),
        {**applicant(), "channel": "email", "item_count": 1, "submitted_on": "2025-04-01"},
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.status == "pending"
    app = post(client, app, "receive", {"received_on": "2025-04-02"})
    app = post(client, app, "correction_request", {"on": "2025-04-07", "items": "请写明村名", "due": "2025-04-21"})
    app = post(client, app, "correction_receive", {"on": "2025-04-14"})
    app = post(
        client,
        app,
        "consultation_start",
        {"on": "2025-04-16", "party": "third_party", "who": "东山建材有限公司", "matter": "补偿协议"},
    )
    app = post(client, app, "consultation_end", {"on": "2025-04-30", "outcome": "反对公开两段"})
    app = post(
        client,
        app,
        "extend",
        {
            "on": "2025-05-20",
            "days": "10",
            "reason": "需调取档案",
            "approved_by": people["signer"].pk,
            "notified_on": "2025-05-20",
        },
    )
    app = post(
        client,
        app,
        "reply",
        {"on": "2025-05-28", "result": "partly_granted", "content": "涉及第三方商业秘密的两段不予公开"},
    )
    assert app.status == "replied"
    with django_capture_on_commit_callbacks(execute=True):  # the worker renders the letter after commit
        app = post(client, app, "letter", {"kind": "partial", "on": "2025-05-28"})
    app = post(
        client, app, "appeal", {"kind": "reconsideration", "filed_on": "2025-06-20", "authority": "清河县人民政府"}
    )
    page = client.get(reverse("applications_staff:detail", args=[app.pk])).content.decode()
    for phrase in (
        "收到补正后的申请",
        "暂停",
        "延长 10 个工作日",
        "部分公开",
        "行政复议",
        "尚未审结",
        "政府信息公开申请答复书",
    ):
        assert phrase in page, phrase
    letter = app.letters.get()
    for fmt in ("docx", "pdf"):
        response = client.get(reverse("applications_staff:letter", args=[app.pk, letter.pk, fmt]))
        assert response.status_code == 200
    listing = client.get(reverse("applications_staff:list")).content.decode()
    assert app.tracking_number in listing and "5个工作日内到期" in listing


def test_admin_edits_template(client, people):
    client.login(username=people["admin"].username, password=PASSWORD)
    url = reverse("applications_staff:template_edit", args=["correction"])
    assert "补正" in client.get(url).content.decode()
    response = client.post(
        url, {"title": "补正通知", "number_prefix": "东补", "salutation": "{申请人}：", "body": "请补正：{补正事项}"}
    )
    assert response.status_code == 302
    client.logout()
    client.login(username=people["drafter"].username, password=PASSWORD)
    assert client.get(url).status_code == 403
