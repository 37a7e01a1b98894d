"""Bulk writes on the catalog: history brought in from an old system or a spreadsheet.

``import_entries`` checks every row first — with the field checks of a single entry (``fields.py``) plus
those only history has (a publication date, an index number issued by the old system) — and lists every
problem; only rows without any are written, all in one transaction: categories the rows name that do not
exist yet through ``categories.create_category``, index numbers through ``indexing.take_index_numbers``
(numbers the old system issued are kept and never issued again, Art. 12 索引), the Art. 26 lag through
``timeliness.lag_workdays``, entries and their first version (the snapshot a staff publication stores,
``services.new_version``) with ``bulk_create``, one audit event per entry and one for the import.

It never loops over the single-entry services: a province's history is hundreds of thousands of rows.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.bulk import Track, gc_paused, row_date, untracked
from gongkai.core.errors import RowProblem, RowsRejected
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from .categories import create_category
from .fields import (
    category_error,
    clean_body,
    clean_document_number,
    clean_summary,
    clean_title,
    formed_date_error,
    validity_error,
)
from .indexing import take_index_numbers
from .models import Category, Entry, EntryStatus, EntryVersion, Validity
from .services import new_version
from .timeliness import lag_workdays

#: The fields of a row, in the order their problems are listed.
FIELDS = (
    "title",
    "category",
    "formed_date",
    "published_date",
    "index_number",
    "document_number",
    "validity",
    "invalid_date",
    "decision_count",
    "summary",
    "body",
)
BATCH = 1000
REASON = "历史数据导入"


@dataclass
class EntryImport:
    created: int = 0
    published: int = 0
    drafts: int = 0
    categories_created: list[str] = field(default_factory=list)


def require_importer(actor: Any, unit: Org) -> None:
    perms.require_history_importer(actor, unit)


class _Catalog:
    """The unit's categories, to find the one a row names by its path (“法定主动公开内容/法规文件/行政规范性文件”)."""

    def __init__(self, unit: Org, create: bool) -> None:
        cats = list(Category.objects.filter(unit=unit))
        self.create = create
        self.by_id = {c.pk: c for c in cats}
        self.by_parent_name: dict[tuple[int | None, str], Category] = {(c.parent_id, c.name): c for c in cats}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for c in cats:
            self.by_name[c.name].append(c.pk)
        self.planned: set[tuple[str, ...]] = set()  # paths to create (with ``create``)
        self.memo: dict[str, tuple[Category | None, str | None]] = {}

    @staticmethod
    def parts(path: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in re.split(r"[/／>＞]", path) if p.strip())

    def _skip_levels(self, parts: tuple[str, ...]) -> Category | None:
        """A path that leaves out intermediate levels (“法定主动公开内容/行政规范性文件”) names an existing
        category when its last name is unique in the catalog and the other names are its ancestors in order."""
        ids = self.by_name.get(parts[-1], [])
        if len(ids) != 1 or self.by_id[ids[0]].is_retired:
            return None
        chain: list[str] = []
        node = self.by_id[ids[0]]
        while node.parent_id is not None:
            node = self.by_id[node.parent_id]
            chain.insert(0, node.name)
        it = iter(chain)
        return self.by_id[ids[0]] if all(name in it for name in parts[:-1]) else None

    def resolve(self, path: str) -> tuple[Category | None, str | None]:
        """(category, or None when it is to be created; the problem). Rows repeat a few paths many times."""
        if path not in self.memo:
            self.memo[path] = self._resolve(path)
        return self.memo[path]

    def _resolve(self, path: str) -> tuple[Category | None, str | None]:
        parts = self.parts(path)
        if not parts:
            return None, "目录类别不能为空（如“法定主动公开内容/行政规范性文件”）"
        if any(len(name) > 60 for name in parts):
            return None, "类别名称不能超过 60 个字"
        shortcut = self._skip_levels(parts)
        if shortcut is not None:
            return shortcut, None
        parent: Category | None = None
        for depth, name in enumerate(parts):
            found = self.by_parent_name.get((parent.pk if parent else None, name))
            if found is None:
                if not self.create:
                    return None, f"目录中没有“{'/'.join(parts[: depth + 1])}”（可加 --create-categories 自动新建）"
                self.planned.update(parts[: i + 1] for i in range(depth, len(parts)))
                return None, None
            parent = found
        return parent, None

    def create_planned(self, actor: Any, unit: Org) -> list[str]:
        """Create the planned categories, parents first, through the catalog-maintenance service."""
        made = []
        for parts in sorted(self.planned, key=len):
            parent: Category | None = None
            for name in parts[:-1]:
                parent = self.by_parent_name[(parent.pk if parent else None, name)]
            key = (parent.pk if parent else None, parts[-1])
            if key in self.by_parent_name:
                continue
            cat = create_category(
                actor=actor, unit=unit, name=parts[-1], slug=f"imported-{secrets.token_hex(4)}", parent=parent
            )
            self.by_parent_name[key] = cat
            made.append("/".join(parts))
        self.memo.clear()
        return made


