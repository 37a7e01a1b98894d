"""The rules table: rows in force by date, text forms, a source on every row, malformed data refused, and the
package stays on the ground floor (imports no other gongkai app)."""

from __future__ import annotations

import ast
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

from gongkai import rules
from gongkai.rules.periods import chinese_number

RULES_DIR = Path(rules.__file__).resolve().parent

ROW = """
  - key: {key}
    name: 答复期限
    value: {value}
    unit: {unit}
    instrument: 《中华人民共和国政府信息公开条例》
    article: {article}
    quote: 应当自收到申请之日起{value}个工作日内予以答复。
    valid_from: {valid_from}
    valid_to: {valid_to}
    statutory: true
"""


def table(tmp_path: Path, *rows: dict[str, object]) -> rules.PeriodTable:
    defaults = {
        "key": "answer",
        "value": 20,
        "unit": "工作日",
        "article": "第三十三条",
        "valid_from": "",
        "valid_to": "",
    }
    text = "periods:\n" + "".join(ROW.format(**{**defaults, **row}) for row in rows)
    path = tmp_path / "periods.yaml"
    path.write_text(text, encoding="utf-8")
    return rules.read(path)


# --- date ranges ---------------------------------------------------------------------------------------------


def test_the_row_in_force_on_the_day_is_returned(tmp_path):
    t = table(
        tmp_path,
        {"value": 15, "article": "第二十四条", "valid_from": "2008-05-01", "valid_to": "2019-05-14"},
        {"value": 20, "article": "第三十三条", "valid_from": "2019-05-15"},
    )
    assert t.get("answer", on=date(2008, 5, 1)).value == 15
    assert t.get("answer", on=date(2019, 5, 14)).value == 15  # valid_to is the last day in force
    assert t.get("answer", on=date(2019, 5, 15)).value == 20
    assert t.get("answer", on=date(2031, 1, 1)).article == "第三十三条"
    assert [p.value for p in t.history("answer")] == [15, 20]


def test_a_future_change_of_the_law_is_a_new_row(tmp_path):
    t = table(
        tmp_path,
        {"value": 20, "valid_from": "2019-05-15", "valid_to": "2029-12-31"},
        {"value": 10, "article": "第三十三条（修订）", "valid_from": "2030-01-01"},
    )
    assert t.get("answer", on=date(2029, 12, 31)).text == "20个工作日"
    assert t.get("answer", on=date(2030, 1, 1)).text == "10个工作日"


def test_before_the_first_row_nothing_applies(tmp_path):
    t = table(tmp_path, {"valid_from": "2019-05-15"})
    with pytest.raises(rules.RuleNotInForce):
        t.get("answer", on=date(2019, 5, 14))


def test_without_a_date_today_counts(tmp_path, monkeypatch):
    t = table(tmp_path, {"value": 15, "valid_to": "2019-05-14"}, {"value": 20, "valid_from": "2019-05-15"})
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2019, 1, 2))
    assert t.get("answer").value == 15
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 1, 2))
    assert t.get("answer").value == 20


def test_the_real_table_has_dated_history():
    """行政诉讼法: three months until the 2014 revision took effect, six months since (Art. 46)."""
    assert rules.get("litigation", on=date(2015, 4, 30)).chinese == "三个月"
    assert rules.get("litigation", on=date(2015, 5, 1)).chinese == "六个月"
    assert rules.get("reconsideration", on=date(2023, 12, 31)).article == "第九条第一款"
    assert rules.get("reconsideration", on=date(2024, 1, 1)).article == "第二十条第一款"


def test_the_2007_regulation_is_the_history_of_answer_and_extension():
    """国务院令第492号 Art. 24 (15 + 15 working days) until 2019-05-14; the 2019 revision (Art. 33, 20 + 20) from
    2019-05-15 (Art. 56). Cases are counted by the rule in force on their receipt date."""
    for key in ("answer", "extension"):
        old, new = rules.table().history(key)
        assert (old.value, old.valid_to, old.article) == (15, date(2019, 5, 14), "第二十四条第二款"), key
        assert "国务院令第492号" in old.instrument and "15个工作日" in old.quote, key
        assert (new.value, new.valid_from, new.valid_to) == (20, date(2019, 5, 15), None), key


@pytest.mark.parametrize(
    "rows",
    [
        # two open-ended rows
        ({"valid_from": "2019-05-15"}, {"valid_from": "2030-01-01"}),
        # the old row's last day is the new row's first
        ({"valid_to": "2030-01-01"}, {"valid_from": "2030-01-01"}),
        # a row without a start after another row
        ({"valid_to": "2029-12-31"}, {"valid_from": ""}),
    ],
)
def test_overlapping_rows_are_refused(tmp_path, rows):
    with pytest.raises(rules.RulesDataError, match="重叠"):
        table(tmp_path, *rows)


# --- lookups and malformed data ------------------------------------------------------------------------------


def test_unknown_key_raises():
    with pytest.raises(rules.UnknownRule):
        rules.get("answr")
    with pytest.raises(LookupError):  # both lookup errors are LookupErrors
        rules.get("no_such_rule", on=date(2025, 1, 1))


@pytest.mark.parametrize(
    "row,message",
    [
        ({"value": 0}, "value"),
        ({"value": "二十"}, "value"),
        ({"unit": "天"}, "unit"),
        ({"key": "Answer"}, "key"),
        ({"valid_from": '"2019-13-01"'}, "valid_from"),
        ({"valid_from": "2019-13-01"}, "无法解析"),
        ({"valid_from": "2020-01-01", "valid_to": "2019-12-31"}, "valid_to"),
    ],
)
def test_malformed_rows_are_refused(tmp_path, row, message):
    with pytest.raises(rules.RulesDataError, match=message):
        table(tmp_path, row)


