"""Homepage and column freshness, empty and long-stale columns (国办秘函〔2019〕19号 首页不更新, 栏目不更新)."""

from __future__ import annotations

from gongkai.catalog import categories
from gongkai.catalog.models import Category
from gongkai.inspection import services
from tests.inspection.conftest import check, later


def test_a_unit_with_no_entries_reports_its_empty_columns(tree, today) -> None:
    result = services.run_inspection(actor=None, unit=tree.street, today=today).findings
    leaves = [
        c
        for c in Category.objects.filter(unit=tree.street, is_retired=False)
        if not c.children.filter(is_retired=False).exists()
    ]
    empty = check(result, "empty_columns")
    assert empty["count"] == len(leaves) >= 5
    assert empty["vetoed"]
    assert any("空白栏目“工作动态”" in p["message"] for p in empty["problems"])
    assert all(p["link"].startswith(f"/staff/catalog/?unit={tree.street.pk}#c") for p in empty["problems"])
    assert check(result, "home_freshness")["vetoed"]
    assert "empty_columns" in result["vetoes"] and not result["passed"] and result["verdict"] == "不合格"


def _empty_leaves(unit):
    return [
        c
        for c in Category.objects.filter(unit=unit, is_retired=False, entries__isnull=True).distinct()
        if not c.children.filter(is_retired=False).exists()
    ]


def test_five_empty_columns_veto_four_do_not(tree, people, fresh_columns, pub, today) -> None:
    # Retire every empty column but five (a parent whose sub-columns are all retired is empty too).
    keep = {c.pk for c in _empty_leaves(tree.town)[:5]}
    while extra := [c for c in _empty_leaves(tree.town) if c.pk not in keep]:
        for c in extra:
            categories.set_retired(actor=people["admin"], category=c, retired=True)
    result = services.run_inspection(actor=None, unit=tree.town, today=today).findings
    assert check(result, "empty_columns")["count"] == 5
    assert "empty_columns" in result["vetoes"]
    pub(Category.objects.get(pk=min(keep)).slug)
    result = services.run_inspection(actor=None, unit=tree.town, today=today).findings
    assert check(result, "empty_columns")["count"] == 4
    assert "empty_columns" not in result["vetoes"]


def test_a_stale_dynamic_column_costs_five_points(tree, fresh_columns, pub, today) -> None:
    pub("normative")  # 法规文件 (policy) is fresh through its sub-column
    # Three weeks on: 工作动态 (2 weeks) is stale, the policy columns (6 months) are not.
    result = services.run_inspection(actor=None, unit=tree.town, today=later(21)).findings
    stale = check(result, "stale_watched_column")
    assert stale["count"] == 1 and stale["deducted"] == 5
    [problem] = stale["problems"]
    assert "栏目“工作动态”2周内未更新" in problem["message"]
    news = Category.objects.get(unit=tree.town, slug="news")
    assert problem["link"].endswith(f"#c{news.pk}")
    assert not check(result, "column_freshness")["vetoed"]  # one stale column, five needed
    assert check(result, "home_freshness")["vetoed"]  # the unit's newest publication is 21 days old


def test_homepage_stale_after_two_weeks(tree, fresh_columns, today) -> None:
    assert not check(services.run_inspection(actor=None, unit=tree.town, today=later(14)).findings, "home_freshness")[
        "vetoed"
    ]
    result = services.run_inspection(actor=None, unit=tree.town, today=later(15)).findings
    home = check(result, "home_freshness")
    assert home["vetoed"] and "首页2周内无信息更新" in home["problems"][0]["message"]


def test_long_stale_columns_veto_at_ten(tree, people, pub, today) -> None:
    slugs = [
        c.slug
        for c in Category.objects.filter(unit=tree.town, freshness="none", children__isnull=True).exclude(
            slug__in=["guide", "rules", "functions", "annual-reports", "std-not-applicable"]
        )
    ][:10]
    for slug in slugs[:9]:
        pub(slug)
    result = services.run_inspection(actor=None, unit=tree.town, today=later(400)).findings
    assert check(result, "long_stale_columns")["count"] == 9 and not check(result, "long_stale_columns")["vetoed"]
    pub(slugs[9])
    result = services.run_inspection(actor=None, unit=tree.town, today=later(400)).findings
    assert check(result, "long_stale_columns")["count"] == 10 and check(result, "long_stale_columns")["vetoed"]