def _numbers_in_use(numbers: set[str]) -> set[str]:
    wanted = sorted(numbers)
    used: set[str] = set()
    for i in range(0, len(wanted), 900):
        chunk = wanted[i : i + 900]
        used.update(str(n) for n in Entry.objects.filter(index_number__in=chunk).values_list("index_number", flat=True))
    return used


@dataclass
class _Plan:
    items: list[dict[str, Any]]
    problems: list[RowProblem]
    catalog: _Catalog
    numbers: set[str]  # index numbers the rows bring along


def _check(unit: Org, rows: Sequence[Mapping[str, Any]], create_categories: bool, track: Track) -> _Plan:
    today = timezone.localdate()
    catalog = _Catalog(unit, create_categories)
    given = {str(r.get("index_number") or "").strip() for r in rows} - {""}
    in_use = _numbers_in_use(given)
    seen: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for position, row in enumerate(track(rows, "校验"), start=1):
        number = int(row.get("row") or position)
        found: list[RowProblem] = []

        def bad(column: str, message: str, number: int = number, found: list[RowProblem] = found) -> None:
            found.append(RowProblem(number, column, message))

        title, message = clean_title(row.get("title"))
        if message:
            bad("title", message)
        path = str(row.get("category") or "")
        category, message = catalog.resolve(path)
        if category is not None:
            message = category_error(unit, category)
        if message:
            bad("category", message)
        formed, message = row_date(row.get("formed_date"))
        if message := message or formed_date_error(formed, today):
            bad("formed_date", message)
        published, message = row_date(row.get("published_date"))
        if message:
            bad("published_date", message)
        elif published and published > today:
            bad("published_date", f"发布日期 {published} 晚于今天")
        elif published and formed and published < formed:
            bad("published_date", f"发布日期 {published} 早于成文日期 {formed}")
        index_number = str(row.get("index_number") or "").strip()
        if index_number:
            if len(index_number) > 80:
                bad("index_number", "索引号不能超过 80 个字符")
            elif index_number in in_use:
                bad("index_number", f"索引号 {index_number} 已被平台上的其他信息使用")
            elif index_number in seen:
                bad("index_number", f"索引号 {index_number} 与第 {seen[index_number]} 行重复")
            else:
                seen[index_number] = number
            if not published:
                bad("index_number", "未发布的信息不能有索引号（索引号在发布时分配）")
        document_number, message = clean_document_number(row.get("document_number"))
        if message:
            bad("document_number", message)
        validity = row.get("validity") or Validity.VALID
        if message := validity_error(validity):
            bad("validity", message)
        invalid, message = row_date(row.get("invalid_date"))
        if message:
            bad("invalid_date", message)
        elif validity in (Validity.REPEALED, Validity.EXPIRED) and invalid is None:
            # 年度报告表二 counts 本年废止 by this date; without it the 制发/废止/现行有效 block cannot add up
            bad("invalid_date", "有效性为“废止”或“失效”的信息须填写失效/废止日期（年度报告表二按此统计本年废止件数）")
        elif invalid and validity == Validity.VALID:
            bad("invalid_date", "有效的信息不应填写失效/废止日期（已废止的请把有效性填为“废止”）")
        elif invalid and formed and invalid < formed:
            bad("invalid_date", f"失效/废止日期 {invalid} 早于成文日期 {formed}")
        elif invalid and invalid > today and validity in (Validity.REPEALED, Validity.EXPIRED):
            bad("invalid_date", f"失效/废止日期 {invalid} 晚于今天：尚未废止的信息有效性应为“有效”")
        decisions = row.get("decision_count")
        if decisions in (None, ""):
            decisions = None
        else:
            try:
                decisions = int(str(decisions).strip().removesuffix(".0"))
                if not 0 <= decisions <= 1_000_000:
                    raise ValueError
            except ValueError:
                bad("decision_count", f"所列处理决定数量“{decisions}”应为 0 或正整数")
                decisions = None
        summary, message = clean_summary(row.get("summary"))
        if message:
            bad("summary", message)
        if found:
            problems.extend(found)
            continue
        items.append(
            {
                "row": number,
                "title": title,
                "category": category,
                "path": path,
                "formed_date": formed,
                "published_date": published,
                "index_number": index_number or None,
                "document_number": document_number,
                "validity": validity,
                "invalid_date": invalid,
                "decision_count": decisions,
                "summary": summary,
                "body": clean_body(row.get("body")),
            }
        )
    return _Plan(items, problems, catalog, set(seen))


