"""Feeds parse in a standard reader; sitemaps and robots.txt are valid."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import feedparser
from django.test import Client

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_unit_feed_parses(sample: dict[str, Any], client: Client, settings: Any) -> None:
    response = client.get("/dongshan/feed.xml")
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    titles = [e.title for e in feed.entries]
    assert "东山镇农村低保实施办法" in titles and "城关街道通知" not in titles
    entry = next(e for e in feed.entries if e.title == "东山镇农村低保实施办法")
    assert entry.link == f"{settings.GONGKAI_PUBLIC_URL}/dongshan/info/{sample['policy'].pk}/"
    assert entry.published_parsed is not None


def test_category_feed_includes_sub_columns(sample: dict[str, Any], client: Client) -> None:
    feed = feedparser.parse(client.get("/dongshan/list/statutory/feed.xml").content)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["东山镇农村低保实施办法"]
    empty = feedparser.parse(client.get("/dongshan/list/budget/feed.xml").content)
    assert not empty.bozo and empty.entries == []


def test_sitemaps_are_valid(sample: dict[str, Any], client: Client, settings: Any) -> None:
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{SM}sitemapindex"
    locs = [e.text for e in index.iter(f"{SM}loc")]
    assert f"{settings.GONGKAI_PUBLIC_URL}/dongshan/sitemap.xml" in locs
    unit_map = ET.fromstring(client.get("/dongshan/sitemap.xml").content)
    assert unit_map.tag == f"{SM}urlset"
    urls = [e.text for e in unit_map.iter(f"{SM}loc")]
    assert f"{settings.GONGKAI_PUBLIC_URL}/dongshan/info/{sample['policy'].pk}/" in urls
    assert all(u and u.startswith("http") for u in urls)


def test_robots(client: Client, db: Any) -> None:
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /staff/" in text and "Sitemap: " in text