def test_a_missing_source_is_refused(tmp_path):
    path = tmp_path / "periods.yaml"
    path.write_text(
        textwrap.dedent(
            """
            periods:
              - {key: answer, name: 答复期限, value: 20, unit: 工作日, article: 第三十三条, quote: "",
                 valid_from: 2019-05-15, valid_to: null, statutory: true}
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(rules.RulesDataError, match="instrument"):
        rules.read(path)


# --- every real row --------------------------------------------------------------------------------------------


def test_every_row_has_a_source():
    for p in rules.table():
        assert p.instrument and p.quote, p.key
        if p.statutory:
            # An article, or a note saying why it is not known (spec §1.5 for the fee measures).
            assert p.article or p.note, p.key
            assert p.instrument.startswith("《"), p.key
        else:
            assert p.instrument == "本平台规则" and p.note, p.key
        if p.article:
            assert p.article.startswith("第") or "指标" in p.article, p.key


def test_values_match_the_regulation():
    """A change here is a change of the law: add a row with its dates, do not edit this test lightly."""
    expected = {
        "answer": "20个工作日",  # Art. 33(2)
        "extension": "20个工作日",  # Art. 33(2)
        "correction_request": "7个工作日",  # Art. 30
        "consultation": "15个工作日",  # Art. 32
        "consultation_agency": "15个工作日",  # Art. 34
        "publication": "20个工作日",  # Art. 26
        "fee_payment": "20个工作日",  # 国办函〔2020〕109号 (spec §1.5)
        "home_page_update": "2周",  # 国办秘函〔2019〕19号
        "column_update_dynamic": "2周",
        "column_update_policy": "6个月",
        "reconsideration": "60日",
        "litigation": "6个月",
        "due_soon": "5个工作日",
        "publication_warning": "15个工作日",
        "rectification_default": "10个工作日",  # 督查整改 (platform practice, not statutory)
        "rectification_max": "60个工作日",
        "fee_free_items": "10件",  # 国办函〔2020〕109号 (spec §1.5)
        "fee_item_band_top": "30件",
        "fee_item_rate": "100元",
        "fee_item_step": "10件",
        "fee_item_step_rate": "100元",
        "fee_free_pages": "30页",
        "fee_page_band1_top": "100页",
        "fee_page_band1_rate": "10元",
        "fee_page_band2_top": "200页",
        "fee_page_band2_rate": "20元",
        "fee_page_band3_rate": "40元",
        "report_government": "3月31日",  # Art. 49
        "report_township": "1月31日",  # county practice (spec §1.6)
        "report_reminder": "30日",
    }
    assert set(rules.table().keys()) == set(expected)
    assert {key: rules.get(key, on=date(2025, 6, 1)).text for key in expected} == expected
    for key in ("answer", "extension", "correction_request", "consultation", "publication"):
        assert "《中华人民共和国政府信息公开条例》" in rules.get(key).instrument
        assert rules.get(key).valid_from == date(2019, 5, 15)  # Art. 56


# --- text forms and units --------------------------------------------------------------------------------------


def test_text_forms():
    answer = rules.get("answer")
    assert (answer.text, answer.spaced, answer.chinese, str(answer)) == (
        "20个工作日",
        "20 个工作日",
        "二十个工作日",
        "20个工作日",
    )
    assert rules.get("home_page_update").chinese == "两周"
    assert rules.get("reconsideration").chinese == "六十日"
    assert answer.source == "《中华人民共和国政府信息公开条例》（国务院令第711号）第三十三条第二款"


@pytest.mark.parametrize(
    "n,text",
    [(1, "一"), (7, "七"), (10, "十"), (15, "十五"), (20, "二十"), (60, "六十"), (101, "一百零一"), (110, "一百一十")],
)
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_units_are_checked_where_a_number_is_used():
    assert rules.get("answer").workdays == 20
    assert rules.get("home_page_update").calendar_days == 14
    assert rules.get("column_update_policy").calendar_days == 183  # ceil(6 × 365.25 / 12)
    with pytest.raises(rules.RulesDataError):
        _ = rules.get("home_page_update").workdays  # weeks are not working days
    with pytest.raises(rules.RulesDataError):
        _ = rules.get("answer").calendar_days  # working days need the calendar


def test_the_table_is_read_once():
    assert rules.table() is rules.table()


# --- the template tag -----------------------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template("{% load rules %}" + source).render(Context(context))


def test_template_tag():
    assert render('{% rule "answer" %}') == "20个工作日"
    assert render('{% rule "answer" "spaced" %}') == "20 个工作日"
    assert render('{% rule "home_page_update" "chinese" %}') == "两周"
    assert render('{% rule "answer" "value" as n %}{{ n|add:5 }}') == "25"
    assert render('{% rule "litigation" "chinese" on=day %}', day=date(2010, 1, 1)) == "三个月"
    assert "第三十三条" in render('{% rule "answer" "source" %}')


def test_template_tag_refuses_unknown_keys_and_forms():
    with pytest.raises(rules.UnknownRule):
        render('{% rule "answr" %}')
    with pytest.raises(TemplateSyntaxError):
        render('{% rule "answer" "days" %}')


# --- the ground floor -----------------------------------------------------------------------------------------


def test_rules_imports_no_other_app():
    allowed_gongkai = {"gongkai.rules", "gongkai.rules.periods", "gongkai.core.errors"}
    for path in RULES_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # ``from gongkai import orgs`` imports the app gongkai.orgs
                names = [f"gongkai.{a.name}" for a in node.names] if node.module == "gongkai" else [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "gongkai":
                    assert name in allowed_gongkai, f"{path.name} imports {name}"
                else:
                    assert top in {"django", "yaml", "__future__"} or top in sys.stdlib_module_names, name
