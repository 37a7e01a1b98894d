"""Searching: query validation, filters, the page of hits with highlighted snippets, exact-number jumps."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.catalog.models import Category, Entry, EntryStatus, Genre, Validity
from gongkai.catalog.text import html_to_text, normalize_document_number
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import UNIT_KINDS, Org

from . import tokenizer
from .backends import Filters, get_backend
from .tokenizer import MAX_QUERY_CHARS, MAX_TERMS, Phrase

PAGE_SIZE = 20
MAX_PAGE = 100_000
ORDERS = {"newest": "最新发布", "relevance": "相关度"}
SNIPPET_CHARS = 120


def parse_query(q: str) -> list[Phrase]:
    q = (q or "").replace("\x00", "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise ValidationFailed({"q": [f"检索词过长（{len(q)} 个字），请不超过 {MAX_QUERY_CHARS} 个字"]})
    terms = tokenizer.terms(q)
    if len(terms) > MAX_TERMS:
        raise ValidationFailed({"q": [f"检索词最多 {MAX_TERMS} 个（用空格分隔），请减少检索词"]})
    return [p for t in terms if (p := tokenizer.phrase(t)) is not None]


@dataclass
class FilterValues:
    """Filters as the public gives them (strings), checked and resolved."""

    unit: Org | None = None
    category: Category | None = None
    year: int | None = None
    genre: str | None = None
    validity: str | None = None

    def backend_filters(self) -> Filters:
        cats = None
        if self.category is not None:
            prefix = f"{self.category.path}{self.category.pk}/"
            cats = [self.category.pk, *Category.objects.filter(path__startswith=prefix).values_list("pk", flat=True)]
        return Filters(
            unit_ids=[self.unit.pk] if self.unit else None,
            category_ids=cats,
            year=self.year,
            genre=self.genre,
            validity=self.validity,
        )


def resolve_filters(
    *,
    unit: str | None = None,
    category: str | int | None = None,
    year: str | int | None = None,
    genre: str | None = None,
    validity: str | None = None,
) -> FilterValues:
    """Unknown filter values are a clear 400 naming the field, never an empty page that looks like a miss."""
    errors: dict[str, list[str]] = {}
    out = FilterValues()
    if unit:
        code = str(unit)
        valid = re.fullmatch(r"[0-9A-Za-z]{1,20}", code) is not None
        out.unit = Org.objects.filter(code=code, kind__in=list(UNIT_KINDS)).first() if valid else None
        if out.unit is None:
            errors["org"] = [f"没有单位代码为“{str(unit)[:40]}”的公开主体"]
    if category not in (None, ""):
        cat_id = str(category)
        found = Category.objects.filter(pk=int(cat_id)).first() if cat_id.isdigit() and len(cat_id) < 18 else None
        if found is None or (out.unit is not None and found.unit_id != out.unit.pk):
            errors["category"] = ["目录类别不存在（请填写类别编号，并与所选单位一致）"]
        out.category = found
    if year not in (None, ""):
        y = str(year)
        if not (y.isdigit() and len(y) == 4 and 1949 <= int(y) <= 2100):
            errors["year"] = ["年份应为四位数字，如 2025"]
        else:
            out.year = int(y)
    if genre:
        if genre not in Genre.values:
            errors["genre"] = ["体裁取值无效，可选：" + "、".join(Genre.values)]
        out.genre = genre
    if validity:
        if validity not in Validity.values:
            errors["validity"] = ["有效性取值无效，可选：" + "、".join(f"{v}（{lbl}）" for v, lbl in Validity.choices)]
        out.validity = validity
    if errors:
        raise ValidationFailed(errors)
    return out


def check_page(page: str | int | None) -> int:
    p = str(page if page not in (None, "") else 1)
    if not p.isdigit() or len(p) > 7 or not 1 <= int(p) <= MAX_PAGE:
        raise ValidationFailed({"page": [f"页码应为 1 到 {MAX_PAGE} 之间的整数"]})
    return int(p)


def check_order(order: str | None) -> str:
    order = order or "newest"
    if order not in ORDERS:
        raise ValidationFailed({"order": ["排序方式应为 newest（最新发布）或 relevance（相关度）"]})
    return order


@dataclass
class Hit:
    entry: Entry
    snippet: SafeString
    score: float | None = None


@dataclass
class SearchPage:
    query: str
    total: int
    page: int
    page_size: int
    hits: list[Hit] = field(default_factory=list)
    searchable: bool = True  # False when the query held nothing searchable (only punctuation or emoji)
    capped: bool = False  # more matches than GONGKAI_SEARCH_COUNT_LIMIT: ``total`` is the newest that many

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def search(
    *, q: str, filters: FilterValues | None = None, order: str = "newest", page: int = 1, page_size: int = PAGE_SIZE
) -> SearchPage:
    phrases = parse_query(q)
    result = SearchPage(query=q, total=0, page=page, page_size=page_size)
    if not phrases:
        result.searchable = not q.strip()
        if q.strip():
            return result
    flt = (filters or FilterValues()).backend_filters()
    hits = get_backend().search(
        phrases,
        flt,
        order=order,
        offset=(page - 1) * page_size,
        limit=page_size,
        count_limit=settings.GONGKAI_SEARCH_COUNT_LIMIT,
    )
    result.total = hits.total
    result.capped = hits.capped
    # Published only, again: the index is cleared on withdrawal, and this is the second lock on that door.
    # (Checked here rather than in SQL, so the database looks the page's entries up by key alone.)
    entries = Entry.objects.filter(pk__in=hits.entry_ids).select_related("unit", "category", "publisher")
    by_id = {e.pk: e for e in entries if e.status == EntryStatus.PUBLISHED}
    marks = tokenizer.highlight_terms(q)
    result.hits = [Hit(by_id[i], snippet(by_id[i], marks), hits.scores.get(i)) for i in hits.entry_ids if i in by_id]
    return result


def exact_entry(q: str) -> Entry | None:
    """A query that is exactly an index number or a document number jumps straight to the entry."""
    q = (q or "").replace("\x00", "").strip()
    if not q or len(q) > 80:
        return None
    published = Entry.objects.filter(status=EntryStatus.PUBLISHED).select_related("unit")
    return (
        published.filter(index_number=q).first()
        or published.filter(document_number=normalize_document_number(q)).order_by("-published_at").first()
    )


@functools.lru_cache(maxsize=200_000)
def _normalized_char(ch: str) -> str:
    return tokenizer.normalize(ch)


def _normalized_with_map(text: str) -> tuple[str, list[int] | range]:
    """The text normalised character by character, and where each normalised character came from.

    Each distinct character is normalised once; when every one maps to exactly one character (nearly
    always: full-width punctuation and letters do), ``str.translate`` does the work and positions are equal."""
    table = {ord(ch): _normalized_char(ch) for ch in set(text)}
    if all(len(v) == 1 for v in table.values()):
        return text.translate(table), range(len(text))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        n = table[ord(ch)]
        out.append(n)
        where.extend([i] * len(n))
    return "".join(out), where


def snippet(entry: Entry, marks: list[str], width: int = SNIPPET_CHARS) -> SafeString:
    """A stretch of the summary/body around the first hit, hits wrapped in <mark>, everything escaped."""
    text = re.sub(r"\s+", " ", f"{entry.summary} {html_to_text(entry.body)}").strip()
    if not marks:
        return mark_safe(escape(text[:width]) + ("…" if len(text) > width else ""))
    norm, where = _normalized_with_map(text)
    pattern = re.compile("|".join(re.escape(m) for m in marks))
    first = pattern.search(norm)
    start = 0 if first is None else max(0, where[first.start()] - width // 4)
    end = min(len(text), start + width)
    pieces: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for m in pattern.finditer(norm):
        a, b = where[m.start()], where[m.end() - 1] + 1
        if a < cursor or a >= end:
            continue
        b = min(b, end)
        pieces += [escape(text[cursor:a]), "<mark>", escape(text[a:b]), "</mark>"]
        cursor = b
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))


def to_dict(hit: Hit) -> dict[str, Any]:
    return {"entry": hit.entry, "snippet": str(hit.snippet), "score": hit.score}
