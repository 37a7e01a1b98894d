"""A column's 办事服务 links (国办发〔2019〕54号: 公开 joined with 办事服务): added and removed by the unit's 公开办
管理员 only, audited, with Chinese errors naming the field for every bad name or address."""

from __future__ import annotations

import pytest

from gongkai.catalog import categories as svc
from gongkai.catalog.models import ServiceLink
from gongkai.core import audit
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from tests.factories import category

URL = "https://zwfw.example.gov.cn/item/dibao"


def test_the_admin_adds_and_removes_links_in_order_audited(tree, people):
    column = category(tree.town, "dibao")
    first = svc.add_service_link(actor=people["admin"], category=column, name="  最低生活保障  申请 ", url=URL)
    second = svc.add_service_link(actor=people["admin"], category=column, name="临时救助申请", url=URL + "2")
    assert first.name == "最低生活保障 申请" and list(column.services.all()) == [first, second]
    assert first.sort_order < second.sort_order
    svc.remove_service_link(actor=people["admin"], link=first)
    assert list(column.services.all()) == [second]
    added = AuditEvent.objects.filter(action="category.service_add", org_code=tree.town.code)
    assert added.count() == 2 and added.first().changes["url"] == [None, URL]
    removed = AuditEvent.objects.get(action="category.service_remove")
    assert removed.changes["name"] == ["最低生活保障 申请", None]
    assert audit.verify() == []


@pytest.mark.parametrize(
    ("name", "url", "field", "says"),
    [
        ("", URL, "name", "办事事项名称不能为空"),
        ("长" * 101, URL, "name", "不超过 100 个字"),
        ("低保\x00申请", URL, "name", "办事事项名称"),
        ("低保申请", "", "url", "请填写办理地址"),
        ("低保申请", "javascript:alert(1)", "url", "不是有效的网址"),
        ("低保申请", "ftp://zwfw.example.gov.cn/x", "url", "应以 http:// 或 https:// 开头"),
        ("低保申请", "zwfw.example.gov.cn/item", "url", "不是有效的网址"),
        ("低保申请", "https://zwfw.example.gov.cn/" + "a" * 500, "url", "不能超过 500 个字符"),
    ],
)
def test_bad_input_is_named_in_chinese_and_nothing_is_stored(tree, people, name, url, field, says):
    with pytest.raises(ValidationFailed) as caught:
        svc.add_service_link(actor=people["admin"], category=category(tree.town, "dibao"), name=name, url=url)
    assert says in caught.value.errors[field][0]
    assert not ServiceLink.objects.exists() and not AuditEvent.objects.filter(action="category.service_add").exists()


def test_the_same_address_twice_and_too_many_links_are_refused(tree, people):
    column = category(tree.town, "dibao")
    svc.add_service_link(actor=people["admin"], category=column, name="低保申请", url=URL)
    with pytest.raises(ValidationFailed) as caught:
        svc.add_service_link(actor=people["admin"], category=column, name="低保申请", url=URL)
    assert caught.value.errors["url"] == ["本栏目已有这个办理地址"]
    for n in range(svc.MAX_SERVICE_LINKS - 1):
        svc.add_service_link(actor=people["admin"], category=column, name=f"事项{n}", url=f"{URL}/{n}")
    with pytest.raises(ValidationFailed) as caught:
        svc.add_service_link(actor=people["admin"], category=column, name="再一个", url=URL + "/more")
    assert "最多 20 个" in caught.value.errors["__all__"][0]


@pytest.mark.parametrize("who", ["drafter", "signer", "street_admin", "sysadmin", "supervisor"])
def test_only_the_units_admin_maintains_them(tree, people, who):
    column = category(tree.town, "dibao")
    with pytest.raises(NotAllowed):
        svc.add_service_link(actor=people[who], category=column, name="低保申请", url=URL)
    link = svc.add_service_link(actor=people["admin"], category=column, name="低保申请", url=URL)
    with pytest.raises(NotAllowed):
        svc.remove_service_link(actor=people[who], link=link)
    assert ServiceLink.objects.count() == 1
