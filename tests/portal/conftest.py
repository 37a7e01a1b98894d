"""Portal fixtures: entries published through the real services, with after-commit hooks actually run."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from gongkai.catalog import services
from tests.factories import category


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a callable and then its after-commit hooks (signals → site refresh), as a real request would."""

    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def published(draft: Any, publish: Any, committed: Any) -> Any:
    def run(**fields: Any) -> Any:
        entry = draft(**fields)
        return committed(publish, entry)

    return run


@pytest.fixture
def sample(tree: Any, people: Any, draft: Any, publish: Any, published: Any, committed: Any) -> dict[str, Any]:
    """A small site: a policy with an attachment and its interpretation, a notice, a street entry."""
    policy = draft(
        title="东山镇农村低保实施办法",
        category=category(tree.town, "normative"),
        document_number="东政发[2025]3号",
        topic_words="低保 社会救助",
        genre="办法",
        body="<h2>第一章 总则</h2><p>为规范农村最低生活保障工作，制定本办法。</p>",
    )
    services.add_attachment(
        actor=people["drafter"],
        entry=policy,
        name="低保标准.csv",
        stream=io.BytesIO("村名,标准（元/月）\n李家村,780\n".encode()),
    )
    policy = committed(publish, policy)
    reading = published(
        title="《东山镇农村低保实施办法》政策解读",
        category=category(tree.town, "interpretation"),
        genre="解读",
    )
    committed(services.set_related, actor=people["admin"], entry=policy, related=[reading])
    notice = published(title="关于做好防汛工作的通知")
    street = draft(
        unit=tree.street,
        actor=people["street_drafter"],
        publisher=tree.street,
        category=category(tree.street, "notices"),
        title="城关街道通知",
    )
    street = committed(publish_street, street, people)
    return {"policy": policy, "reading": reading, "notice": notice, "street": street}


def publish_street(entry: Any, people: dict[str, Any]) -> Any:
    entry = services.submit_for_review(actor=people["street_drafter"], entry=entry)
    entry = services.review_pass(actor=people["street_admin"], entry=entry)
    return services.sign_and_publish(actor=people["street_signer"], entry=entry)


@pytest.fixture
def site_dir(settings: Any) -> Path:
    return Path(settings.SITE_DIR)


@pytest.fixture
def client() -> Client:
    return Client()


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a built site, by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
