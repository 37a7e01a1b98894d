"""Fee tiers (国办函〔2020〕109号) and annual report deadlines (《条例》第四十九条) are rows of the rules table:
the computation follows the row in force, a yearly date is checked when the file is read, and a deployment's
own deadline is honoured or, when malformed, reported by ``gongkai check``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import checks

from gongkai import rules
from gongkai.applications import fees
from gongkai.reports import services
from gongkai.rules import periods


def _edited(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, key: str, old: str, new: str) -> None:
    """The platform's table with one line of ``key``'s row changed, as if the data file had been edited."""
    text = periods.DATA_FILE.read_text(encoding="utf-8")
    start = text.index(f"  - key: {key}\n")
    end = text.index("  - key:", start + 10)
    assert old in text[start:end]
    path = tmp_path / "periods.yaml"
    path.write_text(text[:start] + text[start:end].replace(old, new) + text[end:], encoding="utf-8")
    table = rules.read(path)
    monkeypatch.setattr(periods, "table", lambda: table)


def test_fee_tiers_read_the_table():
    assert fees.free_items() == rules.get("fee_free_items").value == 10
    assert fees.page_bands() == ((1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40))
    assert fees.item_rate(10) == 0 and fees.item_rate(11) == 100 and fees.item_rate(30) == 100
    assert fees.item_rate(31) == 200 and fees.item_rate(40) == 200 and fees.item_rate(41) == 300


def test_a_new_fee_measure_is_one_new_row(monkeypatch, tmp_path):
    # The old row gets its last day; the new one applies from the next: only the rules file changes.
    text = periods.DATA_FILE.read_text(encoding="utf-8")
    start = text.index("  - key: fee_free_items\n")
    end = text.index("  - key:", start + 10)
    row = text[start:end]
    closed = row.replace("    valid_to:\n", "    valid_to: 2029-12-31\n")
    new = row.replace("value: 10", "value: 5").replace("valid_from: 2021-01-01", "valid_from: 2030-01-01")
    path = tmp_path / "periods.yaml"
    path.write_text(text[:start] + closed + new + text[end:], encoding="utf-8")
    table = rules.read(path)
    monkeypatch.setattr(periods, "table", lambda: table)
    assert fees.per_item(0, 8, on=date(2029, 12, 31)).amount == 0
    assert fees.per_item(0, 8, on=date(2030, 1, 1)).amount == Decimal(300)  # items 6–8 now cost 100 each


def test_a_yearly_date_is_checked_when_read(tmp_path):
    row = """periods:
  - key: report_government
    name: 截止日
    value: {value}
    unit: 每年日期
    instrument: 《中华人民共和国政府信息公开条例》
    article: 第四十九条
    quote: 每年3月31日前向社会公布。
    valid_from:
    valid_to:
    statutory: true
"""
    path = tmp_path / "periods.yaml"
    path.write_text(row.format(value='"03-31"'), encoding="utf-8")
    rule = rules.read(path).get("report_government")
    assert (rule.text, rule.chinese, rule.date_in(2027)) == ("3月31日", "三月三十一日", date(2027, 3, 31))
    with pytest.raises(rules.RulesDataError, match="不是工作日"):
        _ = rule.workdays
    for bad in ('"02-29"', '"3-31"', "331", '"13-01"'):
        path.write_text(row.format(value=bad), encoding="utf-8")
        with pytest.raises(rules.RulesDataError, match="MM-DD"):
            rules.read(path)


def test_deadlines_come_from_the_rules(tree, settings, monkeypatch, tmp_path):
    settings.GONGKAI_ANNUAL_REPORT_DEADLINE = None
    settings.GONGKAI_COUNTY_REPORT_DEADLINE = None
    assert services.deadline_for(tree.town, 2025) == rules.get("report_township").date_in(2026) == date(2026, 1, 31)
    assert services.deadline_for(tree.county, 2025) == date(2026, 3, 31)
    _edited(monkeypatch, tmp_path, "report_township", 'value: "01-31"', 'value: "01-20"')
    assert services.deadline_for(tree.town, 2025) == date(2026, 1, 20)
    # The reminder window is the rule report_reminder: 10 days ahead instead of 30.
    _edited(monkeypatch, tmp_path, "report_reminder", "value: 30", "value: 10")
    assert services.reminder(tree.town, date(2026, 1, 20)) is None  # 11 days before 01-31
    assert services.reminder(tree.town, date(2026, 1, 21)).days_left == 10


def test_a_deployment_sets_its_own_deadline(tree, settings):
    settings.GONGKAI_ANNUAL_REPORT_DEADLINE = "02-15"
    assert services.deadline_for(tree.town, 2025) == date(2026, 2, 15)
    assert not [w for w in checks.run_checks() if w.id == "rules.W001"]


def test_a_malformed_deadline_falls_back_and_is_reported(tree, settings):
    settings.GONGKAI_ANNUAL_REPORT_DEADLINE = "31/01"
    assert services.deadline_for(tree.town, 2025) == date(2026, 1, 31)
    warnings = [w for w in checks.run_checks() if w.id == "rules.W001"]
    assert len(warnings) == 1 and "GONGKAI_ANNUAL_REPORT_DEADLINE" in warnings[0].msg
