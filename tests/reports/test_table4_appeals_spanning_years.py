"""Table 四 and appeals that span years (issue 16 item 8; 国办公开办函〔2021〕30号 表四). The documented rule
(``GONGKAI_APPEAL_COUNTING=carry``, the common practice): a year shows the appeals filed in it and those filed
earlier and still undecided when it began, each with its outcome on 31 December — a 复议 filed last year and
decided this year appears with its outcome this year, one still pending appears as 尚未审结 in both years.
``filed`` counts only the appeals filed in the year. The report's note states the rule used."""

from __future__ import annotations

from datetime import date

from gongkai.applications import replies
from gongkai.reports import annual, render


def appeal(case, people, today, filed, decided=None, outcome="upheld"):
    today(date(2026, 11, 1))
    app = case(date(2024, 9, 2), result="granted", replied=date(2024, 9, 20))
    row = replies.record_appeal(actor=people["admin"], application=app, kind="reconsideration", filed_on=filed)
    if decided:
        replies.decide_appeal(actor=people["admin"], appeal=row, outcome=outcome, decided_on=decided)
    return row


def reconsideration(tree, year):
    return annual.appeals_table(tree.town, year)["reconsideration"]


def test_an_appeal_decided_next_year_is_pending_this_year_and_counted_with_its_outcome_next_year(
    case, people, tree, today
):
    appeal(case, people, today, filed=date(2024, 11, 5), decided=date(2025, 2, 10))
    assert reconsideration(tree, 2024) == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert reconsideration(tree, 2025) == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert reconsideration(tree, 2026)["total"] == 0  # decided before 2026 began


def test_an_appeal_pending_for_two_years_is_pending_in_both(case, people, tree, today):
    appeal(case, people, today, filed=date(2024, 11, 5))
    for year in (2024, 2025, 2026):
        assert reconsideration(tree, year) == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}


def test_decided_in_the_year_it_was_filed_counts_once(case, people, tree, today):
    appeal(case, people, today, filed=date(2025, 3, 5), decided=date(2025, 6, 1), outcome="corrected")
    assert reconsideration(tree, 2025)["corrected"] == 1
    assert reconsideration(tree, 2026)["total"] == 0


def test_filed_rule_counts_only_the_year_of_filing(case, people, tree, today, settings):
    settings.GONGKAI_APPEAL_COUNTING = "filed"
    appeal(case, people, today, filed=date(2024, 11, 5), decided=date(2025, 2, 10))
    assert reconsideration(tree, 2024)["pending"] == 1
    assert reconsideration(tree, 2025)["total"] == 0
    notes = render.build(tree.town, 2025).table4_notes
    assert notes == ["表四只统计本年提起的行政复议、行政诉讼，结果按12月31日的状态统计，以后年度审结的不再计入。"]


def test_the_report_states_the_carry_rule_and_its_totals_still_add_up(case, people, tree, today):
    appeal(case, people, today, filed=date(2024, 11, 5), decided=date(2025, 2, 10))
    doc = render.build(tree.town, 2025)
    assert "跨年度审结的案件在审结年度按其结果统计" in doc.table4_notes[0]
    assert "跨年度审结的案件在审结年度按其结果统计" in render.body_html(doc)
    assert not [c for c in doc.data["checks"] if c["check"] == "appeal_total"]
