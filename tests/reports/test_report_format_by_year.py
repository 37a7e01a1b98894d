"""The format in force for the report year (《条例》第五十条; data/formats.yaml): 2021 onwards 国办公开办函〔2021〕30号;
2019 and 2020 had the 2019 trial format (国办公开办函〔2019〕60号), whose table 二 counts items the platform does not
record, and years before 2019 had no national table — those reports say plainly they are a 2021-format
reconstruction (issue 16 item 7)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.reports import render, spec


@pytest.mark.parametrize(
    ("year", "instrument", "rebuilt"),
    [(2025, "国办公开办函〔2021〕30号", False), (2021, "国办公开办函〔2021〕30号", False),
     (2020, "国办公开办函〔2019〕60号（试行）", True), (2019, "国办公开办函〔2019〕60号（试行）", True),
     (2012, "2007年《政府信息公开条例》时期各地自定格式", True)],
)  # fmt: skip
def test_the_format_of_each_report_year(year, instrument, rebuilt):
    row = spec.format_for(year)
    assert (row.instrument, row.reconstruction) == (instrument, rebuilt)


def test_a_2020_report_says_it_is_a_reconstruction(tree, today):
    today(date(2026, 3, 1))
    html = render.body_html(render.build(tree.town, 2020))
    assert "本报告按国办公开办函〔2021〕30号格式由平台记录重构" in html and "政府集中采购" in html


def test_a_2012_report_says_there_was_no_national_table(tree, today):
    today(date(2026, 3, 1))
    html = render.body_html(render.build(tree.town, 2012))
    assert "2019年以前（2007年《政府信息公开条例》时期）没有全国统一的年度报告表格" in html


def test_a_2025_report_carries_no_reconstruction_note(tree, today):
    today(date(2026, 3, 1))
    assert "由平台记录重构" not in render.body_html(render.build(tree.town, 2025))


def test_every_year_from_2008_has_exactly_one_format():
    for year in range(2008, 2031):
        assert sum(row.covers(year) for row in spec.formats()) == 1, year
