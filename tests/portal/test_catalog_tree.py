"""The public catalog (Art. 12, 政府信息公开目录) as a collapsible tree with entry counts (issue 21): the roots are
open, deeper columns fold, each column counts its own published entries and its sub-columns', and the counts move
when an entry is published or withdrawn."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gongkai.catalog import services
from gongkai.portal import selectors
from gongkai.portal.builder import build_site
from gongkai.portal.selectors import CategoryTree
from tests.factories import category


def count_of(html: str, label: str) -> int:
    m = re.search(re.escape(label) + r"(?:</a>)?\s*<span class=\"count\">（(\d+) 条）</span>", html)
    assert m, label
    return int(m.group(1))


def test_counts_include_sub_columns_and_only_published(sample: dict[str, Any], tree: Any, draft: Any) -> None:
    draft(title="尚未发布的规范性文件", category=category(tree.town, "normative"))
    counts = selectors.category_counts(CategoryTree.load(tree.town))
    normative, documents = category(tree.town, "normative"), category(tree.town, "documents")
    statutory = category(tree.town, "statutory")
    assert counts[normative.pk] == 1  # the draft is not counted
    assert counts[documents.pk] == 1  # 法规文件 counts its sub-column 行政规范性文件
    assert counts[statutory.pk] == 1  # and 法定主动公开内容 its grandchild's policy
    assert counts[category(tree.town, "interpretation").pk] == 1  # a root of its own
    assert counts[category(tree.town, "dibao").pk] == 0


def test_the_page_folds_below_the_roots(sample: dict[str, Any], site_dir: Path) -> None:
    build_site()
    html = (site_dir / "dongshan/catalog/index.html").read_text()
    # Roots with children are open; 法规文件 (a second-level branch) is folded.
    assert re.search(r"<details open><summary>法定主动公开内容 ", html)
    assert re.search(r"<details><summary>法规文件 ", html)
    # A folded branch still offers its own list page, and no link sits inside a summary (axe: nested-interactive).
    assert 'href="/dongshan/list/documents/">法规文件：全部信息</a>' in html
    assert not re.search(r"<summary>[^<]*<a ", html)
    assert count_of(html, "行政规范性文件") == 1
    assert count_of(html, "法规文件：全部信息") == 1
    assert count_of(html, "低保") == 0


def test_publishing_and_withdrawing_move_the_counts(
    sample: dict[str, Any], tree: Any, people: Any, draft: Any, publish: Any, committed: Any, site_dir: Path
) -> None:
    build_site()
    page = site_dir / "dongshan/catalog/index.html"
    assert count_of(page.read_text(), "低保") == 0
    entry = committed(publish, draft(title="2025年第三季度城乡低保对象公示", category=category(tree.town, "dibao")))
    assert count_of(page.read_text(), "低保") == 1
    assert count_of(page.read_text(), "社会救助：全部信息") == 1
    committed(services.withdraw, actor=people["admin"], entry=entry, reason="名单有误，撤回核实")
    assert count_of(page.read_text(), "低保") == 0
