"""API fixtures: a few published entries (one with an attachment, one withdrawn), generous rate limits."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from gongkai.catalog import services
from tests.factories import category


@pytest.fixture(autouse=True)
def _generous_limits(settings: Any) -> None:
    settings.GONGKAI_RATE_LIMITS = {"search": (100_000, 60), "api": (100_000, 60), "api_write": (100_000, 60)}
    settings.GONGKAI_APPLY_RATE_LIMITS = {"api_submit": (100_000, 60), "track": (100_000, 60)}


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def sample(tree: Any, people: Any, draft: Any, publish: Any, committed: Any) -> dict[str, Any]:
    policy = draft(
        title="东山镇农村低保实施办法",
        category=category(tree.town, "normative"),
        document_number="东政发[2025]3号",
        topic_words="低保 社会救助",
        genre="办法",
        summary="规范农村最低生活保障。",
        body="<p>为规范农村最低生活保障工作，制定本办法。</p>",
    )
    services.add_attachment(
        actor=people["drafter"],
        entry=policy,
        name="低保标准.csv",
        stream=io.BytesIO("村名,标准（元/月）\n李家村,780\n".encode()),
    )
    policy = committed(publish, policy)
    notice = committed(publish, draft(title="关于做好防汛工作的通知", summary="防汛值班安排。"))
    gone = committed(publish, draft(title="已撤回的低保名单"))
    committed(services.withdraw, actor=people["admin"], entry=gone, reason="名单有误")
    gone.refresh_from_db()
    return {"policy": policy, "notice": notice, "withdrawn": gone}


@pytest.fixture
def api(client: Client) -> Client:
    return client
