"""Every error in Chinese (issue 17 #4): a form posted in GBK by an old office PC is read as typed; a body we cannot
read, too many fields or a missing CSRF token get a Chinese 400/403 page (JSON under /api/), never Django's
English page or a 500."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from django.test import Client


def gbk(**fields: str) -> str:
    return "&".join(f"{k}={quote_from_bytes(v.encode('gbk'))}" for k, v in fields.items())


FORM = "application/x-www-form-urlencoded; charset=gbk"


def test_a_gbk_form_is_read_as_typed(client, people):
    response = client.post("/staff/login/", data=gbk(username="张三丰", password="错误的密码"), content_type=FORM)
    html = response.content.decode()
    assert response.status_code == 200 and 'value="张三丰"' in html  # the name came through, the form re-shows it


def test_a_gbk_tracking_query_gets_the_forms_own_answer(client, db):
    response = client.post("/apply/track/", data=gbk(tracking="YSQ-编号", code="查询码"), content_type=FORM)
    assert response.status_code == 400 and "申请编号" in response.content.decode()
    assert "Bad Request" not in response.content.decode()


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("username=%FF%FE%FD&password=x", "application/x-www-form-urlencoded; charset=shift_jis"),
        ("username=%81", "application/x-www-form-urlencoded; charset=gbk"),  # a broken GBK byte
    ],
)
def test_an_unreadable_body_is_a_chinese_400(body, content_type, db):
    client = Client(raise_request_exception=False)
    response = client.post("/staff/login/", data=body, content_type=content_type)
    html = response.content.decode()
    assert response.status_code == 400 and "提交的内容无法识别" in html and "Bad Request" not in html


def test_too_many_fields_is_a_chinese_400(settings, db):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = Client(raise_request_exception=False)
    response = client.post("/apply/track/", data="&".join(f"f{i}=1" for i in range(20)),
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 400 and "提交的内容无法识别" in response.content.decode()
    api = client.post("/api/v1/applications", data="&".join(f"f{i}=1" for i in range(20)),
                      content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert api.status_code in (400, 401, 403, 404, 405, 422) and "Bad Request" not in api.content.decode()


def test_a_missing_csrf_token_is_a_chinese_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/staff/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403 and "页面已过期" in html and "CSRF" not in html
