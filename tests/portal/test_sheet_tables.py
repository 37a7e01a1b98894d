"""A published spreadsheet is also a table on the entry page (issue 21: the villager on a phone got
"（已打码）.xlsx"): visible sheets, rows and columns only, GBK CSV read, long sheets cut with a note and the
download link, never a replaced (unmasked) original; in Chromium at phone size the page does not scroll sideways,
the table sorts by a header, and axe-core finds nothing serious."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from gongkai.catalog import services
from gongkai.portal import sheets


def workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "第一季度"
    ws.append(["序号", "姓名", "身份证号", "保障人数", "内部备注"])
    for i, name in enumerate(["张三", "李四", "王五"], 1):
        ws.append([i, name, f"1101051949123100{i}*", 3 - i + 1, "不公开的备注"])
    ws.column_dimensions["E"].hidden = True
    ws.append([9, "隐藏行", "—", 1, ""])
    ws.row_dimensions[5].hidden = True
    secret = wb.create_sheet("底稿")
    secret.append(["不应出现的工作表"])
    secret.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def listing(draft: Any, publish: Any, committed: Any, people: Any) -> Any:
    entry = draft(title="2025年第一季度农村低保名单")
    services.add_attachment(actor=people["drafter"], entry=entry, name="低保名单.xlsx", stream=io.BytesIO(workbook()))
    services.add_attachment(
        actor=people["drafter"],
        entry=entry,
        name="标准.csv",
        stream=io.BytesIO("村名,标准\n李家村,780\n".encode("gbk")),
    )
    return committed(publish, entry)


def test_the_sheet_is_a_table_on_the_page(listing: Any, client: Client) -> None:
    html = client.get(f"/dongshan/info/{listing.pk}/").content.decode()
    assert "附件表格：低保名单.xlsx" in html and "<td>张三</td>" in html and "<td>王五</td>" in html
    assert "内部备注" not in html and "不公开的备注" not in html  # hidden column
    assert "隐藏行" not in html and "不应出现的工作表" not in html  # hidden row and sheet
    assert "共 3 行" in html
    assert "附件表格：标准.csv" in html and "<td>李家村</td>" in html  # GBK CSV


def test_a_long_sheet_is_cut_with_a_note(monkeypatch: pytest.MonkeyPatch, listing: Any, client: Client) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    sheets._read.cache_clear()
    html = client.get(f"/dongshan/info/{listing.pk}/").content.decode()
    assert "共 3 行，此处显示前 2 行" in html and "下载附件" in html and "<td>王五</td>" not in html
    sheets._read.cache_clear()


def test_a_replaced_original_is_never_shown(listing: Any) -> None:
    att = listing.attachments.get(original_name="低保名单.xlsx")
    type(att).objects.filter(pk=att.pk).update(replaced_at="2025-01-01T00:00:00Z")
    from gongkai.portal import selectors

    listing.refresh_from_db()
    shown = sheets.tables_for(selectors.public_attachments(listing))
    assert [t.attachment.original_name for t in shown] == ["标准.csv"]


def test_in_chromium_on_a_phone(chromium: Any, live_server: Any, listing: Any) -> None:
    from tests.browser import PHONE, axe_findings
    from tests.portal.test_browser_site import _no_horizontal_scroll

    page = chromium.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/dongshan/info/{listing.pk}/")
    assert _no_horizontal_scroll(page) and not axe_findings(page)
    page.click("table.data th button:has-text('保障人数')")
    first = page.locator("table.data tbody tr").first.locator("td").nth(1).inner_text()
    assert first == "王五"  # 1 person, ascending
    assert page.locator("table.data th[aria-sort='ascending']").count() == 1
