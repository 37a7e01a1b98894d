"""Dead internal links, external links and the 信息属性 table of entry pages, read from a real built site
(``gongkai.portal.builder.build_site``) with the defects planted into its files."""

from __future__ import annotations

import re

import pytest

from gongkai.core.errors import ValidationFailed
from gongkai.inspection import services
from gongkai.portal import paths
from gongkai.portal.builder import build_site
from tests.inspection.conftest import check


@pytest.fixture
def site(tmp_path, fresh_columns):
    root = tmp_path / "site"
    build_site(root)
    return root


def test_a_clean_built_site_has_no_dead_links(tree, site, today) -> None:
    result = services.run_inspection(actor=None, unit=tree.town, site=site, today=today).findings
    dead = check(result, "dead_links")
    assert dead["measured"] and dead["count"] == 0, dead["problems"][:3]
    assert check(result, "missing_metadata")["count"] == 0
    assert result["site_checked"]


def test_a_broken_href_costs_one_point(tree, site, today) -> None:
    page = site / "dongshan" / "extra" / "index.html"
    page.parent.mkdir()
    page.write_text(
        '<html><body><a href="/dongshan/info/999999/">旧链接</a> <a href="../list/notices/">通知公告</a>'
        '<img src="missing.png"> <a href="mailto:a@b.cn">信箱</a> <a href="/apply/">申请</a>'
        '<a href="https://www.example.com/x">外站</a> <a href="http://10.1.2.3/">内网</a></body></html>',
        encoding="utf-8",
    )
    result = services.run_inspection(actor=None, unit=tree.town, site=site, today=today).findings
    dead = check(result, "dead_links")
    assert dead["count"] == 2 and dead["deducted"] == 2
    assert {p["message"] for p in dead["problems"]} == {
        "页面 /dongshan/extra/ 的链接 /dongshan/info/999999/ 指向的文件不存在",
        "页面 /dongshan/extra/ 的链接 missing.png 指向的文件不存在",
    }
    ext = check(result, "external_links")
    assert ext["count"] == 2 and ext["deducted"] == 0
    assert any("IP 地址 http://10.1.2.3/" in p["message"] for p in ext["problems"])
    assert any("非 gov.cn 网站 https://www.example.com/x" in p["message"] for p in ext["problems"])


def test_an_entry_page_without_formed_date_costs_one_point(tree, site, fresh_columns, today) -> None:
    entry = fresh_columns[0]
    page = paths.file_for(site, paths.entry_page(tree.town.slug, entry.pk))
    html = page.read_text(encoding="utf-8")
    planted = re.sub(r"(<th scope=\"row\">成文日期</th><td>)[^<]*(</td>)", r"\1—\2", html)
    assert planted != html
    page.write_text(planted, encoding="utf-8")
    result = services.run_inspection(actor=None, unit=tree.town, site=site, today=today).findings
    meta = check(result, "missing_metadata")
    assert meta["count"] == 1 and meta["deducted"] == 1
    [problem] = meta["problems"]
    assert problem["message"] == f"信息“{entry.title}”缺少成文日期"
    assert problem["link"] == f"/staff/entries/{entry.pk}/"


def test_without_a_site_folder_the_site_checks_are_not_measured(tree, fresh_columns, today) -> None:
    result = services.run_inspection(actor=None, unit=tree.town, today=today).findings
    assert not check(result, "dead_links")["measured"]
    assert "未提供生成的网站目录" in check(result, "dead_links")["summary"]


def test_a_broken_site_folder_is_refused_in_chinese(tree, tmp_path, today) -> None:
    with pytest.raises(ValidationFailed, match="不存在"):
        services.run_inspection(actor=None, unit=tree.town, site=tmp_path / "nowhere", today=today)
    (tmp_path / "half").mkdir()
    with pytest.raises(ValidationFailed, match=r"缺少首页 index\.html"):
        services.run_inspection(actor=None, unit=tree.town, site=tmp_path / "half", today=today)
