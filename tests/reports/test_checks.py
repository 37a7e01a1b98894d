"""The cross-checks of spec §2.3/§2.4 run on every report and catch a deliberately broken dataset."""

import copy
from datetime import date

from gongkai.applications.models import Appeal, Application
from gongkai.reports.annual import annual_report_data, run_checks
from gongkai.reports.models import AnnualReport


def names(checks):
    return sorted({(c["check"], c.get("column") or c.get("row") or c.get("group")) for c in checks})


def test_broken_cache_in_the_database_is_reported(tree, two_years):
    # E (科研机构) was answered in 2025; pretend its closing date was lost: it is now handled AND carried over.
    Application.objects.filter(pk=two_years["E"].pk).update(closed_on=None)
    checks = annual_report_data(tree.town, 2025)["checks"]
    assert names(checks) == [("balance", "research"), ("balance", "total")]
    message = next(c["message"] for c in checks if c["column"] == "research")
    assert message.startswith("表三“法人或其他组织/科研机构”列")
    assert "一、本年新收（1）+ 二、上年结转（0）≠ 三（七）总计（1）+ 四、结转下年度继续办理（1）" in message


def test_hand_broken_report_fails_every_check(tree, two_years):
    data = annual_report_data(tree.town, 2025)
    bad = copy.deepcopy(data)
    rows = bad["applications"]["rows"]
    rows["granted"][0] += 1  # 自然人 予以公开 one too many: (七) and 总计 column both disagree
    rows["carried_in"] = [0, 0, 0, 0, 0, 0, 0]
    bad["appeals"]["reconsideration"]["total"] = 1
    checks = run_checks(bad, previous_carried_over=data["applications"]["rows"]["carried_in"])
    kinds = {c["check"] for c in checks}
    assert kinds == {"balance", "total_handled", "total_column", "carry_over", "appeal_total"}
    assert ("total_column", "granted") in names(checks)
    assert ("appeal_total", "reconsideration") in names(checks)
    assert all(c["message"] for c in checks)


def test_carry_over_compares_with_last_years_published_report(tree, two_years, draft, publish):
    published = annual_report_data(tree.town, 2024)
    published["applications"]["rows"]["carried_over"] = [2, 0, 0, 0, 1, 0, 3]  # as printed last year
    entry = draft(formed_date=date(2025, 1, 20))
    report = AnnualReport.objects.create(unit=tree.town, year=2024, data=published, status="submitted", entry=entry)
    assert annual_report_data(tree.town, 2025)["checks"] == []  # not published yet: compare with the records
    report.entry = publish(entry)
    checks = annual_report_data(tree.town, 2025)["checks"]
    assert [c["check"] for c in checks] == ["carry_over"]
    assert "上年报告“四、结转下年度继续办理”[2, 0, 0, 0, 1, 0, 3]" in checks[0]["message"]


def test_appeals_table_four(tree, people, two_years):
    from gongkai.applications import replies

    appeal = replies.record_appeal(
        actor=people["admin"], application=two_years["B"], kind="reconsideration", filed_on=date(2025, 2, 3)
    )
    replies.decide_appeal(actor=people["admin"], appeal=appeal, outcome="corrected", decided_on=date(2025, 4, 1))
    replies.record_appeal(
        actor=people["admin"], application=two_years["B"], kind="litigation_direct", filed_on=date(2025, 11, 3)
    )
    data = annual_report_data(tree.town, 2025)
    assert data["appeals"]["reconsideration"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert data["appeals"]["litigation_direct"]["pending"] == 1
    assert data["checks"] == []
    assert Appeal.objects.count() == 2
