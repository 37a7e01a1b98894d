"""Journeys 6 and 4 of spec/journeys.md in real Chromium, at both sizes: on migration day a GBK spreadsheet from
the old site is refused whole for one bad row, then goes in; in January the office writes the 2025 annual report
from the records, edits the prompts away, exports it to Word for the leader, and it goes through review and
sign-off onto the site. Every page: screenshot and axe-core."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gongkai.catalog.models import Entry, EntryStatus
from gongkai.portal.builder import build_site
from tests.journeys.walk import Walk, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


HISTORY_BAD = """标题,类别,成文日期,发布日期,索引号
关于2025年春季植树的通知,通知公告,2025-03-01,2025-03-03,
规范性文件甲,法定主动公开内容/法规文件/行政规范性文件,2025-02-30,2025-03-05,
关于防汛的通知,通知公告,2025-06-01,2025-06-02,
"""
HISTORY_GOOD = HISTORY_BAD.replace("2025-02-30", "2025-02-28")


def test_journeys_6_and_4_history_comes_in_then_the_annual_report_is_written_and_published(
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], settings: Any, tmp_path: Path, size: str
) -> None:
    walk = Walk("journey4", size)
    from docx import Document

    from gongkai.reports.annual import annual_report_data
    from gongkai.reports.imports import ImportRejected, import_entries

    # 6. Migration day: a GBK spreadsheet from the old site; one bad row means nothing goes in.
    history = tmp_path / "旧网站信息.csv"
    history.write_bytes(HISTORY_BAD.encode("gbk"))
    with pytest.raises(ImportRejected) as rejected:
        import_entries(actor=staff["admin"], unit=tree.town, path=history, create_categories=True)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "formed_date")]
    assert not Entry.objects.filter(unit=tree.town).exists()
    history.write_bytes(HISTORY_GOOD.encode("gbk"))
    import_entries(actor=staff["admin"], unit=tree.town, path=history, create_categories=True)
    assert Entry.objects.filter(unit=tree.town, status=EntryStatus.PUBLISHED).count() == 3
    build_site()

    # 4. January: the office writes the 2025 report from the records.
    base = live_server.url
    office = login(chromium, base, staff["admin"], walk.viewport)
    office.click("nav >> text=年度报告")
    walk.see(office, "reports-index")
    office.goto(f"{base}/staff/reports/annual/{tree.town.code}/2025/")
    walk.see(office, "report-draft")
    assert office.locator(".checks").count() == 0, "the cross-checks pass on the records"
    preview = office.locator("main").inner_text()
    assert "主动公开政府信息情况" in preview and "收到和处理政府信息公开申请情况" in preview
    # The defaults leave prompts （请填写…） that block submission: the office replaces them with its own words.
    assert office.locator(".prompt-left").count() == 3
    office.fill(
        "#s1",
        re.sub(r"（请(?:填写|补充)[^）]*）", "本年度通过公开栏和政务新媒体同步发布信息。", office.input_value("#s1")),
    )
    office.fill("#s5", "存在问题：栏目更新不够及时。改进：每周检查一次。")
    office.fill("#s6", "本年度未收取信息处理费，无其他需要报告的事项。")
    office.click("button:has-text('保存草稿')")
    office.wait_for_load_state()
    assert office.input_value("#s5").startswith("存在问题：栏目更新不够及时")
    assert office.locator(".prompt-left").count() == 0 and office.locator("#not-ready").count() == 0
    walk.see(office, "report-edited")
    with office.expect_download() as download:
        office.click("a:has-text('DOCX')")
    word = Document(download.value.path())
    assert any("栏目更新不够及时" in p.text for p in word.paragraphs), "the leader gets the edited text in Word"
    office.click("button:has-text('保存后提交审核发布')")
    office.wait_for_selector("text=已提交为信息")
    walk.see(office, "report-submitted")
    report_entry = Entry.objects.get(unit=tree.town, category__slug="annual-reports")
    assert report_entry.status == EntryStatus.REVIEW

    reviewer = login(chromium, base, staff["reviewer"], walk.viewport)
    reviewer.goto(f"{base}/staff/entries/{report_entry.pk}/")
    walk.see(reviewer, "report-review")
    reviewer.click("button:has-text('保密审查通过')")
    reviewer.wait_for_selector("text=待审签")
    signer = login(chromium, base, staff["signer"], walk.viewport)
    signer.goto(f"{base}/staff/entries/{report_entry.pk}/")
    signer.click("button:has-text('审签发布')")
    signer.wait_for_selector("text=已发布")
    walk.see(signer, "report-published")

    site = Path(settings.SITE_DIR).resolve()
    listing = (site / tree.town.slug / "annual-reports" / "index.html").read_text(encoding="utf-8")
    assert f"/info/{report_entry.pk}/" in listing and "2025" in listing
    page = (site / tree.town.slug / "info" / str(report_entry.pk) / "index.html").read_text(encoding="utf-8")
    assert "栏目更新不够及时" in page
    data = annual_report_data(tree.town, 2025)
    assert data["entries"]["total"] == 3 and data["checks"] == []
    citizen = chromium.new_context(viewport=walk.viewport).new_page()
    citizen.goto(f"{live_server.url}/{tree.town.slug}/info/{report_entry.pk}/")
    assert "栏目更新不够及时" in citizen.content()
    walk.see(citizen, "report-on-the-site")
    walk.assert_clean()
