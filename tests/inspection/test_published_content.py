"""Re-scan of published text and attachments (live PII), 政策解读 for 规范性文件, Art. 26 lag, the annual report
deadline and the guide's freshness."""

from __future__ import annotations

import io
from datetime import date

import pytest

from gongkai.catalog import services as catalog
from gongkai.core.errors import ValidationFailed
from gongkai.inspection import services
from gongkai.screening import services as screening
from gongkai.screening.models import Finding
from tests.factories import make_draft
from tests.inspection.conftest import check, later


def test_a_mobile_number_in_a_published_attachment_costs_five_points(tree, people, calendar_until_next_year, today):
    entry = make_draft(tree, people, formed_date=today)
    catalog.add_attachment(
        actor=people["drafter"],
        entry=entry,
        name="名单.csv",
        stream=io.BytesIO("姓名,联系电话\n张三,13812345678\n".encode()),
    )
    entry = catalog.submit_for_review(actor=people["drafter"], entry=entry)
    with pytest.raises(ValidationFailed):  # the gate sees the number…
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    for f in Finding.objects.filter(result__entry=entry, result__is_current=True):  # …a reviewer lets it through
        screening.accept_finding(actor=people["reviewer"], finding=f, reason="联系人同意公开")
    entry = catalog.sign_and_publish(
        actor=people["signer"], entry=catalog.review_pass(actor=people["reviewer"], entry=entry)
    )
    result = services.run_inspection(actor=None, unit=tree.town, today=today).findings
    pii = check(result, "live_pii")
    assert pii["count"] == 1 and pii["deducted"] == 5
    [problem] = pii["problems"]
    assert "手机号码 138****5678" in problem["message"] and "附件“名单.csv”" in problem["message"]
    assert "13812345678" not in str(result)
    assert problem["link"] == f"/staff/entries/{entry.pk}/"
    assert not check(result, "secret_markers")["vetoed"]


def test_a_normative_document_without_interpretation(tree, people, pub, today):
    doc = pub("normative", title="东山镇农村宅基地管理办法", genre="办法")
    result = services.run_inspection(actor=None, unit=tree.town, today=later(10)).findings
    row = check(result, "interpretation")
    assert row["count"] == 1 and row["deducted"] == 2
    assert "规范性文件“东山镇农村宅基地管理办法”发布" in row["problems"][0]["message"]
    assert row["problems"][0]["link"] == f"/staff/entries/{doc.pk}/"
    # On the day of publication it is not yet due.
    assert (
        check(services.run_inspection(actor=None, unit=tree.town, today=today).findings, "interpretation")["count"] == 0
    )
    reading = pub("interpretation", title="《东山镇农村宅基地管理办法》政策解读", genre="解读")
    catalog.set_related(actor=people["admin"], entry=doc, related=[reading])
    assert (
        check(services.run_inspection(actor=None, unit=tree.town, today=later(10)).findings, "interpretation")["count"]
        == 0
    )


def test_entries_published_late_cost_a_point_each(tree, people, pub, today):
    pub("notices", formed_date=later(-60))  # ~40 working days before publication
    pub("notices")
    result = services.run_inspection(actor=None, unit=tree.town, today=today).findings
    lag = check(result, "publication_lag")
    assert lag["count"] == 1 and lag["deducted"] == 1
    assert "超过20个工作日" in lag["problems"][0]["message"]


def test_annual_report_not_published_by_its_deadline(tree, today):
    result = services.run_inspection(actor=None, unit=tree.town, today=date(today.year, 3, 1)).findings
    row = check(result, "annual_report")
    assert row["count"] == 1 and row["deducted"] == 5
    assert f"{today.year - 1}年度政府信息公开工作年度报告未公布" in row["problems"][0]["message"]
    assert row["problems"][0]["link"] == f"/staff/reports/annual/{tree.town.code}/{today.year - 1}/"
    before = check(
        services.run_inspection(actor=None, unit=tree.town, today=date(today.year, 1, 15)).findings, "annual_report"
    )
    assert before["count"] == 0 and "尚未到" in before["summary"]


def test_guide_older_than_a_year(tree, pub, today):
    pub("guide")
    assert (
        check(services.run_inspection(actor=None, unit=tree.town, today=later(300)).findings, "guide_freshness")[
            "count"
        ]
        == 0
    )
    row = check(services.run_inspection(actor=None, unit=tree.town, today=later(400)).findings, "guide_freshness")
    assert row["count"] == 1 and row["deducted"] == 2
    assert "政府信息公开指南超过12个月未更新" in row["problems"][0]["message"]


def test_a_quarterly_standard_item_with_nothing_last_quarter_is_due(tree, pub, today):
    result = services.run_inspection(actor=None, unit=tree.town, today=today).findings
    row = check(result, "standard_coverage")
    names = {p["message"].split("”")[0] for p in row["problems"]}
    assert "标准目录事项“社会救助·最低生活保障" in names  # 每季度, nothing ever published
    assert row["deducted"] == min(5, row["count"])
    items = {i["name"]: i for i in row["data"]["items"]}
    assert items["最低生活保障"]["state"] == "due" and items["最低生活保障"]["limit"] == "每季度"
    assert items["救灾款物发放"]["state"] == "event"  # 20 working days from an event: shown, never due
    pub("dibao")
    row = check(services.run_inspection(actor=None, unit=tree.town, today=today).findings, "standard_coverage")
    assert {i["name"]: i for i in row["data"]["items"]}["最低生活保障"]["state"] == "ok"
    # Published this quarter: still fine a quarter later (it falls in the previous quarter then)…
    row = check(services.run_inspection(actor=None, unit=tree.town, today=later(92)).findings, "standard_coverage")
    assert {i["name"]: i for i in row["data"]["items"]}["最低生活保障"]["state"] == "ok"
    # …but not two quarters later.
    row = check(services.run_inspection(actor=None, unit=tree.town, today=later(190)).findings, "standard_coverage")
    assert {i["name"]: i for i in row["data"]["items"]}["最低生活保障"]["state"] == "due"
