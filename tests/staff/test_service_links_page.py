"""The 办事服务 page of a column in 目录维护: the unit's admin lists, adds and removes links; a bad name or address
comes back with a Chinese error beside its field and what was typed kept; anyone else gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog.models import ServiceLink
from tests.factories import category


def test_add_list_and_remove(client, tree, people):
    column = category(tree.town, "dibao")
    client.force_login(people["admin"])
    page = reverse("staff:service_links", args=[column.pk])
    assert "本栏目还没有办事服务链接" in client.get(page).content.decode()
    catalog = client.get(reverse("staff:catalog")).content.decode()
    assert f'href="{page}"' in catalog
    done = client.post(page, {"name": "最低生活保障申请", "url": "https://zwfw.example.gov.cn/dibao"}, follow=True)
    html = done.content.decode()
    assert "已添加办事服务“最低生活保障申请”" in html and "https://zwfw.example.gov.cn/dibao" in html
    assert "办事服务（1）" in client.get(reverse("staff:catalog")).content.decode()
    link = ServiceLink.objects.get()
    gone = client.post(reverse("staff:remove_service_link", args=[link.pk]), follow=True)
    assert "已删除办事服务“最低生活保障申请”" in gone.content.decode() and not ServiceLink.objects.exists()


def test_a_bad_address_is_named_and_what_was_typed_is_kept(client, tree, people):
    column = category(tree.town, "dibao")
    client.force_login(people["admin"])
    answer = client.post(reverse("staff:service_links", args=[column.pk]), {"name": "低保申请", "url": "zwfw/dibao"})
    html = answer.content.decode()
    assert answer.status_code == 400
    assert '<p class="error" role="alert" id="e_url">办理地址：办理地址“zwfw/dibao”不是有效的网址' in html
    assert 'value="低保申请"' in html and 'value="zwfw/dibao"' in html
    assert not ServiceLink.objects.exists()


@pytest.mark.parametrize("who", ["drafter", "street_admin", "sysadmin"])
def test_others_get_not_found(client, tree, people, who):
    column = category(tree.town, "dibao")
    from gongkai.catalog import categories

    link = categories.add_service_link(actor=people["admin"], category=column, name="低保申请", url="https://a.gov.cn/")
    client.force_login(people[who])
    assert client.get(reverse("staff:service_links", args=[column.pk])).status_code == 404
    post = client.post(reverse("staff:service_links", args=[column.pk]), {"name": "x", "url": "https://b.gov.cn/"})
    assert post.status_code == 404
    assert client.post(reverse("staff:remove_service_link", args=[link.pk])).status_code == 404
    assert list(ServiceLink.objects.values_list("url", flat=True)) == ["https://a.gov.cn/"]
