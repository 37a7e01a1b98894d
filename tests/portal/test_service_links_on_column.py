"""A column's 办事服务 links appear on its public list page as soon as they are added, and go when removed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkai.catalog import categories
from gongkai.portal.builder import build_site
from tests.factories import category


def test_the_column_page_lists_its_links(
    sample: dict[str, Any], tree: Any, people: Any, committed: Any, site_dir: Path
) -> None:
    build_site()
    column = category(tree.town, "dibao")
    page = site_dir / "dongshan/list/dibao/index.html"
    assert "办事服务" not in page.read_text()
    url = "https://zwfw.example.gov.cn/item/dibao?area=330100&amp=1"
    add = categories.add_service_link
    link = committed(add, actor=people["admin"], category=column, name="最低生活保障申请", url=url)
    html = page.read_text()
    assert '<h2 id="services-h">办事服务</h2>' in html
    escaped = "https://zwfw.example.gov.cn/item/dibao?area=330100&amp;amp=1"
    assert f'href="{escaped}" rel="noopener external">最低生活保障申请</a>' in html
    other = (site_dir / "dongshan/list/notices/index.html").read_text()
    assert "最低生活保障申请" not in other  # only its own column
    committed(categories.remove_service_link, actor=people["admin"], link=link)
    assert "办事服务" not in page.read_text()
