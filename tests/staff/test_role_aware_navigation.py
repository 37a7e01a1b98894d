"""The staff menu shows each role only what it can open, with the counts that call for action (issue 21:
a signer and the county supervisor saw 新建信息 and 目录维护, which ended in error pages)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongkai.catalog import services

NAV = re.compile(r'<nav class="mainnav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)')


def menu(client, user) -> dict[str, str]:
    client.force_login(user)
    html = client.get(reverse("staff:dashboard")).content.decode()
    block = NAV.search(html)
    assert block, "no staff menu on the dashboard"
    return {label.strip(): url for url, label in LINK.findall(block.group(1))}


EXPECTED = {
    "drafter": {"工作台", "新建信息", "信息管理", "依申请公开", "互动交流", "年度报告", "公开栏"},
    "reviewer": {"工作台", "信息管理", "保密审查", "依申请公开", "互动交流", "年度报告", "公开栏"},
    "signer": {"工作台", "信息管理", "审签", "依申请公开", "互动交流", "年度报告", "公开栏"},
    "admin": {
        "工作台",
        "新建信息",
        "信息管理",
        "保密审查",
        "依申请公开",
        "互动交流",
        "目录维护",
        "敏感信息预警",
        "年度报告",
        "网站自查",
        "公开栏",
        "归档移交",
        "接口令牌",
        "密码重置",
        "邮件订阅",
    },
    "supervisor": {"工作台", "信息管理", "依申请公开", "年度报告", "网站自查", "公开栏", "邮件订阅", "归档移交"},
    "sysadmin": {"工作台", "登录锁定", "汇聚推送", "密码重置"},
    "auditor": {"工作台", "密码重置", "审计日志"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_only_what_it_can_open(client, people, role):
    links = menu(client, people[role])
    assert set(links) == EXPECTED[role]
    for label, url in links.items():
        response = client.get(url)
        assert response.status_code == 200, f"{role}: {label} → {url} answered {response.status_code}"


def test_queues_show_their_counts(client, people, draft):
    for _ in range(3):
        services.submit_for_review(actor=people["drafter"], entry=draft())
    entry = services.submit_for_review(actor=people["drafter"], entry=draft())
    services.review_pass(actor=people["reviewer"], entry=entry)
    client.force_login(people["reviewer"])
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert '保密审查 <span class="count"><span class="vh">待审核</span>3</span>' in html
    client.force_login(people["signer"])
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert '审签 <span class="count"><span class="vh">待审签</span>1</span>' in html
    client.force_login(people["street_signer"])  # another unit's signer: nothing waits for them
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert 'class="count"' not in html
