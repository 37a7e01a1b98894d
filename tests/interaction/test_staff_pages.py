"""Staff pages: the queue with its filters and counts, the message page offering the table's steps, posting a
step (errors next to the field, values kept), staff entry of a 12345 order, the menu and dashboard counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from gongkai.interaction import actions, handling, staff_actions
from gongkai.interaction.models import Message
from tests.factories import PASSWORD


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_every_row_has_a_card() -> None:
    assert set(staff_actions.CARDS) == set(actions.TABLE)


def test_queue_filters_and_menu_count(submit: Any, people: dict[str, Any]) -> None:
    submit()
    submit(kind="suggest", content="建议在村口增设公交站台，方便老人出行。")
    client = login(people["drafter"])
    html = client.get("/staff/messages/").content.decode()
    assert html.count("LY-QH0101-") == 2 and "互动交流" in html
    only = client.get("/staff/messages/?kind=suggest").content.decode()
    assert only.count("LY-QH0101-") == 1 and "建议" in only
    assert client.get("/staff/messages/?show=overdue").content.decode().count("LY-QH0101-") == 0
    dashboard = client.get("/staff/").content.decode()
    assert "留言已超期" in dashboard
    assert login(people["street_admin"]).get("/staff/messages/").content.decode().count("LY-QH0101-") == 0
    assert login(people["auditor"]).get("/staff/messages/").status_code == 404


def test_message_page_steps(submit: Any, people: dict[str, Any], tree: Any) -> None:
    m = submit()
    client = login(people["admin"])
    page = client.get(f"/staff/messages/{m.pk}/").content.decode()
    assert "李大山" in page and f"/staff/messages/{m.pk}/do/accept/" in page and "/do/reply/" not in page
    assert client.post(f"/staff/messages/{m.pk}/do/accept/").status_code == 302
    bad = client.post(f"/staff/messages/{m.pk}/do/assign/", {"office": ""})
    assert bad.status_code == 400 and "请选择本单位的科室" in bad.content.decode()
    assert client.post(f"/staff/messages/{m.pk}/do/assign/", {"office": tree.office.pk}).status_code == 302
    short = client.post(f"/staff/messages/{m.pk}/do/draft/", {"text": "<b>好</b>"})
    assert short.status_code == 400 and "答复内容不能包含网页代码" in short.content.decode()
    assert "&lt;b&gt;好&lt;/b&gt;" in short.content.decode()
    client.post(f"/staff/messages/{m.pk}/do/draft/", {"text": "已安排维修，本周完成。"})
    client.post(f"/staff/messages/{m.pk}/do/reply/")
    assert Message.objects.get(pk=m.pk).status == "replied"
    wrong = client.post(f"/staff/messages/{m.pk}/do/accept/")
    assert wrong.status_code == 400 and "当前状态为“已答复”，不能受理" in wrong.content.decode()
    assert login(people["street_admin"]).get(f"/staff/messages/{m.pk}/").status_code == 404


def test_publish_card_is_prefilled_masked(answered: Any, people: dict[str, Any]) -> None:
    m = answered(content="我叫李大山，电话13912345678，路灯坏了请修。")
    client = login(people["signer"])
    page = client.get(f"/staff/messages/{m.pk}/").content.decode()
    assert "/do/publish/" in page and "我叫李**，电话139****5678" in page
    client.post(f"/staff/messages/{m.pk}/do/publish/", {"title": "", "content": "", "reply_text": ""})
    assert Message.objects.get(pk=m.pk).published_on is not None


def test_staff_entry_of_a_hotline_order(people: dict[str, Any], tree: Any, calendar_until_next_year: None) -> None:
    client = login(people["admin"])
    assert client.get("/staff/messages/new/").status_code == 200
    form = {
        "unit_id": tree.town.pk,
        "kind": "hotline",
        "title": "低保咨询",
        "content": "市民来电咨询低保申请条件和所需材料。",
        "name": "王女士",
        "phone": "13800138000",
        "channel": "hotline",
        "external_number": "",
        "external_deadline": "",
    }
    bad = client.post("/staff/messages/new/", form)
    assert bad.status_code == 400 and "12345工单载明的办结时限" in bad.content.decode()
    assert 'value="低保咨询"' in bad.content.decode()
    deadline = date.today().replace(day=28).isoformat() if date.today().day <= 28 else date.today().isoformat()
    ok = client.post("/staff/messages/new/", {**form, "external_number": "GD2026-0001", "external_deadline": deadline})
    assert ok.status_code == 302
    m = Message.objects.get()
    assert m.channel == "hotline" and m.external_number == "GD2026-0001" and m.created_by == people["admin"]
    handling.accept(actor=people["admin"], message=m)


def test_pages_do_not_write(answered: Any, submit: Any, people: dict[str, Any], client: Client) -> None:
    from gongkai.core.models import AuditEvent
    from gongkai.interaction.models import MessageEvent, Rating, Reply

    done = answered()
    fresh = submit(content="另一条尚未受理的留言内容，请答复。")
    staff = login(people["signer"])  # logging in is audited; the visits after it are not
    tables = (Message, MessageEvent, Reply, Rating, AuditEvent)
    before = [t.objects.count() for t in tables]
    for m in (done, fresh):
        assert staff.get(f"/staff/messages/{m.pk}/").status_code == 200
    for url in ("/staff/messages/?show=due_soon", "/staff/messages/new/", "/staff/messages/import/", "/staff/"):
        assert staff.get(url).status_code == 200
    for url in ("/messages/new/", "/messages/track/", "/messages/done/", "/messages/rate/"):
        assert client.get(url).status_code in (200, 302)
    assert [t.objects.count() for t in tables] == before


def test_review_settings_page(people: dict[str, Any], tree: Any) -> None:
    from gongkai.interaction.handling import needs_review

    admin = login(people["admin"])
    page = admin.get("/staff/messages/settings/").content.decode()
    assert "国办秘函〔2019〕19号" in page and 'value="complain" checked' in page
    admin.post("/staff/messages/settings/", {"unit_id": tree.town.pk, "review": ["consult"]})
    assert needs_review(tree.town, "consult") and not needs_review(tree.town, "complain")
    assert needs_review(tree.street, "complain")  # another unit keeps the default
    assert login(people["drafter"]).get("/staff/messages/settings/").status_code == 404
