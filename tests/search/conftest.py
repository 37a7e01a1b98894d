"""Search fixtures: a seeded corpus published through the services, indexed like a real deployment."""

from __future__ import annotations

import random
from typing import Any

import pytest

from gongkai.search import indexing
from tests.factories import category, make_draft, publish_entry

WORDS = [
    "农村最低生活保障",
    "特困人员救助供养",
    "临时救助",
    "高标准农田",
    "人居环境整治",
    "宅基地审批",
    "土地承包经营权",
    "防汛抗旱",
    "森林防火",
    "安全生产",
    "耕地地力保护补贴",
    "危房改造",
    "城乡居民医疗保险",
    "退役军人优抚",
    "残疾人两项补贴",
    "控辍保学",
    "乡村振兴",
    "一事一议",
    "政府采购",
    "财政预算",
    "三公经费",
    "河长制",
    "垃圾分类",
    "信息公开",
    "低保",
    "扶贫",
    "公示",
    "通知",
    "东山镇",
    "李家村",
    "人民政府",
    "村民代表大会",
    "民政办",
]
ASCII_BITS = ["2025年", "5G基站", "A级景区", "GB/T 9704", "PM2.5监测", "第3季度", "120急救", "WiFi覆盖"]
PUNCT = ["，", "。", "、", "；", "：", "“", "”", "（", "）", " ", "\n"]


def sentence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 9)):
        parts.append(rng.choice(WORDS) if rng.random() < 0.85 else rng.choice(ASCII_BITS))
        if rng.random() < 0.35:
            parts.append(rng.choice(PUNCT))
    return "".join(parts) + "。"


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture(autouse=True)
def _generous_limits(settings: Any) -> None:
    settings.GONGKAI_RATE_LIMITS = {"search": (10_000, 60), "api": (10_000, 60)}


@pytest.fixture
def corpus(tree: Any, people: dict[str, Any]) -> list[Any]:
    """40 published entries of seeded random government prose, indexed in one go (as `gongkai reindex` does)."""
    rng = random.Random(20250606)
    entries = []
    for n in range(40):
        unit_is_town = n % 4 != 3
        fields: dict[str, Any] = {
            "title": "关于" + rng.choice(WORDS) + rng.choice(WORDS) + "的" + rng.choice(["通知", "公告", "报告"]),
            "summary": sentence(rng),
            "body": "".join(f"<p>{sentence(rng)}</p>" for _ in range(rng.randint(2, 6))),
            "topic_words": " ".join(rng.sample(WORDS, 2)),
            "document_number": f"东政发〔2025〕{n + 1}号",
        }
        if not unit_is_town:
            fields.update(
                unit=tree.street,
                actor=people["street_drafter"],
                publisher=tree.street,
                category=category(tree.street, "notices"),
            )
            entry = make_draft(tree, people, **fields)
            from gongkai.catalog import services

            entry = services.submit_for_review(actor=people["street_drafter"], entry=entry)
            entry = services.review_pass(actor=people["street_admin"], entry=entry)
            entry = services.sign_and_publish(actor=people["street_signer"], entry=entry)
        else:
            entry = publish_entry(make_draft(tree, people, **fields), people)
        entries.append(entry)
    indexing.index_entries([e.pk for e in entries])
    return entries
