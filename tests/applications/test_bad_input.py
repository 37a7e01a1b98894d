"""Bad input: a clear Chinese error naming the field, and nothing lost (the form re-shows what was typed)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.applications import intake, replies
from gongkai.applications.models import Application
from gongkai.core.errors import InvalidTransition, ValidationFailed
from tests.factories import PASSWORD

from .conftest import applicant


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"phone": "", "email": "", "address": "", "delivery": "pickup"}, "phone", "联系方式"),
        ({"id_number": "110105194912310021"}, "id_number", "校验位"),
        ({"id_number": "11010519491331002X"}, "id_number", "出生日期"),
        ({"description": "  "}, "description", "描述"),
        (
            {"applicant_type": "commercial", "id_type": "uscc", "id_number": "91350100M000100Y43"},
            "contact_person",
            "联系人",
        ),
        ({"delivery": "email", "email": ""}, "email", "电子邮箱"),
    ],
)
def test_service_names_the_field(tree, overrides, field, words):
    with pytest.raises(ValidationFailed) as exc:
        intake.submit_online(unit=tree.town, data=applicant(**overrides))
    assert field in exc.value.errors
    assert words in " ".join(exc.value.errors[field])
    assert Application.objects.count() == 0


def test_public_form_reshows_what_was_typed(client, tree):
    data = applicant(id_number="110105194912310021", description="2024年某村土地征收补偿标准（第三组）")
    response = client.post(reverse("applications:form", args=[tree.town.slug]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "居民身份证号码校验位不正确" in html
    assert "2024年某村土地征收补偿标准（第三组）" in html and "110105194912310021" in html and "王建国" in html
    assert Application.objects.count() == 0


def test_staff_entry_future_receipt_date(client, people, tree, today):
    today(date(2025, 3, 20))
    client.login(username=people["drafter"].username, password=PASSWORD)
    data = applicant(channel="letter_registered", received_on="2025-03-25", item_count=1)
    response = client.post(reverse("applications_staff:enter"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "收到申请日期不能晚于今天" in html and "2024年某村土地征收补偿标准" in html and 'value="2025-03-25"' in html
    assert Application.objects.count() == 0


def test_letter_without_receipt_date_says_what_the_date_is(people, tree):
    with pytest.raises(ValidationFailed) as exc:
        intake.enter_application(
            actor=people["drafter"], unit=tree.town, data=applicant(), channel="letter_registered", received_on=None
        )
    assert "签收之日" in exc.value.errors["received_on"][0]


def test_reply_before_receipt(receive, people, client, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 10))
    with pytest.raises(ValidationFailed) as exc:
        replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 7))
    assert exc.value.field == "on" and "不能早于收到申请日期" in exc.value.message
    client.login(username=people["drafter"].username, password=PASSWORD)
    response = client.post(
        reverse("applications_staff:action", args=[app.pk, "reply"]),
        {"on": "2025-03-07", "result": "granted", "content": "已提供补偿标准文件"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "答复日期不能早于收到申请日期" in html and "已提供补偿标准文件" in html
    app.refresh_from_db()
    assert app.status == "in_progress"


def test_second_reply_to_closed_case(receive, people, client, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 10))
    with pytest.raises(InvalidTransition, match="不能再次答复"):
        replies.reply(actor=people["drafter"], application=app, result="unable.not_held", on=date(2025, 3, 11))
    client.login(username=people["drafter"].username, password=PASSWORD)
    response = client.post(
        reverse("applications_staff:action", args=[app.pk, "reply"]), {"on": "2025-03-11", "result": "unable.not_held"}
    )
    assert response.status_code == 400 and "不能再次答复" in response.content.decode()
    app.refresh_from_db()
    assert app.reply.result_id == "granted"


def test_extension_form_errors_keep_input(receive, people, client, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    client.login(username=people["drafter"].username, password=PASSWORD)
    response = client.post(
        reverse("applications_staff:action", args=[app.pk, "extend"]),
        {"on": "2025-03-20", "days": "25", "reason": "需调取村档案", "approved_by": "", "notified_on": "2025-03-20"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "须经政府信息公开工作机构负责人同意" in html and "需调取村档案" in html and 'value="25"' in html
    response = client.post(
        reverse("applications_staff:action", args=[app.pk, "extend"]),
        {
            "on": "2025-03-20",
            "days": "25",
            "reason": "需调取村档案",
            "approved_by": people["signer"].pk,
            "notified_on": "2025-03-20",
        },
    )
    assert response.status_code == 400 and "最长不超过 20 个工作日" in response.content.decode()
