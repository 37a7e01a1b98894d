"""The read API (open data): units, catalogs, entries, search. Anonymous, GET only, CORS-enabled."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from gongkai.catalog.models import Category, Entry, EntryStatus
from gongkai.core.errors import DomainError, NotFound, ValidationFailed
from gongkai.orgs.models import UNIT_KINDS, Org
from gongkai.portal import paths
from gongkai.search import selectors as search

from .errors import ErrorOut, error
from .schemas import CategoryOut, EntryDetail, EntryPage, OrgPage, SearchPageOut

router = Router(tags=["公开信息"])

ERRORS: dict[int, Any] = {400: ErrorOut, 429: ErrorOut}
ORG_PAGE_SIZE = 100
PUBLIC_STATES = [EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN]
ENTRY_PAGE_SIZE = 20

PAGE = Query(1, ge=1, le=search.MAX_PAGE, description="页码，从 1 开始；每页条数见 page_size")
ORG = Query(None, max_length=40, description="公开主体的单位代码，如 QH0101（见 /orgs）")
CATEGORY = Query(None, ge=1, le=2**62, description="目录类别编号（见 /categories）；包括其下级类别")
YEAR = Query(None, ge=1949, le=2100, description="发布年份，如 2025")
GENRE = Query(None, max_length=10, description="体裁，如 通知、公告、公示、办法、解读")
VALIDITY = Query(None, max_length=10, description="有效性：valid 有效、expired 失效、repealed 废止、amended 已修改")
CURSOR = Query(
    None,
    max_length=60,
    description=(
        "翻页游标：填上一页返回的 next_cursor，取其后的 20 条。按游标可以遍历全部信息（不受计数上限限制，"
        "每页一样快）；给出游标时忽略 page。只用于不带 q 的列表"
    ),
)
#: A list cursor is "<published_at in microseconds since 1970 UTC>-<entry id>" of the page's last entry.
CURSOR_RE = re.compile(r"([0-9]{1,16})-([0-9]{1,18})")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def entry_api_path(index_number: str) -> str:
    """Index numbers keep their ``/`` as a path separator: ``/api/v1/entries/QH0101/2025-00001``."""
    return f"/api/v1/entries/{index_number}"


def entry_out(e: Entry) -> dict[str, Any]:
    return {
        "index_number": e.index_number or "",
        "title": e.title,
        "unit": e.unit.code,
        "unit_name": e.unit.name,
        "publisher": e.publisher.name,
        "category": {"id": e.category_id, "name": e.category.name},
        "document_number": e.document_number,
        "genre": e.genre,
        "topic_words": e.topic_words,
        "formed_date": e.formed_date,
        "published_at": e.published_at,
        "validity": e.validity,
        "validity_label": e.get_validity_display(),
        "url": paths.absolute(paths.entry_page(e.unit.slug, e.pk)),
        "api_url": paths.absolute(entry_api_path(e.index_number or "")),
    }


def _page(count: int, page: int, size: int) -> dict[str, int]:
    return {"count": count, "page": page, "page_size": size, "pages": max(1, -(-count // size))}


@router.get("/orgs", response={200: OrgPage, **ERRORS}, summary="机构列表（县、乡镇、街道及其办所村居）")
def list_orgs(request: HttpRequest, page: int = PAGE) -> Any:
    orgs = Org.objects.filter(is_active=True).select_related("parent").order_by("path", "sort_order", "id")
    count = orgs.count()
    rows = orgs[(page - 1) * ORG_PAGE_SIZE : page * ORG_PAGE_SIZE]
    results = [
        {
            "code": o.code,
            "name": o.name,
            "short_name": o.short_name,
            "kind": o.kind,
            "kind_label": o.get_kind_display(),
            "parent": o.parent.code if o.parent else None,
            "is_unit": o.kind in UNIT_KINDS,
            "slug": o.slug,
        }
        for o in rows
    ]
    return {**_page(count, page, ORG_PAGE_SIZE), "results": results}


@router.get(
    "/categories", response={200: list[CategoryOut], **ERRORS}, summary="某单位的公开目录类别（全部，按目录顺序）"
)
def list_categories(request: HttpRequest, org: str = Query(..., max_length=40, description="单位代码")) -> Any:
    unit = search.resolve_filters(unit=org).unit
    cats = list(Category.objects.filter(unit=unit).order_by("path", "sort_order", "id"))
    names = {c.pk: c.name for c in cats}
    return [
        {
            "id": c.pk,
            "name": c.name,
            "full_name": "/".join([*(names[int(i)] for i in c.path.strip("/").split("/") if i), c.name]),
            "slug": c.slug,
            "parent": c.parent_id,
            "is_retired": c.is_retired,
        }
        for c in cats
    ]


def _cursor(entry: Entry) -> str:
    assert entry.published_at is not None
    delta = entry.published_at - EPOCH
    return f"{(delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds}-{entry.pk}"


def _after_cursor(qs: QuerySet[Entry], cursor: str) -> QuerySet[Entry]:
    """Entries after the cursor's entry in list order (newest first, then highest id): a range on the
    publication-time index, not an OFFSET, so page 50,000 costs what page 1 does."""
    m = CURSOR_RE.fullmatch(cursor.strip())
    if m is None:
        raise ValidationFailed({"cursor": ["翻页游标无效：请原样使用上一页返回的 next_cursor"]})
    at = EPOCH + timedelta(microseconds=int(m.group(1)))
    return qs.filter(published_at__lte=at).filter(Q(published_at__lt=at) | Q(pk__lt=int(m.group(2))))


@router.get("/entries", response={200: EntryPage, **ERRORS}, summary="已发布的政府信息（新发布的在前）")
def list_entries(
    request: HttpRequest,
    org: str | None = ORG,
    category: int | None = CATEGORY,
    year: int | None = YEAR,
    genre: str | None = GENRE,
    validity: str | None = VALIDITY,
    q: str = Query("", description="检索词（同 /search，结果按发布时间排序）"),
    page: int = PAGE,
    cursor: str | None = CURSOR,
) -> Any:
    flt = search.resolve_filters(unit=org, category=category, year=year, genre=genre, validity=validity)
    if q.strip():
        if cursor:
            raise ValidationFailed({"cursor": ["带检索词 q 的结果请用 page 翻页，游标只用于不带 q 的列表"]})
        result = search.search(q=q, filters=flt, order="newest", page=page, page_size=ENTRY_PAGE_SIZE)
        return {
            **_page(result.total, page, ENTRY_PAGE_SIZE),
            "count_capped": result.capped,
            "next_cursor": None,
            "results": [entry_out(h.entry) for h in result.hits],
        }
    qs = Entry.objects.filter(status=EntryStatus.PUBLISHED).exclude(published_at=None)  # cursors need the time
    if flt.unit:
        qs = qs.filter(unit=flt.unit)
    if flt.category:
        qs = qs.filter(category_id__in=flt.backend_filters().category_ids or [])
    if flt.year:
        # The local calendar year as a range of publication times: the same index serves filter and order.
        tz = timezone.get_current_timezone()
        start, end = datetime(flt.year, 1, 1, tzinfo=tz), datetime(flt.year + 1, 1, 1, tzinfo=tz)
        qs = qs.filter(published_at__gte=start, published_at__lt=end)
    if flt.genre:
        qs = qs.filter(genre=flt.genre)
    if flt.validity:
        qs = qs.filter(validity=flt.validity)
    # Counted up to the search count limit, like search: an exact count of a million rows costs more than
    # the page itself. Past the limit, pages stop and the cursor goes on.
    limit = settings.GONGKAI_SEARCH_COUNT_LIMIT
    counted = qs.order_by()[: limit + 1].count()
    capped, count = counted > limit, min(counted, limit)
    ordered = qs.select_related("unit", "publisher", "category").order_by("-published_at", "-id")
    if cursor:
        rows = list(_after_cursor(ordered, cursor)[: ENTRY_PAGE_SIZE + 1])
        shown = ENTRY_PAGE_SIZE
    else:
        offset = (page - 1) * ENTRY_PAGE_SIZE
        if capped and offset >= count:
            pages = _page(count, page, ENTRY_PAGE_SIZE)["pages"]
            told = f"按页码只能翻阅最新的 {count:,} 条（共 {pages} 页），请用 next_cursor 继续"
            raise ValidationFailed({"page": [told]})
        # Pages end where a capped count does (as in search); the cursor goes on past it.
        shown = min(ENTRY_PAGE_SIZE, count - offset) if capped else ENTRY_PAGE_SIZE
        rows = list(ordered[offset : offset + shown + 1])
    more, rows = len(rows) > shown, rows[:shown]
    return {
        **_page(count, page, ENTRY_PAGE_SIZE),
        "count_capped": capped,
        "next_cursor": _cursor(rows[-1]) if more else None,
        "results": [entry_out(e) for e in rows],
    }


@router.get(
    "/entries/{path:index_number}",
    response={200: EntryDetail, 404: ErrorOut, 410: ErrorOut, **ERRORS},
    summary="按索引号取一条信息",
    description=(
        "索引号原样放在路径里，其中的 `/` 就是路径分隔符，例如 `/api/v1/entries/QH0101/2025-00001`；"
        "也可以写成百分号编码 `QH0101%2F2025-00001`。已撤回的信息返回 410。"
    ),
)
def get_entry(request: HttpRequest, index_number: str) -> Any:
    entry = (
        Entry.objects.filter(
            index_number=index_number.strip("/"), status__in=[EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN]
        )
        .select_related("unit", "publisher", "category", "superseded_by")
        .prefetch_related("attachments", "related")
        .first()
    )
    if entry is None:
        raise NotFound(f"没有索引号为“{index_number[:80]}”的已发布信息", field="index_number")
    if entry.status == EntryStatus.WITHDRAWN:
        when = entry.withdrawn_at.date().isoformat() if entry.withdrawn_at else ""
        return error("withdrawn", f"该信息已于 {when} 撤回", "index_number", status=410)
    return {
        **entry_out(entry),
        "summary": entry.summary,
        "body_html": entry.body,
        "disclosure_mode": entry.disclosure_mode,
        "withhold_ground": entry.withhold_ground,
        "effective_date": entry.effective_date,
        "invalid_date": entry.invalid_date,
        "superseded_by": entry.superseded_by.index_number if entry.superseded_by else None,
        "related": [
            r.index_number for r in entry.related.all() if r.status == EntryStatus.PUBLISHED and r.index_number
        ],
        "attachments": [
            {
                "name": a.original_name,
                "kind": a.kind,
                "size": a.size,
                "sha256": a.sha256,
                "url": paths.absolute(f"/media/{a.file.name}"),
            }
            for a in entry.attachments.all()
            if a.replaced_at is None
        ],
        "version": entry.version,
    }


@router.get(
    "/search",
    response={200: SearchPageOut, **ERRORS},
    summary="全文检索",
    description=(
        "检索标题、内容概述、正文、文号、索引号、主题词和附件文字。多个词用空格分隔，须同时出现；"
        "每个词按原样连续匹配（两个字以上的中文词精确匹配子串）。snippet 为已转义的 HTML，命中处以 `<mark>` 标出。"
    ),
)
def search_entries(
    request: HttpRequest,
    q: str = Query(..., description="检索词，不超过 100 个字"),
    org: str | None = ORG,
    category: int | None = CATEGORY,
    year: int | None = YEAR,
    genre: str | None = GENRE,
    validity: str | None = VALIDITY,
    order: str = Query("relevance", description="relevance 相关度 或 newest 最新发布"),
    page: int = PAGE,
) -> Any:
    if not q.strip():
        raise DomainError("请输入检索词", field="q")
    flt = search.resolve_filters(unit=org, category=category, year=year, genre=genre, validity=validity)
    result = search.search(q=q, filters=flt, order=search.check_order(order), page=page)
    return {
        **_page(result.total, page, result.page_size),
        "query": q,
        "count_capped": result.capped,
        "results": [{**entry_out(h.entry), "snippet": str(h.snippet), "score": h.score} for h in result.hits],
    }
