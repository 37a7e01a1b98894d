"""Import of 12345 work orders from the county platform's export (CSV in UTF-8 or GBK, or XLSX): every row is
checked first, and either all orders are entered or none (``RowsRejected`` lists each problem by row and
column). Each order becomes a message of kind 12345热线工单 through the same checks as staff entry, with its own
number and deadline (国办发〔2020〕53号: the order's 办结时限), received on the day given or today."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from gongkai.core.errors import RowProblem, RowsRejected, ValidationFailed
from gongkai.orgs.models import Org

from . import intake, kinds
from .access import require_handle
from .choices import Channel
from .models import Message

#: Column heading → field. The platform's export names; the English keys are accepted too.
COLUMNS = {
    "工单编号": "external_number",
    "标题": "title",
    "内容": "content",
    "诉求内容": "content",
    "姓名": "name",
    "来电人": "name",
    "电话": "phone",
    "联系电话": "phone",
    "办结时限": "external_deadline",
    "收到日期": "received_on",
    "派单日期": "received_on",
}
REQUIRED = ("external_number", "title", "content", "name", "phone", "external_deadline")
LABELS = {
    "external_number": "工单编号",
    "title": "标题",
    "content": "内容",
    "name": "姓名",
    "phone": "电话",
    "external_deadline": "办结时限",
    "received_on": "收到日期",
    "kind": "类型",
    "email": "电子邮箱",
    "__all__": "整行",
}
MAX_ROWS = 5000


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def read_rows(name: str, data: bytes) -> list[dict[str, str]]:
    """The file's rows as {field: text}; raises ``ValidationFailed`` (field ``file``) when it cannot be read."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception:
            raise ValidationFailed({"file": ["无法读取该 XLSX 文件，请确认是 Excel 2007 及以上格式"]}) from None
    elif name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed({"file": ["无法识别 CSV 文件的编码（应为 UTF-8 或 GBK）"]})
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise ValidationFailed({"file": ["请上传 CSV 或 XLSX 文件"]})
    if not table:
        raise ValidationFailed({"file": ["文件是空的"]})
    header = [COLUMNS.get(h, h if h in LABELS else "") for h in table[0]]
    missing = [LABELS[f] for f in REQUIRED if f not in header]
    if missing:
        raise ValidationFailed({"file": [f"缺少列：{'、'.join(missing)}"]})
    rows = [{field: value for field, value in zip(header, row, strict=False) if field} for row in table[1:] if any(row)]
    if len(rows) > MAX_ROWS:
        raise ValidationFailed({"file": [f"一次最多导入 {MAX_ROWS} 条工单（本文件 {len(rows)} 条），请分批导入"]})
    return rows


def import_orders(*, actor: Any, unit: Org, rows: list[dict[str, str]]) -> list[Message]:
    """Enter every order or none. Rows are numbered as in the file (the heading is row 1)."""
    require_handle(actor, unit)
    if not rows:
        raise ValidationFailed({"file": ["文件中没有工单"]})
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    existing = set(
        Message.objects.filter(unit=unit, external_number__in=[r.get("external_number", "") for r in rows]).values_list(
            "external_number", flat=True
        )
    )
    for n, row in enumerate(rows, start=2):
        number = row.get("external_number", "")
        if number in existing:
            problems.append(RowProblem(n, LABELS["external_number"], f"工单 {number} 已导入过"))
        elif number and number in seen:
            problems.append(RowProblem(n, LABELS["external_number"], f"与第 {seen[number]} 行的工单编号重复"))
        seen.setdefault(number, n)
    created: list[Message] = []
    with transaction.atomic():
        for n, row in enumerate(rows, start=2):
            data = {"kind": kinds.HOTLINE, **row, "publish_consent": False}
            try:
                with transaction.atomic():
                    message, _code = intake.enter_message(
                        actor=actor,
                        unit=unit,
                        data=data,
                        channel=Channel.HOTLINE,
                        received_on=row.get("received_on") or None,
                        external_number=row.get("external_number", ""),
                        external_deadline=row.get("external_deadline") or None,
                    )
            except ValidationFailed as exc:
                for field, messages in exc.errors.items():
                    problems.extend(RowProblem(n, LABELS.get(field, field), m) for m in messages)
                continue
            created.append(message)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise RowsRejected(sorted(problems, key=lambda p: p.row))
    return created
