"""A table in an entry's body scrolls sideways on a phone inside a region that takes keyboard focus (WCAG 2.1.1;
axe-core's scrollable-region-focusable on the published annual report, issue 21)."""

from __future__ import annotations

from gongkai.portal.render import TABLE_REGION, scrollable_tables


def test_each_table_is_wrapped_and_nesting_is_kept():
    html = "<p>一</p><table><tr><td><table><tr><td>内</td></tr></table></td></tr></table><TABLE></TABLE >"
    out = scrollable_tables(html)
    assert out.count(TABLE_REGION) == 3
    assert out.count("</table></div>") == 3
    assert out.startswith("<p>一</p>" + TABLE_REGION + "<table>")
    assert 'tabindex="0"' in TABLE_REGION and 'role="region"' in TABLE_REGION and "aria-label=" in TABLE_REGION


def test_a_body_without_tables_is_untouched():
    assert scrollable_tables("<p>没有表格</p>") == "<p>没有表格</p>"


def test_the_published_page_has_the_region(publish, draft, tree, client):
    from gongkai.portal.builder import build_site

    entry = publish(draft(title="2025年政府信息公开工作年度报告", body="<table><tr><th>行</th><td>1</td></tr></table>"))
    build_site()
    from pathlib import Path

    from django.conf import settings

    page = (Path(settings.SITE_DIR) / tree.town.slug / "info" / str(entry.pk) / "index.html").read_text("utf-8")
    assert TABLE_REGION + "<table>" in page
