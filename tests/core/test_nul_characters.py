"""A NUL character in any form field or query parameter is dropped before the view reads it (PostgreSQL cannot
store one: the statement fails and the page would answer 503): the rest of what was typed is kept."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from gongkai.core.models import AuditEvent
from tests.logins import form_login


def test_a_nul_in_a_login_name_is_dropped_and_the_failure_recorded(client: Client, people) -> None:
    name = people["drafter"].username
    answer = form_login(client, name[:3] + "\x00" + name[3:], "wrong-password")
    assert answer.status_code == 200
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.object_id == name  # stored without the NUL, on SQLite and PostgreSQL alike


def test_a_nul_in_a_search_filter_is_dropped(client: Client, people, draft) -> None:
    draft(title="关于东山镇低保复核的通知")
    client.force_login(people["drafter"])
    page = client.get(reverse("staff:entry_list"), {"q": "低\x00保复核"})
    assert page.status_code == 200 and "关于东山镇低保复核的通知" in page.content.decode()


def test_a_nul_in_a_multipart_field_is_dropped(client: Client, people, tree) -> None:
    client.force_login(people["admin"])
    from tests.factories import category

    column = category(tree.town, "dibao")
    url = reverse("staff:service_links", args=[column.pk])
    answer = client.post(url, {"name": "低保\x00申请", "url": "https://zwfw.example.gov.cn/dibao"}, follow=True)
    assert "已添加办事服务“低保申请”" in answer.content.decode()
