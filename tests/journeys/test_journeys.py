"""User journeys 1 and 2 of spec/journeys.md, end to end in real Chromium against a running server.

1. An office publishes a subsidy list and almost leaks it: the clerk attaches a spreadsheet full of ID
   numbers, the scan finds them, the reviewer masks them with one click, the leader signs off on a
   phone-sized screen, and the site folder has the page and the masked list, never a raw ID number.
2. A citizen asks for a document on his phone, gets a tracking number and a query code, the office
   confirms receipt, and he sees the 20-working-day deadline when he checks progress.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.accounts.models import PasswordState
from gongkai.catalog.models import Category, Entry, EntryStatus
from gongkai.portal.builder import build_site
from gongkai.workdays.calendar import calendar
from tests.browser import DESKTOP, PHONE, SHOTS
from tests.factories import PASSWORD
from tests.screening.builders import resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(people: dict[str, Any]) -> dict[str, Any]:
    PasswordState.objects.update(must_change=False)  # their first-login password change is tested elsewhere
    return people


def login(browser: Any, base: str, user: Any, viewport: dict[str, int] = DESKTOP) -> Any:
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/staff/$"))
    return page


def subsidy_list(ids: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "身份证号", "联系电话", "保障人数", "月保障金（元）"])
    for i, number in enumerate(ids, 1):
        ws.append([i, f"村民{i}", number, f"1381234{i:04d}", 2, 780])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_journey_1_a_subsidy_list_is_masked_before_it_is_published(
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    build_site()  # the site exists; from now on publications refresh it
    base = live_server.url
    ids = [resident_id(random.Random(seed)) for seed in range(5)]
    sheet = tmp_path / "第三季度低保对象名单.xlsx"
    sheet.write_bytes(subsidy_list(ids))
    dibao = Category.objects.get(unit=tree.town, slug="dibao")

    clerk = login(chromium, base, staff["drafter"])
    clerk.click("nav >> text=新建信息")
    clerk.select_option("#id_category", str(dibao.pk))
    clerk.fill("#id_title", "2025年第三季度城乡低保对象公示")
    clerk.fill("#id_formed_date", "2025-10-09")
    clerk.set_input_files("#id_files", str(sheet))
    clerk.click("button:has-text('保存并提交审核')")
    clerk.wait_for_selector("text=待审核")
    entry = Entry.objects.get(title="2025年第三季度城乡低保对象公示")
    assert entry.status == EntryStatus.REVIEW

    reviewer = login(chromium, base, staff["reviewer"])
    reviewer.click("nav >> text=保密审查")
    reviewer.click("text=2025年第三季度城乡低保对象公示")
    reviewer.wait_for_selector("text=保密审查扫描结果")
    assert reviewer.locator("text=处高风险信息尚未打码或确认").count() == 1
    page_text = reviewer.content()
    assert all(number not in page_text for number in ids), "the review page shows IDs only masked"
    reviewer.screenshot(path=str(SHOTS / "journey1-review-findings.png"), full_page=True)
    while reviewer.locator("button:has-text('一键打码')").count():
        reviewer.locator("button:has-text('一键打码')").first.click()
        reviewer.wait_for_load_state()
    assert reviewer.locator("text=没有未处理的高风险信息").count() == 1
    reviewer.click("button:has-text('保密审查通过')")
    reviewer.wait_for_selector("text=待审签")

    signer = login(chromium, base, staff["signer"], PHONE)
    signer.goto(f"{base}/staff/signoff/")
    signer.click("text=2025年第三季度城乡低保对象公示")
    signer.click("button:has-text('审签发布')")
    signer.wait_for_selector("text=已发布")
    # Nothing sticks out of the screen, except inside a row that scrolls sideways by design (the staff menu).
    wide = signer.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(e => { for (let a = e.parentElement; a; a = a.parentElement) {
            const x = getComputedStyle(a).overflowX;
            const fits = a.getBoundingClientRect().right <= window.innerWidth + 1;
            if ((x === 'auto' || x === 'scroll') && fits) return false;
          } return true; })
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
    assert not wide, wide
    signer.screenshot(path=str(SHOTS / "journey1-signed-on-phone.png"), full_page=True)
    attachments = signer.locator("#attachments li").all_inner_texts()
    assert sum("不公开" in a for a in attachments) == len(attachments) - 1, attachments  # one public list
    assert any("第三季度低保对象名单（已打码）.xlsx" in a and "不公开" not in a for a in attachments), attachments

    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.index_number
    site = Path(settings.SITE_DIR).resolve()
    page = (site / tree.town.slug / "info" / str(entry.pk) / "index.html").read_text(encoding="utf-8")
    assert entry.index_number in page and "2025年第三季度城乡低保对象公示" in page
    listing = (site / tree.town.slug / "list" / "dibao" / "index.html").read_text(encoding="utf-8")
    assert f"/info/{entry.pk}/" in listing
    published_files = [p for p in site.rglob("*") if p.is_file()]
    for path in published_files:
        data = path.read_bytes()
        assert not any(number.encode() in data for number in ids), f"raw ID number in {path}"
    sheets = [p for p in published_files if p.suffix == ".xlsx"]
    assert len(sheets) == 1
    rows = list(load_workbook(sheets[0]).active.iter_rows(min_row=2, values_only=True))
    assert [str(r[2]) for r in rows] == [n[:6] + "********" + n[-4:] for n in ids]

    villager = chromium.new_context(viewport=PHONE).new_page()
    villager.goto(live_server.url + f"/{tree.town.slug}/info/{entry.pk}/")
    villager.click("text=关怀版")
    assert villager.evaluate("document.documentElement.classList.contains('care')")
    villager.screenshot(path=str(SHOTS / "journey1-villager-care-mode.png"), full_page=True)


def test_journey_2_a_citizen_applies_on_his_phone_and_tracks_the_case(
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], calendar_until_next_year: None
) -> None:
    base = live_server.url
    citizen = chromium.new_context(viewport=PHONE).new_page()
    citizen.set_default_timeout(20_000)
    citizen.goto(f"{base}/apply/{tree.town.slug}/")
    citizen.select_option("#id_applicant_type", "natural_person")
    citizen.fill("#id_name", "王建国")
    citizen.select_option("#id_id_type", "resident_id")
    citizen.fill("#id_id_number", "110105194912310021")  # check character wrong
    citizen.fill("#id_phone", "13800138000")
    citizen.fill("#id_email", "wang@example.com")
    citizen.fill("#id_description", "2024年某村土地征收补偿标准")
    citizen.click("button:has-text('提交申请')")
    citizen.wait_for_selector(".apply-error")
    assert "校验" in citizen.locator(".apply-error").first.inner_text()
    assert citizen.input_value("#id_description") == "2024年某村土地征收补偿标准"  # nothing typed is lost
    citizen.fill("#id_id_number", "11010519491231002X")
    citizen.click("button:has-text('提交申请')")
    citizen.wait_for_selector("text=申请已提交")
    assert citizen.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    citizen.screenshot(path=str(SHOTS / "journey2-receipt-phone.png"), full_page=True)
    numbers = citizen.locator(".apply-receipt .big").all_inner_texts()
    tracking, code = numbers[0].strip(), numbers[1].strip()
    assert tracking.startswith(f"YSQ-{tree.town.code}-")

    office = login(chromium, base, staff["admin"])
    office.goto(f"{base}/staff/applications/")
    office.click(f"text={tracking}")
    today = office.evaluate("new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)")
    office.fill("#receive input[type=date], #receive input[name=received_on]", today)
    office.click("#receive button:has-text('确认收到')")
    office.wait_for_selector("text=已确认收到申请")

    from datetime import date

    due = calendar.add(date.fromisoformat(today), 20)
    citizen.goto(f"{base}/apply/track/")
    citizen.fill("#id_tracking", tracking)
    citizen.fill("#id_code", code)
    citizen.click("button:has-text('查询')")
    citizen.wait_for_selector("text=办理情况")
    status = citizen.locator(".apply-status").inner_text()
    assert today in status and due.isoformat() in status
    assert "王建国" not in citizen.content() and "11010519491231002X" not in citizen.content()
    citizen.screenshot(path=str(SHOTS / "journey2-tracking-phone.png"), full_page=True)


HISTORY_BAD = """标题,类别,成文日期,发布日期,索引号
关于2025年春季植树的通知,通知公告,2025-03-01,2025-03-03,
规范性文件甲,法定主动公开内容/法规文件/行政规范性文件,2025-02-30,2025-03-05,
关于防汛的通知,通知公告,2025-06-01,2025-06-02,
"""
HISTORY_GOOD = HISTORY_BAD.replace("2025-02-30", "2025-02-28")


def test_journeys_6_and_4_history_comes_in_then_the_annual_report_is_written_and_published(
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
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
    office = login(chromium, base, staff["admin"])
    office.click("nav >> text=年度报告")
    office.goto(f"{base}/staff/reports/annual/{tree.town.code}/2025/")
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
    with office.expect_download() as download:
        office.click("a:has-text('DOCX')")
    word = Document(download.value.path())
    assert any("栏目更新不够及时" in p.text for p in word.paragraphs), "the leader gets the edited text in Word"
    office.click("button:has-text('保存后提交审核发布')")
    office.wait_for_selector("text=已提交为信息")
    report_entry = Entry.objects.get(unit=tree.town, category__slug="annual-reports")
    assert report_entry.status == EntryStatus.REVIEW

    reviewer = login(chromium, base, staff["reviewer"])
    reviewer.goto(f"{base}/staff/entries/{report_entry.pk}/")
    reviewer.click("button:has-text('保密审查通过')")
    reviewer.wait_for_selector("text=待审签")
    signer = login(chromium, base, staff["signer"])
    signer.goto(f"{base}/staff/entries/{report_entry.pk}/")
    signer.click("button:has-text('审签发布')")
    signer.wait_for_selector("text=已发布")

    site = Path(settings.SITE_DIR).resolve()
    listing = (site / tree.town.slug / "annual-reports" / "index.html").read_text(encoding="utf-8")
    assert f"/info/{report_entry.pk}/" in listing and "2025" in listing
    page = (site / tree.town.slug / "info" / str(report_entry.pk) / "index.html").read_text(encoding="utf-8")
    assert "栏目更新不够及时" in page
    data = annual_report_data(tree.town, 2025)
    assert data["entries"]["total"] == 3 and data["checks"] == []
