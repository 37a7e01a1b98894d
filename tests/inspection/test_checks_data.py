"""``data/checks.yaml``: every check has a measure, thresholds and a source; a malformed file is refused with a
Chinese message naming the item."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from gongkai.inspection import definitions, scoring, standard
from gongkai.inspection.checks import MEASURES
from gongkai.inspection.definitions import ChecksDataError


def raw() -> dict:
    return yaml.safe_load(definitions.DATA_FILE.read_text(encoding="utf-8"))


def test_the_shipped_sheet_loads_and_adds_up_to_100() -> None:
    sheet = scoring.sheet()
    assert sheet.total == 100
    assert sum(c.points.max for c in sheet.checks if c.points) + sheet.unmeasured == 100
    ids = {c.id for c in sheet.checks}
    assert {"home_freshness", "empty_columns", "column_freshness", "long_stale_columns", "availability"} <= ids
    assert all(c.source.document and c.source.item for c in sheet.checks)
    assert sheet.by_id("home_freshness").threshold("period").days() == 14  # rule home_page_update: 2 weeks
    assert sheet.by_id("column_freshness").threshold("policy").days() == 183
    assert sheet.by_id("availability").threshold("timeout").value == 15
    assert all(c.points is None for c in sheet.checks if c.is_veto)


def test_unknown_measure_names_the_item() -> None:
    data = raw()
    data["checks"][1]["measure"] = "crystal_ball"
    with pytest.raises(ChecksDataError, match=r"检查项 home_freshness（首页不更新）：未知的测量方法“crystal_ball”"):
        definitions.parse(data, MEASURES)


def test_points_not_adding_up_are_refused() -> None:
    data = raw()
    dead = next(c for c in data["checks"] if c["id"] == "dead_links")
    dead["points"]["max"] = 15
    with pytest.raises(ChecksDataError, match=r"扣分表分值合计不符.*dead_links 15.*合计 90 分.*应等于总分 100 分"):
        definitions.parse(data, MEASURES)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.pop("source"), r"检查项 dead_links（站内链接不可用）：缺少 source"),
        (lambda c: c.update(kind="maybe"), r"类型（kind）应为 veto（单项否决）或 deduction（扣分）"),
        (lambda c: c.update(points={"per": 11, "max": 10}), r"每处扣分 11 超过本项最多扣分 10"),
        (lambda c: c.update(points=None), r"扣分项须写明 points"),
        (lambda c: c.update(thresholds={"x": {"rule": "no_such_rule"}}), r"规则“no_such_rule”.*不存在"),
        (lambda c: c.update(thresholds={"x": {"value": 3, "unit": "光年"}}), r"未知的阈值单位“光年”"),
        (lambda c: c.update(colour="red"), r"未知的字段 colour"),
    ],
)
def test_malformed_items(change, message) -> None:
    data = raw()
    dead = next(c for c in data["checks"] if c["id"] == "dead_links")
    change(dead)
    with pytest.raises(ChecksDataError, match=message):
        definitions.parse(copy.deepcopy(data), MEASURES)


def test_veto_items_carry_no_points() -> None:
    data = raw()
    data["checks"][0]["points"] = {"per": 1, "max": 1}
    with pytest.raises(ChecksDataError, match=r"检查项 availability（站点无法访问）：单项否决项不扣分"):
        definitions.parse(data, MEASURES)


def test_a_file_that_is_not_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "checks.yaml"
    bad.write_text("checks: [unclosed", encoding="utf-8")
    with pytest.raises(ChecksDataError, match="不是有效的 YAML"):
        definitions.load_file(bad, MEASURES)


def test_the_standard_catalog_items_load_and_bad_ones_are_named() -> None:
    items = standard.catalog().items
    assert {i.area for i in items} >= {"财政预决算", "社会救助", "涉农补贴"}
    dibao = next(i for i in items if i.name == "最低生活保障")
    assert dibao.limit_text == "每季度" and "dibao" in dibao.columns
    data = yaml.safe_load(standard.DATA_FILE.read_text(encoding="utf-8"))
    data["items"][2]["limit"] = {"every": "旬"}
    with pytest.raises(ChecksDataError, match=r"标准目录事项 社会救助·最低生活保障：公开时限应写作"):
        standard.parse(data)
    data["items"][2].pop("basis")
    with pytest.raises(ChecksDataError, match=r"社会救助·最低生活保障：缺少 basis"):
        standard.parse(data)