@gc_paused()
def check_entries(
    *, unit: Org, rows: Sequence[Mapping[str, Any]], create_categories: bool = False, progress: Track | None = None
) -> list[RowProblem]:
    """Every problem ``import_entries`` would find in ``rows``; writes nothing."""
    return _check(unit, rows, create_categories, progress or untracked).problems


@gc_paused()
def import_entries(
    *,
    actor: Any,
    unit: Org,
    rows: Sequence[Mapping[str, Any]],
    create_categories: bool = False,
    source: str = "",
    progress: Track | None = None,
) -> EntryImport:
    """Import history: one entry per row, published (with its index number and first version) when the row
    has a ``published_date``, a draft otherwise. All or nothing: ``RowsRejected`` lists every problem.

    A row is a mapping with the keys of ``FIELDS`` (``formed_date``/``published_date`` dates or None,
    ``category`` a path of category names, ``validity`` a ``Validity`` value) and ``row``, the number its
    problems are reported under (default: its position, from 1). Index numbers of published rows without one
    are issued per year of publication, in order of publication date.
    """
    require_importer(actor, unit)
    track = progress or untracked
    plan = _check(unit, rows, create_categories, track)
    if plan.problems:
        raise RowsRejected(plan.problems)
    if not plan.items:
        raise RowsRejected([RowProblem(0, "", "没有可导入的数据行")])
    result = EntryImport()
    with transaction.atomic():
        result.categories_created = plan.catalog.create_planned(actor, unit)
        for item in plan.items:
            if item["category"] is None:
                item["category"], _ = plan.catalog.resolve(item["path"])
        _issue_numbers(unit, plan.items, plan.numbers)
        # Written in order of publication, as a live system would have written them: ids follow publication,
        # and the date indexes fill in order instead of at random places (twice as fast on SQLite).
        items = sorted(plan.items, key=lambda it: (it["published_date"] or date.max, it["row"]))
        tz = timezone.get_current_timezone()
        entries = [_entry(actor, unit, tz, item) for item in track(items, "写入")]
        Entry.objects.bulk_create(entries, batch_size=BATCH)
        published = [e for e in entries if e.status == EntryStatus.PUBLISHED]
        EntryVersion.objects.bulk_create([new_version(e, actor=actor, reason=REASON) for e in published], BATCH)
        where = f"{source} " if source else ""
        audit.record_many(
            Action.ENTRY_CREATE,
            (
                audit.Pending(
                    entry,
                    to_state=entry.status,
                    comment=f"{REASON}（{where}第 {item['row']} 行）",
                    changes={"index_number": [None, entry.index_number]} if entry.index_number else None,
                )
                for entry, item in zip(entries, items, strict=True)
            ),
            actor=actor,
            org_code=unit.code,
        )
        result.created, result.published = len(entries), len(published)
        result.drafts = result.created - result.published
        audit.record(
            Action.ENTRY_IMPORT,
            actor=actor,
            obj=unit,
            org_code=unit.code,
            changes={
                "file": source,
                "rows": result.created,
                "published": result.published,
                "categories_created": result.categories_created,
            },
        )
    return result


def _issue_numbers(unit: Org, items: list[dict[str, Any]], reserved: set[str]) -> None:
    """Index numbers for published rows without one: as at publication, in the year of publication, in order
    of publication date (then row)."""
    needs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if item["published_date"] and not item["index_number"]:
            needs[item["published_date"].year].append(item)
    for year, waiting in needs.items():
        waiting.sort(key=lambda it: (it["published_date"], it["row"]))
        numbers = take_index_numbers(unit, year, len(waiting), reserved=reserved)
        for item, (serial, number) in zip(waiting, numbers, strict=True):
            item["index_number"], item["index_year"], item["index_serial"] = number, year, serial


def _entry(actor: Any, unit: Org, tz: Any, item: dict[str, Any]) -> Entry:
    published: date | None = item["published_date"]
    entry = Entry(
        unit_id=unit.pk,
        publisher_id=unit.pk,
        category_id=item["category"].pk,
        title=item["title"],
        summary=item["summary"],
        body=item["body"],
        document_number=item["document_number"],
        formed_date=item["formed_date"],
        validity=item["validity"],
        invalid_date=item.get("invalid_date"),
        decision_count=item.get("decision_count"),
        index_number=item["index_number"],
        index_year=item.get("index_year"),
        index_serial=item.get("index_serial"),
        created_by_id=actor.pk,
        status=EntryStatus.PUBLISHED if published else EntryStatus.DRAFT,
    )
    if published:
        entry.published_date = published
        entry.published_at = datetime.combine(published, time(9, 0), tzinfo=tz)
        entry.lag_workdays = lag_workdays(item["formed_date"], published)
    return entry
