"""Import of 12345 work orders (CSV in GBK or UTF-8, XLSX): all or nothing, every problem by row and column."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from gongkai.core.errors import RowsRejected, ValidationFailed
from gongkai.interaction import bulk
from gongkai.interaction.models import Message
from tests.factories import PASSWORD

DEADLINE = (date.today() + timedelta(days=10)).isoformat()
HEADER = "工单编号,标题,诉求内容,来电人,联系电话,办结时限\n"


def csv_bytes(*rows: str, encoding: str = "gbk") -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode(encoding)


GOOD = (
    f"GD-001,低保咨询,市民来电咨询低保申请条件和材料。,王女士,13800138000,{DEADLINE}",
    f"GD-002,道路积水,人民路下雨积水严重，请尽快疏通。,张先生,13900139000,{DEADLINE}",
)


def test_good_file_enters_every_order(tree: Any, people: dict[str, Any], calendar_until_next_year: None) -> None:
    created = bulk.import_orders(actor=people["admin"], unit=tree.town, rows=bulk.read_rows("a.csv", csv_bytes(*GOOD)))
    assert [m.external_number for m in created] == ["GD-001", "GD-002"]
    m = Message.objects.get(external_number="GD-002")
    assert m.kind == "hotline" and m.channel == "hotline" and m.due_date == date.fromisoformat(DEADLINE)
    with pytest.raises(RowsRejected) as again:
        bulk.import_orders(actor=people["admin"], unit=tree.town, rows=bulk.read_rows("a.csv", csv_bytes(*GOOD)))
    assert "已导入过" in again.value.problems[0].message


def test_one_bad_row_stores_nothing(tree: Any, people: dict[str, Any], calendar_until_next_year: None) -> None:
    bad = (GOOD[0], "GD-003,,内容太短,李四,123,2026-02-30", GOOD[0].replace("低保咨询", "再问低保"))
    with pytest.raises(RowsRejected) as exc:
        bulk.import_orders(actor=people["admin"], unit=tree.town, rows=bulk.read_rows("a.csv", csv_bytes(*bad)))
    where = {(p.row, p.field) for p in exc.value.problems}
    assert {(3, "标题"), (3, "内容"), (3, "电话"), (3, "办结时限"), (4, "工单编号")} <= where
    assert not Message.objects.exists()


def test_xlsx_and_missing_columns(tree: Any, people: dict[str, Any], calendar_until_next_year: None) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["工单编号", "标题", "内容", "姓名", "电话", "办结时限"])
    ws.append(
        ["GD-100", "噪音投诉", "夜间施工噪音扰民，请处理。", "赵女士", "13700137000", date.fromisoformat(DEADLINE)]
    )
    out = io.BytesIO()
    wb.save(out)
    created = bulk.import_orders(actor=people["admin"], unit=tree.town, rows=bulk.read_rows("o.xlsx", out.getvalue()))
    assert created[0].external_deadline == date.fromisoformat(DEADLINE)
    with pytest.raises(ValidationFailed, match="缺少列"):
        bulk.read_rows("a.csv", "工单编号,标题\nX,Y\n".encode())
    with pytest.raises(ValidationFailed, match="CSV 或 XLSX"):
        bulk.read_rows("a.pdf", b"%PDF")


def test_import_page(tree: Any, people: dict[str, Any], calendar_until_next_year: None) -> None:
    client = Client()
    client.login(username=people["admin"].username, password=PASSWORD)
    assert client.get("/staff/messages/import/").status_code == 200
    bad = client.post(
        "/staff/messages/import/",
        {"unit_id": tree.town.pk, "file": _named(csv_bytes(GOOD[0], "GD-9,,,,,"))},
    )
    assert bad.status_code == 400 and "未写入任何数据" in bad.content.decode() and not Message.objects.exists()
    ok = client.post(
        "/staff/messages/import/", {"unit_id": tree.town.pk, "file": _named(csv_bytes(*GOOD, encoding="utf-8"))}
    )
    assert ok.status_code == 302 and Message.objects.count() == 2


def _named(data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = "orders.csv"
    return upload
