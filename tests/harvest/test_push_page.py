"""汇聚推送 page (issue 24): the system administrator sees the endpoint (without its token), the backlog, the
failures and the next retry, the latest attempts, and pushes now; nobody else sees it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.harvest import selectors
from gongkai.harvest.models import HarvestChange
from gongkai.harvest.tasks import push_changes

from . import test_push
from .test_push import Endpoint

# The fixtures of test_push: a real endpoint on loopback and the settings that point the push at it.
endpoint = test_push.endpoint
push_settings = test_push.push_settings


def page(client: Any) -> str:
    response = client.get(reverse("harvest:push"))
    assert response.status_code == 200
    return response.content.decode()


def test_unconfigured_says_how(client: Any, people: Any, history: dict[str, Any]) -> None:
    client.force_login(people["sysadmin"])
    html = page(client)
    latest = HarvestChange.objects.order_by("-id").values_list("id", flat=True).first()
    # A sequence number, not a count: PostgreSQL sequences are not reset between tests.
    assert "未配置主动推送" in html and "GONGKAI_PUSH_URL" in html and f"已记录变更至序号 {latest}" in html


def test_failures_backlog_and_push_now(
    client: Any,
    people: Any,
    history: dict[str, Any],
    endpoint: Endpoint,
    push_settings: Any,
    settings: Any,
) -> None:
    push_settings()
    settings.GONGKAI_PUSH_URL = endpoint.url + "?token=topsecret"
    endpoint.script = ["503", "503"]
    assert push_changes.call() == 0
    client.force_login(people["sysadmin"])
    html = page(client)
    assert "topsecret" not in html and selectors.redacted(settings.GONGKAI_PUSH_URL) in html
    assert "<strong>7 条</strong>" in html and "1 轮" in html and "下次自动重试" in html
    assert html.count(">失败<") == 2 and "503" in html

    done = client.post(reverse("harvest:push_now"), follow=True)  # the immediate task backend runs it here
    assert "已加入后台任务：推送 7 条" in done.content.decode()
    html = page(client)
    assert "无，已全部送达" in html and "连续失败</th><td>0" in html
    assert len(endpoint.seqs()) == 7


def test_only_the_system_administrator(client: Any, people: Any) -> None:
    for who in ("admin", "auditor", "supervisor"):
        client.force_login(people[who])
        assert client.get(reverse("harvest:push")).status_code == 403
        assert client.post(reverse("harvest:push_now")).status_code == 403
    client.logout()
    assert client.get(reverse("harvest:push")).status_code == 302
