"""Importing history from old systems and spreadsheets: entries and applications.

This module reads the file — CSV (UTF-8 or GBK, detected) or XLSX, Chinese or English column names, dates
as 2025-03-01, 2025/3/1, 2025年3月1日 …, the words old systems use for validity, channels, applicant types
and results — and hands the rows to the owning app's bulk service (``catalog.bulk``,
``applications.bulk``), which checks them like its single-record services and writes them all or nothing.
Every problem of the file is listed, naming row and column, whether this module could not read a cell or
the service refused its value.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from gongkai.applications import bulk as applications_bulk
from gongkai.applications.choices import CHANNEL_WORDS
from gongkai.applications.selectors import result_codes
from gongkai.catalog import bulk as catalog_bulk
from gongkai.core.bulk import gc_paused
from gongkai.core.errors import DomainError, RowProblem, RowsRejected
from gongkai.orgs.models import Org

from . import spec
from .tables import Table, read_table

PROGRESS_MIN_ROWS = 500


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}【{self.column}】{self.message}" if self.column else f"{where}：{self.message}"


class ImportRejected(DomainError):
    """The file has problems; nothing was written. ``errors`` lists every one."""

    code = "import_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"文件有 {len(errors)} 处错误，未导入任何数据", field="file")


@dataclass
class ImportResult:
    created: int = 0
    published: int = 0
    drafts: int = 0
    open_cases: int = 0
    categories_created: list[str] = field(default_factory=list)
    encoding: str = ""


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_day(value: Any) -> date | None:
    """A date from a cell: a spreadsheet date, or 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, 20250301.
    Raises ValueError with a Chinese reason; returns None for an empty cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2} \d", text) else text
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise ValueError(f"日期不存在：“{text}”") from None
    raise ValueError(f"日期格式无法识别：“{text}”（应为 YYYY-MM-DD）")


def _tracker(enabled: bool) -> Callable[[Sequence[Any], str], Iterable[Any]]:
    """The progress hook the bulk services take: a tqdm bar on the terminal for a long file."""

    def track(items: Sequence[Any], desc: str) -> Iterable[Any]:
        return tqdm(items, desc=desc, unit="行", disable=not enabled or len(items) < PROGRESS_MIN_ROWS, leave=False)

    return track


def _require_columns(table: Table, required: tuple[str, ...]) -> list[RowError]:
    missing = [c for c in required if c not in table.columns]
    if missing:
        return [RowError(1, c, "缺少必填列（首行应为列名）") for c in missing]
    return []


def _day(value: Any, row: int, column: str, errors: list[RowError]) -> date | None:
    """``parse_day`` for one cell; a cell that is not a date is listed in ``errors`` and read as empty."""
    try:
        return parse_day(value)
    except ValueError as exc:
        errors.append(RowError(row, column, str(exc)))
        return None


def _merge(errors: list[RowError], problems: list[RowProblem], order: tuple[str, ...]) -> list[RowError]:
    """The file's problems and the service's, by row; within a row in the service's order, with each reading
    error before the first of the service's problems in a later column. A cell this module could not read is
    handed on as empty: what the service then says about that cell is left out, the reading error stands."""
    rank = {column: i for i, column in enumerate(order)}
    taken = {(e.row, e.column) for e in errors}
    by_row: dict[int, list[RowError]] = defaultdict(list)
    for p in problems:
        if (p.row, p.field) not in taken:
            by_row[p.row].append(RowError(p.row, p.field, p.message))
    for e in errors:
        found = by_row[e.row]
        later = (i for i, x in enumerate(found) if rank.get(x.column, len(rank)) > rank.get(e.column, len(rank)))
        found.insert(next(later, len(found)), e)
    return [e for row in sorted(by_row) for e in by_row[row]]


# --- entries ----------------------------------------------------------------------------------------------

ENTRY_ALIASES = {
    "标题": "title",
    "目录类别": "category",
    "类别": "category",
    "栏目": "category",
    "成文日期": "formed_date",
    "发布日期": "published_date",
    "公开日期": "published_date",
    "索引号": "index_number",
    "文号": "document_number",
    "发文字号": "document_number",
    "内容概述": "summary",
    "摘要": "summary",
    "正文": "body",
    "有效性": "validity",
    "失效/废止日期": "invalid_date",
    "失效日期": "invalid_date",
    "废止日期": "invalid_date",
    "所列处理决定数量": "decision_count",
    "决定数量": "decision_count",
}
ENTRY_REQUIRED = ("title", "category", "formed_date", "published_date")
VALIDITY = {"valid": "valid", "有效": "valid", "现行有效": "valid", "expired": "expired", "失效": "expired",
            "repealed": "repealed", "废止": "repealed", "已废止": "repealed", "amended": "amended",
            "已修改": "amended", "修改": "amended"}  # fmt: skip


