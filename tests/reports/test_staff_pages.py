"""Staff UI: the draft report page, editing the narrative, downloads, publishing as a 年度报告 entry,
the deadline reminder and permissions."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.catalog import services as catalog
from gongkai.catalog.models import EntryStatus
from gongkai.reports import services
from gongkai.reports.annual import annual_report_data
from gongkai.reports.models import AnnualReport
from tests.factories import PASSWORD


@pytest.fixture
def login(client):
    def run(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return run


#: Sections 5 and 6 written by the office (the defaults keep prompts that block submission).
FILLED = {"section_5": "未发现突出问题。", "section_6": "无其他需要报告的事项。"}


def test_draft_page_shows_tables_and_prefilled_narrative(login, people, tree, two_years):
    c = login(people["admin"])
    page = c.get(reverse("reports:annual", args=["QH0101", 2025]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "三、收到和处理政府信息公开申请情况" in html and "（七）总计" in html
    assert "全年新收政府信息公开申请2件" in html  # section 一 pre-filled from the records
    assert "<svg" in html
    assert c.get(reverse("reports:index")).status_code == 200


def test_edit_and_bad_input_keeps_what_was_typed(login, people, tree, two_years):
    c = login(people["admin"])
    url = reverse("reports:annual", args=["QH0101", 2025])
    bad = c.post(url, {"action": "save", "section_1": "我们的总体情况", "fees_wan_yuan": "十万"})
    html = bad.content.decode()
    assert bad.status_code == 400 and "行政事业性收费金额应为不小于 0 的数字" in html and "我们的总体情况" in html
    ok = c.post(url, {"action": "save", "section_1": "我们的总体情况", "section_5": "", "fees_wan_yuan": "1.25"})
    assert ok.status_code == 302
    report = AnnualReport.objects.get(unit=tree.town, year=2025)
    assert report.section_1 == "我们的总体情况"
    assert annual_report_data(tree.town, 2025)["proactive"]["fees_wan_yuan"] == 1.25
    page = c.get(url).content.decode()
    assert "我们的总体情况" in page


def test_downloads(login, people, tree, two_years):
    c = login(people["reviewer"])
    for fmt in ("html", "json", "xlsx", "docx"):
        response = c.get(reverse("reports:annual_file", args=["QH0101", 2025, fmt]))
        assert response.status_code == 200, fmt
    assert c.get(reverse("reports:annual_file", args=["QH0101", 2025, "exe"])).status_code == 404
    assert c.get(reverse("reports:annual_file", args=["QH0101", "abcd", "json"])).status_code == 404


def test_publish_as_entry_then_carry_over_uses_published_numbers(login, people, tree, two_years, today):
    c = login(people["admin"])
    url = reverse("reports:annual", args=["QH0101", 2024])
    response = c.post(url, {"action": "submit", "section_1": "2024年总体情况", "fees_wan_yuan": "0", **FILLED})
    assert response.status_code == 302
    report = AnnualReport.objects.get(unit=tree.town, year=2024)
    entry = report.entry
    assert entry.status == EntryStatus.REVIEW and entry.category.slug == "annual-reports"
    assert entry.title == "清河县东山镇人民政府2024年政府信息公开工作年度报告"
    assert "（七）总计" in entry.body and "2024年总体情况" in entry.body
    assert services.reminder(tree.town, date(2025, 1, 20)).days_left == 11
    entry = catalog.review_pass(actor=people["reviewer"], entry=entry)
    catalog.sign_and_publish(actor=people["signer"], entry=entry)
    assert services.reminder(tree.town, date(2025, 1, 20)) is None
    public = c.get(f"/{tree.town.slug}/annual-reports/").content.decode()  # the portal's 年报 list page
    assert "清河县东山镇人民政府2024年政府信息公开工作年度报告" in public
    # The published report froze 四; a later change to 2024's data shows up as a failed check in 2025.
    report.data["applications"]["rows"]["carried_over"][-1] = 99
    report.save()
    assert [c["check"] for c in annual_report_data(tree.town, 2025)["checks"]] == ["carry_over"]
    # Submitting again while the entry exists is refused with a message, not a 500.
    again = c.post(url, {"action": "submit", "section_1": "x", "fees_wan_yuan": "0", **FILLED})
    assert again.status_code == 400 and "已提交" in again.content.decode()


def test_report_with_failed_checks_cannot_be_submitted(people, tree, two_years):
    from gongkai.applications.models import Application
    from gongkai.core.errors import ValidationFailed

    Application.objects.filter(pk=two_years["E"].pk).update(closed_on=None)
    with pytest.raises(ValidationFailed) as exc:
        services.submit_for_publication(actor=people["admin"], unit=tree.town, year=2025)
    assert "checks" in exc.value.errors


def test_reminder_before_deadline(tree):
    # 2024's report was never published: still overdue in December 2025
    assert services.reminder(tree.town, date(2025, 12, 20)).message.startswith("2024年度")
    r = services.reminder(tree.town, date(2026, 1, 10))
    assert r.year == 2025 and r.deadline == date(2026, 1, 31) and r.days_left == 21
    assert "还剩21天" in r.message
    late = services.reminder(tree.town, date(2026, 2, 3))
    assert "已超过公布期限" in late.message
    county = services.reminder(tree.county, date(2026, 3, 20))
    assert county.deadline == date(2026, 3, 31)


def test_permissions(login, people, tree, two_years):
    url = reverse("reports:annual", args=["QH0101", 2025])
    assert login(people["street_admin"]).get(url).status_code == 404
    c = login(people["supervisor"])
    assert c.get(url).status_code == 200
    assert c.post(url, {"action": "save", "section_1": "x"}).status_code == 404
    assert not AnnualReport.objects.exists()
    c = login(people["drafter"])
    page = c.get(url).content.decode()
    assert "保存草稿" not in page


def test_returned_report_is_edited_and_resubmitted(login, people, tree, two_years):
    c = login(people["admin"])
    url = reverse("reports:annual", args=["QH0101", 2024])
    c.post(url, {"action": "submit", "section_1": "初稿", "fees_wan_yuan": "0", **FILLED})
    entry = AnnualReport.objects.get(unit=tree.town, year=2024).entry
    catalog.review_return(actor=people["reviewer"], entry=entry, comment="请补充平台建设情况")
    assert c.post(url, {"action": "submit", "section_1": "修改稿", "fees_wan_yuan": "0", **FILLED}).status_code == 302
    report = AnnualReport.objects.get(unit=tree.town, year=2024)
    assert report.entry_id == entry.pk
    report.entry.refresh_from_db()
    assert report.entry.status == EntryStatus.REVIEW and "修改稿" in report.entry.body


def test_reminders_command(tree, today, capsys):
    from django.core.management import call_command

    today(date(2026, 1, 25))
    call_command("report", "reminders")
    out = capsys.readouterr().out
    assert "QH0101\t清河县东山镇人民政府\t2025年度政府信息公开工作年度报告应于2026年01月31日前公布，还剩6天" in out
    assert "QH0001" not in out  # the county's deadline (31 March) is more than 30 days away
