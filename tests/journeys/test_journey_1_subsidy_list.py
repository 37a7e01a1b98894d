"""Journey 1 of spec/journeys.md, end to end in real Chromium against a running server, at both sizes: an office
publishes a subsidy list and almost leaks it. The clerk attaches a spreadsheet full of ID numbers, the scan finds
them, the reviewer masks them with one click, the leader signs off, the site folder has the page and the masked
list and never a raw ID number, and a villager reads it in 关怀版. Every page: a screenshot and axe-core."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.catalog.models import Category, Entry, EntryStatus
from gongkai.portal.builder import build_site
from tests.journeys.walk import Walk, login, no_sideways_scroll
from tests.screening.builders import resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], settings: Any, tmp_path: Path, size: str
) -> None:
    walk = Walk("journey1", size)
    build_site()  # the site exists; from now on publications refresh it
    base = live_server.url
    ids = [resident_id(random.Random(seed)) for seed in range(5)]
    sheet = tmp_path / "第三季度低保对象名单.xlsx"
    sheet.write_bytes(subsidy_list(ids))
    dibao = Category.objects.get(unit=tree.town, slug="dibao")

    clerk = login(chromium, base, staff["drafter"], walk.viewport)
    walk.see(clerk, "clerk-dashboard")
    clerk.click("nav >> text=新建信息")
    clerk.select_option("#id_category", str(dibao.pk))
    clerk.fill("#id_title", "2025年第三季度城乡低保对象公示")
    clerk.fill("#id_formed_date", "2025-10-09")
    clerk.set_input_files("#id_files", str(sheet))
    walk.see(clerk, "clerk-new-entry")
    clerk.click("button:has-text('保存并提交审核')")
    clerk.wait_for_selector("text=待审核")
    walk.see(clerk, "clerk-submitted")
    entry = Entry.objects.get(title="2025年第三季度城乡低保对象公示")
    assert entry.status == EntryStatus.REVIEW

    reviewer = login(chromium, base, staff["reviewer"], walk.viewport)
    reviewer.click("nav >> text=保密审查")
    walk.see(reviewer, "review-queue")
    reviewer.click("text=2025年第三季度城乡低保对象公示")
    reviewer.wait_for_selector("text=保密审查扫描结果")
    assert reviewer.locator("text=处高风险信息尚未打码或确认").count() == 1
    page_text = reviewer.content()
    assert all(number not in page_text for number in ids), "the review page shows IDs only masked"
    walk.see(reviewer, "review-findings")
    while reviewer.locator("button:has-text('一键打码')").count():
        reviewer.locator("button:has-text('一键打码')").first.click()
        reviewer.wait_for_load_state()
    assert reviewer.locator("text=没有未处理的高风险信息").count() == 1
    walk.see(reviewer, "review-masked")
    reviewer.click("button:has-text('保密审查通过')")
    reviewer.wait_for_selector("text=待审签")

    signer = login(chromium, base, staff["signer"], walk.viewport)
    signer.goto(f"{base}/staff/signoff/")
    walk.see(signer, "signoff-queue")
    signer.click("text=2025年第三季度城乡低保对象公示")
    walk.see(signer, "signoff-entry")
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
    walk.see(signer, "signed")
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

    villager = chromium.new_context(viewport=walk.viewport).new_page()
    villager.goto(live_server.url + f"/{tree.town.slug}/info/{entry.pk}/")
    walk.see(villager, "villager-entry")
    villager.click("text=关怀版")
    assert villager.evaluate("document.documentElement.classList.contains('care')")
    assert no_sideways_scroll(villager)
    walk.see(villager, "villager-care-mode")
    walk.assert_clean()
