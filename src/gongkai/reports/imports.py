"""Importing history from old systems and spreadsheets: entries and applications.

Every row is validated first and every problem is listed (row number, column, reason); only a file with
no problem is written, in one transaction, so a file goes in whole or not at all. Rows are written with
``bulk_create`` (a province's history is hundreds of thousands of rows), one audit event per file.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import DomainError
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import spec
from .tables import Table, read_table

PROGRESS_MIN_ROWS = 500
BATCH = 1000


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


def _progress(items: list[Any], enabled: bool, desc: str) -> Any:
    return tqdm(items, desc=desc, unit="行", disable=not enabled or len(items) < PROGRESS_MIN_ROWS, leave=False)


def _require_columns(table: Table, required: tuple[str, ...]) -> list[RowError]:
    missing = [c for c in required if c not in table.columns]
    if missing:
        return [RowError(1, c, "缺少必填列（首行应为列名）") for c in missing]
    return []


def _check_actor(actor: Any, unit: Org) -> None:
    perms.require(unit.is_unit, f"{unit.name} 不是公开主体（县、乡镇或街道），不能导入")
    perms.require(perms.can_manage_unit(actor, unit), "只有本单位公开办管理员可以导入历史数据")


def _free_numbers(unit: Org, year: int, start: int, count: int, reserved: set[str]) -> list[tuple[int, str]]:
    """``count`` (serial, index number) pairs from ``start`` on, skipping numbers already used by imported
    entries (in the database or elsewhere in the file): imported numbers are never reused."""
    from gongkai.catalog.indexing import format_index
    from gongkai.catalog.models import Entry

    out: list[tuple[int, str]] = []
    serial = start
    while len(out) < count:
        batch = [(s, format_index(unit, year, s)) for s in range(serial, serial + min(count - len(out), 900))]
        used = set(Entry.objects.filter(index_number__in=[n for _, n in batch]).values_list("index_number", flat=True))
        out.extend((s, n) for s, n in batch if n not in used and n not in reserved)
        serial = batch[-1][0] + 1
    return out


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
}
ENTRY_REQUIRED = ("title", "category", "formed_date", "published_date")
VALIDITY = {"valid": "valid", "有效": "valid", "现行有效": "valid", "expired": "expired", "失效": "expired",
            "repealed": "repealed", "废止": "repealed", "已废止": "repealed", "amended": "amended",
            "已修改": "amended", "修改": "amended"}  # fmt: skip


def import_entries(
    *, actor: Any, unit: Org, path: Path | str, create_categories: bool = False, progress: bool = False
) -> ImportResult:
    from gongkai.catalog.models import Category, Entry, EntryStatus, EntryVersion, IndexCounter
    from gongkai.catalog.services import SNAPSHOT_FIELDS
    from gongkai.catalog.text import normalize_document_number, plain, sanitize_html
    from gongkai.catalog.timeliness import lag_workdays

    _check_actor(actor, unit)
    table = read_table(path, ENTRY_ALIASES)
    errors = _require_columns(table, ENTRY_REQUIRED)
    if errors:
        raise ImportRejected(errors)
    today = timezone.localdate()

    cats = list(Category.objects.filter(unit=unit).values("pk", "name", "parent_id", "is_retired"))
    by_parent_name: dict[tuple[int | None, str], dict[str, Any]] = {(c["parent_id"], c["name"]): dict(c) for c in cats}
    planned: set[tuple[str, ...]] = set()

    by_id = {c["pk"]: c for c in cats}
    by_name: dict[str, list[int]] = defaultdict(list)
    for c in cats:
        by_name[c["name"]].append(c["pk"])

    def _skip_levels(parts: tuple[str, ...]) -> int | None:
        """A path that leaves out intermediate levels (“法定主动公开内容/行政规范性文件”) names an existing
        category when its last name is unique in the catalog and the other names are its ancestors in order."""
        ids = by_name.get(parts[-1], [])
        if len(ids) != 1 or by_id[ids[0]]["is_retired"]:
            return None
        chain: list[str] = []
        node = by_id[ids[0]]
        while node["parent_id"] is not None:
            node = by_id[node["parent_id"]]
            chain.insert(0, node["name"])
        it = iter(chain)
        return ids[0] if all(name in it for name in parts[:-1]) else None

    def resolve(path_text: str) -> tuple[int | None, str | None]:
        """(category id or None if it will be created, error)."""
        parts = tuple(p.strip() for p in re.split(r"[/／>＞]", path_text) if p.strip())
        if not parts:
            return None, "目录类别不能为空（如“法定主动公开内容/行政规范性文件”）"
        if any(len(name) > 60 for name in parts):
            return None, "类别名称不能超过 60 个字"
        shortcut = _skip_levels(parts)
        if shortcut is not None:
            return shortcut, None
        parent: int | None = None
        for depth, name in enumerate(parts):
            found = by_parent_name.get((parent, name))
            if found is None:
                if not create_categories:
                    return None, f"目录中没有“{'/'.join(parts[: depth + 1])}”（可加 --create-categories 自动新建）"
                planned.update(parts[: i + 1] for i in range(depth, len(parts)))
                return None, None
            if found["is_retired"] and depth == len(parts) - 1:
                return None, f"目录类别“{name}”已停用"
            parent = found["pk"]
        return parent, None

    existing_numbers: set[str] = set()
    wanted = sorted({str(v.get("index_number") or "").strip() for _, v in table.rows} - {""})
    for i in range(0, len(wanted), 900):
        chunk = wanted[i : i + 900]
        existing_numbers.update(
            str(n) for n in Entry.objects.filter(index_number__in=chunk).values_list("index_number", flat=True)
        )
    seen_numbers: dict[str, int] = {}

    clean: list[dict[str, Any]] = []
    for number, values in _progress(table.rows, progress, "校验"):
        row_errors: list[RowError] = []

        def bad(column: str, message: str, number: int = number, row_errors: list[RowError] = row_errors) -> None:
            row_errors.append(RowError(number, column, message))

        title = plain(str(values.get("title") or ""))
        if not title:
            bad("title", "标题不能为空")
        elif len(title) > 200:
            bad("title", f"标题不能超过 200 个字（现为 {len(title)} 个字）")
        cat_path = str(values.get("category") or "")
        cat_id, cat_error = resolve(cat_path)
        if cat_error:
            bad("category", cat_error)
        formed = published = None
        try:
            formed = parse_day(values.get("formed_date"))
            if formed is None:
                bad("formed_date", "成文日期不能为空")
            elif formed > today:
                bad("formed_date", f"成文日期 {formed} 晚于今天")
        except ValueError as exc:
            bad("formed_date", str(exc))
        try:
            published = parse_day(values.get("published_date"))
            if published and published > today:
                bad("published_date", f"发布日期 {published} 晚于今天")
            elif published and formed and published < formed:
                bad("published_date", f"发布日期 {published} 早于成文日期 {formed}")
        except ValueError as exc:
            bad("published_date", str(exc))
        index_number = str(values.get("index_number") or "").strip()
        if index_number:
            if len(index_number) > 80:
                bad("index_number", "索引号不能超过 80 个字符")
            elif index_number in existing_numbers:
                bad("index_number", f"索引号 {index_number} 已被平台上的其他信息使用")
            elif index_number in seen_numbers:
                bad("index_number", f"索引号 {index_number} 与第 {seen_numbers[index_number]} 行重复")
            else:
                seen_numbers[index_number] = number
            if not published:
                bad("index_number", "未发布的信息不能有索引号（索引号在发布时分配）")
        document_number = normalize_document_number(str(values.get("document_number") or ""))
        if len(document_number) > 80:
            bad("document_number", "文号不能超过 80 个字")
        validity_text = str(values.get("validity") or "").strip()
        validity = VALIDITY.get(validity_text.lower() or "valid")
        if validity is None:
            bad("validity", f"有效性“{validity_text}”无法识别（应为 有效、失效、废止 或 已修改）")
        summary = plain(str(values.get("summary") or ""))
        if len(summary) > 2000:
            bad("summary", "内容概述不能超过 2000 个字")
        if row_errors:
            errors.extend(row_errors)
            continue
        clean.append(
            {
                "row": number,
                "title": title,
                "category_id": cat_id,
                "category_path": cat_path,
                "formed_date": formed,
                "published_date": published,
                "index_number": index_number or None,
                "document_number": document_number,
                "validity": validity,
                "summary": summary,
                "body": sanitize_html(str(values.get("body") or "")),
            }
        )
    if not table.rows:
        errors.append(RowError(0, "", "文件中没有数据行"))
    if errors:
        raise ImportRejected(errors)

    result = ImportResult(encoding=table.encoding)
    with transaction.atomic():
        # Categories named in the file that do not exist yet (--create-categories).
        for parts in sorted(planned, key=len):
            parent_id = None
            for depth in range(len(parts) - 1):
                parent_id = by_parent_name[(parent_id, parts[depth])]["pk"]
            if (parent_id, parts[-1]) in by_parent_name:
                continue
            parent = Category.objects.get(pk=parent_id) if parent_id else None
            cat = Category.objects.create(
                unit=unit,
                parent=parent,
                name=parts[-1],
                slug=f"imported-{secrets.token_hex(4)}",
                sort_order=1000,
                path=f"{parent.path}{parent.pk}/" if parent else "/",
            )
            by_parent_name[(parent_id, parts[-1])] = {
                "pk": cat.pk,
                "name": cat.name,
                "parent_id": parent_id,
                "is_retired": False,
            }
            result.categories_created.append("/".join(parts))
        for item in clean:
            if item["category_id"] is None:
                item["category_id"], _ = resolve(item["category_path"])

        # Index numbers for published rows without one: as at publication, in the year of publication.
        needs: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for item in clean:
            if item["published_date"] and not item["index_number"]:
                needs[item["published_date"].year].append(item)
        for year, items in needs.items():
            IndexCounter.objects.bulk_create([IndexCounter(unit=unit, year=year)], ignore_conflicts=True)
            counter = IndexCounter.objects.select_for_update().get(unit=unit, year=year)
            serial = counter.last_serial
            items.sort(key=lambda it: (it["published_date"], it["row"]))
            free = _free_numbers(unit, year, serial + 1, len(items), set(seen_numbers))
            for item, (serial, number) in zip(items, free, strict=True):
                item["index_number"], item["index_year"], item["index_serial"] = number, year, serial
            counter.last_serial = serial
            counter.save(update_fields=["last_serial"])

        tz = timezone.get_current_timezone()
        objs: list[Entry] = []
        for item in _progress(clean, progress, "写入"):
            published = item["published_date"]
            entry = Entry(
                unit=unit,
                publisher=unit,
                category_id=item["category_id"],
                title=item["title"],
                summary=item["summary"],
                body=item["body"],
                document_number=item["document_number"],
                formed_date=item["formed_date"],
                validity=item["validity"],
                index_number=item["index_number"],
                index_year=item.get("index_year"),
                index_serial=item.get("index_serial"),
                created_by=actor,
                status=EntryStatus.PUBLISHED if published else EntryStatus.DRAFT,
            )
            if published:
                entry.published_date = published
                entry.published_at = datetime.combine(published, time(9, 0), tzinfo=tz)
                entry.lag_workdays = lag_workdays(item["formed_date"], published)
            objs.append(entry)
        created = Entry.objects.bulk_create(objs, batch_size=BATCH)
        versions = []
        for entry in created:
            if entry.status == EntryStatus.PUBLISHED:
                snap = {f: getattr(entry, f"{f}_id" if f in ("category", "publisher", "superseded_by") else f)
                        for f in SNAPSHOT_FIELDS}  # fmt: skip
                versions.append(
                    EntryVersion(
                        entry=entry, number=1, snapshot=audit._jsonable(snap), reason="历史数据导入", created_by=actor
                    )
                )
        EntryVersion.objects.bulk_create(versions, batch_size=BATCH)
        result.created = len(created)
        result.published = len(versions)
        result.drafts = result.created - result.published
        audit.record(
            Action.ENTRY_IMPORT,
            actor=actor,
            obj=unit,
            org_code=unit.code,
            changes={
                "file": Path(path).name,
                "rows": result.created,
                "published": result.published,
                "categories_created": result.categories_created,
            },
        )
    return result


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

CHANNEL_WORDS = {
    "online": "online", "网上": "online", "网上申请": "online", "网络": "online", "在线": "online",
    "letter": "letter_registered", "信件": "letter_registered", "信函": "letter_registered",
    "信函申请": "letter_registered", "邮寄": "letter_registered", "letter_registered": "letter_registered",
    "letter_ordinary": "letter_ordinary", "平信": "letter_ordinary",
    "in_person": "in_person", "当面": "in_person", "当面申请": "in_person", "当面提交": "in_person",
    "service_window": "service_window", "窗口": "service_window", "政务服务窗口": "service_window",
    "fax": "fax", "传真": "fax", "email": "email", "电子邮件": "email", "邮件": "email", "e-mail": "email",
    "other": "other", "其他": "other",
}  # fmt: skip


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
    from gongkai.applications.models import ResultCode

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
    for code in ResultCode.objects.all():
        for text in (code.label, code.short_label, f"{code.group_label}{code.short_label}",
                     f"{code.group_label}/{code.short_label}"):  # fmt: skip
            candidates[text].add(code.key)
    return {text: next(iter(keys)) for text, keys in candidates.items() if len(keys) == 1 and text}


def import_applications(*, actor: Any, unit: Org, path: Path | str, progress: bool = False) -> ImportResult:
    from gongkai.applications import clock, numbering
    from gongkai.applications.choices import EventKind, IdType, Status
    from gongkai.applications.models import Application, ClockEvent, Counter, Reply

    _check_actor(actor, unit)
    table = read_table(path, APPLICATION_ALIASES)
    errors = _require_columns(table, APPLICATION_REQUIRED)
    if errors:
        raise ImportRejected(errors)
    today = timezone.localdate()
    applicants = _applicant_words()
    results = _result_words()
    given = {str(v.get("tracking_number") or "").strip() for _, v in table.rows} - {""}
    existing = set(
        Application.objects.filter(tracking_number__in=list(given)).values_list("tracking_number", flat=True)
    )
    seen: dict[str, int] = {}
    clean: list[dict[str, Any]] = []
    for number, values in _progress(table.rows, progress, "校验"):
        row_errors: list[RowError] = []

        def bad(column: str, message: str, number: int = number, row_errors: list[RowError] = row_errors) -> None:
            row_errors.append(RowError(number, column, message))

        received = replied = submitted = None
        try:
            received = parse_day(values.get("received_date"))
            if received is None:
                bad("received_date", "收到申请日期不能为空")
            elif received > today:
                bad("received_date", f"收到申请日期 {received} 晚于今天")
        except ValueError as exc:
            bad("received_date", str(exc))
        try:
            submitted = parse_day(values.get("submitted_date")) or received
            if submitted and received and submitted > received:
                bad("submitted_date", "提交日期不能晚于收到申请日期")
        except ValueError as exc:
            bad("submitted_date", str(exc))
        channel_text = str(values.get("channel") or "").strip()
        channel = CHANNEL_WORDS.get(channel_text.lower()) or CHANNEL_WORDS.get(channel_text)
        if channel is None:
            bad("channel", f"申请渠道“{channel_text}”无法识别（如 网上申请、信函、当面、政务服务窗口、传真、电子邮件）")
        type_text = str(values.get("applicant_type") or "").strip()
        applicant_type = applicants.get(type_text.lower()) or applicants.get(type_text)
        if applicant_type is None:
            bad("applicant_type", f"申请人类型“{type_text}”无法识别（如 自然人、商业企业、科研机构、法律服务机构）")
        result_text = str(values.get("result") or "").strip()
        result = results.get(result_text) or results.get(result_text.lower()) if result_text else None
        if result_text and result is None:
            bad("result", f"办理结果“{result_text}”无法识别（应为年度报告表三中的一项，如 予以公开、部分公开）")
        try:
            replied = parse_day(values.get("replied_date"))
            if replied and replied > today:
                bad("replied_date", f"答复日期 {replied} 晚于今天")
            elif replied and received and replied < received:
                bad("replied_date", f"答复日期 {replied} 早于收到申请日期 {received}")
        except ValueError as exc:
            bad("replied_date", str(exc))
            replied = date.min  # present but bad: do not also report it as missing
        if result_text and not values.get("replied_date"):
            bad("replied_date", "有办理结果的，须填写答复日期（仍在办理的两项都不填）")
        if values.get("replied_date") and not result_text:
            bad("result", "有答复日期的，须填写办理结果（仍在办理的两项都不填）")
        tracking = str(values.get("tracking_number") or "").strip()
        if tracking:
            if tracking in existing:
                bad("tracking_number", f"申请编号 {tracking} 已在平台上")
            elif tracking in seen:
                bad("tracking_number", f"申请编号 {tracking} 与第 {seen[tracking]} 行重复")
            elif len(tracking) > 60:
                bad("tracking_number", "申请编号不能超过 60 个字符")
            seen.setdefault(tracking, number)
        if row_errors:
            errors.extend(row_errors)
            continue
        clean.append(
            {
                "row": number,
                "received": received,
                "submitted": submitted,
                "channel": channel,
                "applicant_type": applicant_type,
                "result": result,
                "replied": replied,
                "tracking": tracking,
                "description": str(values.get("description") or "").strip() or "（历史数据导入，未记录申请内容）",
            }
        )
    if not table.rows:
        errors.append(RowError(0, "", "文件中没有数据行"))
    if errors:
        raise ImportRejected(errors)

    result_summary = ImportResult(encoding=table.encoding)
    with transaction.atomic():
        by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for item in clean:
            if not item["tracking"]:
                by_year[item["submitted"].year].append(item)
        for year, items in by_year.items():
            Counter.objects.bulk_create([Counter(unit=unit, year=year, series="tracking")], ignore_conflicts=True)
            counter = Counter.objects.select_for_update().get(unit=unit, year=year, series="tracking")
            for item in sorted(items, key=lambda it: (it["received"], it["row"])):
                counter.last_serial += 1
                item["tracking"] = numbering.tracking_number(unit, year, counter.last_serial)
                item["year"], item["serial"] = year, counter.last_serial
            counter.save(update_fields=["last_serial"])
        apps: list[Application] = []
        for item in _progress(clean, progress, "写入"):
            closed = item["result"] is not None
            apps.append(
                Application(
                    unit=unit,
                    tracking_number=item["tracking"],
                    tracking_year=item.get("year", item["submitted"].year),
                    tracking_serial=item.get("serial", 0),
                    query_code_hash=numbering.hash_code(item["tracking"], numbering.new_query_code()),
                    channel=item["channel"],
                    submitted_on=item["submitted"],
                    applicant_type=item["applicant_type"],
                    name="（历史数据导入）",
                    id_type=IdType.OTHER,
                    id_number="",
                    description=item["description"],
                    info_form="paper",
                    delivery="pickup",
                    created_by=actor,
                    status=Status.REPLIED if closed else Status.IN_PROGRESS,
                    received_on=item["received"],
                    closed_on=item["replied"] if closed else None,
                )
            )
        created = Application.objects.bulk_create(apps, batch_size=BATCH)
        events: list[ClockEvent] = []
        answers: list[Reply] = []
        for app, item in zip(created, clean, strict=True):
            events.append(
                ClockEvent(application=app, kind=EventKind.RECEIVED, on=item["received"], detail="历史数据导入")
            )
            if item["result"]:
                events.append(
                    ClockEvent(application=app, kind=EventKind.REPLIED, on=item["replied"], detail="历史数据导入")
                )
                answers.append(
                    Reply(application=app, result_id=item["result"], replied_on=item["replied"], content="历史数据导入")
                )
        ClockEvent.objects.bulk_create(events, batch_size=BATCH)
        Reply.objects.bulk_create(answers, batch_size=BATCH)
        open_cases = [app for app in created if app.status == Status.IN_PROGRESS]
        for app in open_cases:
            clock.refresh(app)  # deadline from the ledger, as for a case entered by hand
        result_summary.created = len(created)
        result_summary.open_cases = len(open_cases)
        audit.record(
            Action.APPLICATION_IMPORT,
            actor=actor,
            obj=unit,
            org_code=unit.code,
            changes={"file": Path(path).name, "rows": len(created), "open": len(open_cases)},
        )
    return result_summary
