"""The public message form, receipt, tracking and rating pages: CSRF-protected posts, GBK tolerance, errors in
Chinese next to the field with every value kept, the honeypot, duplicates, the rate limit."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_from_bytes

from django.test import Client

from gongkai.interaction import handling
from gongkai.interaction.models import Message

from .conftest import message_data


def form(**overrides: Any) -> dict[str, Any]:
    data = message_data(**overrides)
    data["unit"] = overrides.get("unit", "dongshan")
    data["publish_consent"] = "on" if data["publish_consent"] else ""
    return data


def _receipt(client: Client) -> tuple[str, str]:
    html = client.get("/messages/done/").content.decode()
    number, code = re.findall(r'<span class="big">([^<]+)</span>', html)
    return number, code


def test_submit_track_and_rate(
    client: Client, tree: Any, people: dict[str, Any], calendar_until_next_year: None
) -> None:
    page = client.get("/messages/new/?unit=dongshan")
    assert page.status_code == 200 and "我要留言" in page.content.decode()
    response = client.post("/messages/new/", form())
    assert response.status_code == 302 and response["Location"] == "/messages/done/"
    number, code = _receipt(client)
    m = Message.objects.get(number=number)
    assert m.channel == "web" and m.publish_consent and m.unit == tree.town

    tracked = client.post("/messages/track/", {"number": number, "code": code}).content.decode()
    assert "待受理" in tracked and "提交评价" not in tracked

    handling.accept(actor=people["admin"], message=m)
    handling.assign(actor=people["admin"], message=m, office=tree.office)
    handling.draft(actor=people["drafter"], message=m, text="路灯已报修，本周内维修。")
    handling.reply(actor=people["drafter"], message=m)
    tracked = client.post("/messages/track/", {"number": number.lower(), "code": code}).content.decode()
    assert "路灯已报修，本周内维修。" in tracked and "东山镇民政办" in tracked and "提交评价" in tracked

    bad = client.post("/messages/rate/", {"number": number, "code": code, "value": ""})
    assert bad.status_code == 400 and "请选择满意、基本满意或不满意" in bad.content.decode()
    done = client.post("/messages/rate/", {"number": number, "code": code, "value": "satisfied", "comment": "谢谢"})
    assert done.status_code == 200 and "感谢您的评价" in done.content.decode()
    assert Message.objects.get(pk=m.pk).status == "closed"


def test_wrong_code_tells_nothing(client: Client, tree: Any, calendar_until_next_year: None) -> None:
    client.post("/messages/new/", form())
    number, _ = _receipt(client)
    response = client.post("/messages/track/", {"number": number, "code": "WRONG2345"})
    html = response.content.decode()
    assert response.status_code == 400 and "留言编号或查询码不正确" in html and "李大山" not in html
    forged = client.post("/messages/rate/", {"number": number, "code": "WRONG2345", "value": "unsatisfied"})
    assert forged.status_code == 400 and not Message.objects.get(number=number).ratings.exists()


def test_errors_keep_what_was_typed(client: Client, tree: Any) -> None:
    response = client.post("/messages/new/", form(phone="12", content="<script>alert(1)</script>", unit="nowhere"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "联系电话格式不正确" in html and "留言内容不能包含网页代码" in html and "受理留言的单位" in html
    assert 'value="村道路灯什么时候修"' in html and 'value="李大山"' in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert not Message.objects.exists()


def test_honeypot_stores_nothing(client: Client, tree: Any) -> None:
    response = client.post("/messages/new/", {**form(), "website": "http://spam.example"})
    assert response.status_code == 400 and "提交未成功" in response.content.decode()
    assert not Message.objects.exists()


def test_duplicate_points_to_the_first_number(client: Client, tree: Any, calendar_until_next_year: None) -> None:
    client.post("/messages/new/", form())
    number, _ = _receipt(client)
    again = client.post("/messages/new/", form(title="重复提交"))
    assert again.status_code == 400 and number in again.content.decode()
    assert Message.objects.count() == 1


def test_gbk_post_is_read_as_typed(client: Client, tree: Any, calendar_until_next_year: None) -> None:
    body = "&".join(f"{k}={quote_from_bytes(str(v).encode('gbk'))}" for k, v in form().items())
    response = client.post("/messages/new/", data=body, content_type="application/x-www-form-urlencoded; charset=gbk")
    assert response.status_code == 302
    assert Message.objects.get().name == "李大山"


def test_csrf_is_enforced(tree: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/messages/new/", form())
    assert response.status_code == 403 and not Message.objects.exists()


def test_rate_limit(client: Client, tree: Any, settings: Any) -> None:
    settings.GONGKAI_RATE_LIMITS = {"submit": (1, 3600)}
    client.post("/messages/new/", form(title="x"))
    response = client.post("/messages/new/", form(title="y"))
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
