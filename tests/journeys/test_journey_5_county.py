"""Journey 5 of spec/journeys.md in real Chromium, at both sizes: the county office opens the monthly 通报 (units
ranked, the one that published nothing flagged), exports it to PDF and XLSX for the meeting, and opens one
township read-only to see its stale columns and entries; it can change nothing there. Every page: screenshot
and axe-core."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from gongkai.catalog.models import Category
from tests.journeys.walk import Walk, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journey_5_the_county_office_watches_its_units(
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], draft: Any, publish: Any, size: str
) -> None:
    walk = Walk("journey5", size)
    base = live_server.url
    notices = Category.objects.get(unit=tree.town, slug="notices")
    entry = publish(draft(title="关于做好冬季森林防火工作的通知", category=notices))
    period = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")

    county = login(chromium, base, staff["supervisor"], walk.viewport)
    walk.see(county, "dashboard")
    county.goto(f"{base}/staff/reports/bulletin/?org={tree.county.code}&period={period}")
    table = county.locator("main").inner_text()
    assert tree.town.name in table and tree.street.name in table
    walk.see(county, "bulletin")
    with county.expect_download() as download:
        county.click("main a:text-is('XLSX')")
    data = Path(download.value.path()).read_bytes()
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row]
    assert tree.town.name in cells and tree.street.name in cells
    # the PDF is made in the background: a page that says so, then the download (the tests' task backend
    # runs the job at once)
    county.click("button:has-text('生成 PDF')")
    county.wait_for_selector("text=文件已生成")
    walk.see(county, "bulletin-pdf-ready")
    with county.expect_download() as download:
        county.click("a:has-text('下载')")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    county.goto(f"{base}/staff/reports/bulletin/?org={tree.county.code}&period={period}")

    # read-only: the township's entries, no way to change them
    county.click(f"main a:text-is('{tree.town.name}')")
    walk.see(county, "township-entries")
    county.click(f"text={entry.title}")
    walk.see(county, "township-entry")
    main = county.locator("main").inner_text()
    assert entry.title in main
    for button in ("编辑", "撤回", "废止", "审签发布"):
        assert county.locator(f"main button:has-text('{button}'), main a:text-is('{button}')").count() == 0, button
    response = county.goto(f"{base}/staff/entries/{entry.pk}/edit/")
    assert response is not None and response.status in (403, 404)
    walk.see(county, "edit-refused")
    assert "无法完成操作" in county.locator("body").inner_text()
    walk.assert_clean()
