"""Harvest fixtures: changes committed for real (the log is written after commit), generous rate limits."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from gongkai.catalog import services
from tests.factories import category


@pytest.fixture(autouse=True)
def _generous_limits(settings: Any) -> None:
    settings.GONGKAI_RATE_LIMITS = {"api": (100_000, 60), "harvest": (100_000, 60)}
    settings.GONGKAI_PUSH_URL = ""


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def history(tree: Any, people: Any, draft: Any, publish: Any, committed: Any) -> dict[str, Any]:
    """Published: a policy with an attachment, a notice, a street notice; then the notice edited, a third
    township entry withdrawn, the policy repealed — seven changes in this order."""
    policy = draft(
        title="东山镇农村低保实施办法",
        category=category(tree.town, "normative"),
        document_number="东政发〔2025〕3号",
        topic_words="低保 社会救助",
        genre="办法",
        summary="规范农村最低生活保障。",
        body="<p>为规范农村最低生活保障工作，制定本办法。</p>",
    )
    services.add_attachment(
        actor=people["drafter"],
        entry=policy,
        name="低保标准.csv",
        stream=io.BytesIO("村名,标准\n李家村,780\n".encode()),
    )
    policy = committed(publish, policy)
    notice = committed(publish, draft(title="关于做好防汛工作的通知", summary="防汛值班安排。"))
    street = draft(
        unit=tree.street,
        publisher=tree.street,
        actor=people["street_drafter"],
        category=category(tree.street),
        title="城关街道停水通知",
    )
    street = services.submit_for_review(actor=people["street_drafter"], entry=street)
    street = services.review_pass(actor=people["street_admin"], entry=street)
    street = committed(services.sign_and_publish, actor=people["street_signer"], entry=street)
    gone = committed(publish, draft(title="已撤回的低保名单"))
    committed(
        services.edit_published,
        actor=people["admin"],
        entry=notice,
        reason="更正时间",
        title="关于做好2025年防汛工作的通知",
    )
    committed(services.withdraw, actor=people["admin"], entry=gone, reason="名单有误")
    from datetime import date

    committed(
        services.set_validity, actor=people["admin"], entry=policy, validity="repealed", invalid_date=date(2025, 6, 1)
    )
    for e in (policy, notice, street, gone):
        e.refresh_from_db()
    return {"policy": policy, "notice": notice, "street": street, "withdrawn": gone}


@pytest.fixture
def api(client: Client) -> Client:
    return client
