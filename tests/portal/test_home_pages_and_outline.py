"""Public site basics (issue 21): a search box on the county and unit home pages (the unit's searches stay in
the unit), each link once on the unit home, the body's headings under the entry title (no h1 → h3 gap), a meta
description from 内容概述, and nginx's own error answers as Chinese pages of the site."""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.test import Client

from gongkai.portal import render
from gongkai.portal.builder import build_site


def headings(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<h([1-6])\b", html)]


def test_the_home_pages_have_a_search_box(sample: dict[str, Any], client: Client) -> None:
    county = client.get("/").content.decode()
    assert 'role="search"' in county and 'action="/search/"' in county and 'name="org"' not in county
    unit = client.get("/dongshan/").content.decode()
    assert 'role="search"' in unit and 'name="org" value="QH0101"' in unit
    found = client.get("/search/", {"q": "低保", "org": "QH0101"}).content.decode()
    assert "东山镇农村低保实施办法" in found


def test_the_unit_home_links_each_column_once_in_its_body(sample: dict[str, Any], client: Client) -> None:
    html = client.get("/dongshan/").content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert main.count('href="/dongshan/guide/"') <= 1


def test_body_headings_start_under_the_title() -> None:
    assert (
        render.outline_under_title("<h3>一、总则</h3><p>x</p><h4>（一）</h4>")
        == "<h2>一、总则</h2><p>x</p><h3>（一）</h3>"
    )
    assert render.outline_under_title("<h1>标题</h1><h2>一</h2>") == "<h2>标题</h2><h3>一</h3>"
    assert render.outline_under_title("<h5>a</h5><H6 id=x>b</H6>") == "<h2>a</h2><h3 id=x>b</h3>"
    assert render.outline_under_title("<p>no headings</p>") == "<p>no headings</p>"
    assert render.outline_under_title("<h2>a</h2><h4>b</h4>") == "<h2>a</h2><h4>b</h4>"  # top level already h2


def test_an_entry_page_outline_has_no_gap(published: Any, client: Client) -> None:
    entry = published(title="关于开展春季植树活动的通知", body="<h3>一、时间</h3><p>三月。</p><h3>二、地点</h3>",
                      summary="部署春季植树活动。")  # fmt: skip
    html = client.get(f"/dongshan/info/{entry.pk}/").content.decode()
    levels = headings(html.split('<main id="main"', 1)[1])
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert '<meta name="description" content="部署春季植树活动。">' in html


def test_error_pages_are_built_into_the_site(sample: dict[str, Any], settings: Any) -> None:
    from pathlib import Path

    build_site()
    site = Path(settings.SITE_DIR)
    down = (site / "50x.html").read_text(encoding="utf-8")
    assert "服务暂时不可用" in down and "已公开的政府信息不受影响" in down and 'name="robots" content="noindex"' in down
    assert "请求过于频繁" in (site / "429.html").read_text(encoding="utf-8")