@gc_paused()
def import_entries(
    *, actor: Any, unit: Org, path: Path | str, create_categories: bool = False, progress: bool = False
) -> ImportResult:
    """Read a history file of entries and hand its rows to the catalog's bulk import (``catalog.bulk``)."""
    catalog_bulk.require_importer(actor, unit)
    table = read_table(path, ENTRY_ALIASES)
    errors = _require_columns(table, ENTRY_REQUIRED)
    if errors:
        raise ImportRejected(errors)
    if not table.rows:
        raise ImportRejected([RowError(0, "", "文件中没有数据行")])
    rows: list[dict[str, Any]] = []
    for number, values in table.rows:
        row = {key: values.get(key) for key in ("title", "category", "index_number", "document_number", "summary",
                                                "body")}  # fmt: skip
        row["row"] = number
        for key in ("formed_date", "published_date", "invalid_date"):
            row[key] = _day(values.get(key), number, key, errors)
        row["decision_count"] = values.get("decision_count")
        validity_text = str(values.get("validity") or "").strip()
        row["validity"] = VALIDITY.get(validity_text.lower() or "valid")
        if row["validity"] is None:
            message = f"有效性“{validity_text}”无法识别（应为 有效、失效、废止 或 已修改）"
            errors.append(RowError(number, "validity", message))
        rows.append(row)
    track = _tracker(progress)
    if errors:  # the catalog's own checks still run, so that the file's every problem is listed at once
        problems = catalog_bulk.check_entries(unit=unit, rows=rows, create_categories=create_categories, progress=track)
        raise ImportRejected(_merge(errors, problems, catalog_bulk.FIELDS))
    try:
        done = catalog_bulk.import_entries(
            actor=actor,
            unit=unit,
            rows=rows,
            create_categories=create_categories,
            source=Path(path).name,
            progress=track,
        )
    except RowsRejected as exc:
        raise ImportRejected(_merge([], exc.problems, catalog_bulk.FIELDS)) from exc
    return ImportResult(
        created=done.created,
        published=done.published,
        drafts=done.drafts,
        categories_created=done.categories_created,
        encoding=table.encoding,
    )


# --- applications -------------------------------------------------------------------------------------------

APPLICATION_ALIASES = {
    "收到申请日期": "received_date",
    "收到日期": "received_date",
    "申请渠道": "channel",
    "渠道": "channel",
    "申请人类型": "applicant_type",
    "申请人情况": "applicant_type",
    "办理结果": "result",
    "答复日期": "replied_date",
    "申请编号": "tracking_number",
    "申请内容": "description",
    "提交日期": "submitted_date",
}
APPLICATION_REQUIRED = ("received_date", "channel", "applicant_type")


def _applicant_words() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, label in spec.table3_columns():
        if key == "total":
            continue
        out[key] = key
        out[label] = key
        out[label.split("/")[-1]] = key
    out["其他组织"] = "other_org"
    out["法人或其他组织/其他组织"] = "other_org"
    return out


def _result_words() -> dict[str, str]:
    """Keys, the national table's labels (whole, or the part after the group), and short labels."""
    candidates: dict[str, set[str]] = defaultdict(set)
    for key in spec.result_keys():
        label = spec.row_label(key)
        candidates[key].add(key)
        candidates[label].add(key)
        head, _, rest = label.partition(" ")
        for text in (rest, rest.split(".", 1)[-1], f"{head}{rest}", f"{head}/{rest}"):
            if text:
                candidates[text].add(key)
        for text in (re.sub(r"^（.）", "", head) + "/" + rest.split(".", 1)[-1],):
            candidates[text].add(key)
    for code in result_codes():
        for text in (code.label, code.short_label, f"{code.group_label}{code.short_label}",
                     f"{code.group_label}/{code.short_label}"):  # fmt: skip
            candidates[text].add(code.key)
    return {text: next(iter(keys)) for text, keys in candidates.items() if len(keys) == 1 and text}


@gc_paused()
def import_applications(*, actor: Any, unit: Org, path: Path | str, progress: bool = False) -> ImportResult:
    """Read a file of historical cases and hand its rows to the applications' bulk import
    (``applications.bulk``)."""
    applications_bulk.require_importer(actor, unit)
    table = read_table(path, APPLICATION_ALIASES)
    errors = _require_columns(table, APPLICATION_REQUIRED)
    if errors:
        raise ImportRejected(errors)
    if not table.rows:
        raise ImportRejected([RowError(0, "", "文件中没有数据行")])
    applicants = _applicant_words()
    results = _result_words()
    rows: list[dict[str, Any]] = []
    for number, values in table.rows:
        row: dict[str, Any] = {"row": number}
        row["received_date"] = _day(values.get("received_date"), number, "received_date", errors)
        row["submitted_date"] = _day(values.get("submitted_date"), number, "submitted_date", errors)
        for column, words, label, hint in (
            ("channel", CHANNEL_WORDS, "申请渠道", "如 网上申请、信函、当面、政务服务窗口、传真、电子邮件"),
            ("applicant_type", applicants, "申请人类型", "如 自然人、商业企业、科研机构、法律服务机构"),
            ("result", results, "办理结果", "应为年度报告表三中的一项，如 予以公开、部分公开"),
        ):
            text = str(values.get(column) or "").strip()
            row[column] = (words.get(text) or words.get(text.lower())) if text else None
            if row[column] is None and (text or column != "result"):
                errors.append(RowError(number, column, f"{label}“{text}”无法识别（{hint}）"))
        row["replied_date"] = _day(values.get("replied_date"), number, "replied_date", errors)
        row["tracking_number"] = str(values.get("tracking_number") or "").strip()
        row["description"] = str(values.get("description") or "")
        rows.append(row)
    track = _tracker(progress)
    if errors:  # the service's own checks still run, so that the file's every problem is listed at once
        raise ImportRejected(
            _merge(errors, applications_bulk.check_cases(rows=rows, progress=track), applications_bulk.FIELDS)
        )
    try:
        done = applications_bulk.import_cases(actor=actor, unit=unit, rows=rows, source=Path(path).name, progress=track)
    except RowsRejected as exc:
        raise ImportRejected(_merge([], exc.problems, applications_bulk.FIELDS)) from exc
    return ImportResult(created=done.created, open_cases=done.open_cases, encoding=table.encoding)
