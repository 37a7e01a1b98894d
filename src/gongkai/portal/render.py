"""Rendering of every public page. Views and the static builder both call these, so there is one output."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from gongkai.catalog.indexing import format_index
from gongkai.catalog.models import Category, Entry, EntryStatus, Validity
from gongkai.catalog.text import sanitize_html
from gongkai.interaction import selectors as message_selectors
from gongkai.orgs.models import Org, OrgKind
from gongkai.rules import deadlines

from . import paths, selectors, sheets
from .qr import qr_svg
from .selectors import CategoryTree

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Rendered:
    url: str
    body: bytes
    content_type: str = HTML
    last_modified: datetime | None = None


def _html(url: str, template: str, context: dict[str, Any], last_modified: datetime | None = None) -> Rendered:
    return Rendered(url, render_to_string(template, context).encode("utf-8"), HTML, last_modified)


def _unit_nav(unit: Org, tree: CategoryTree) -> list[dict[str, str]]:
    """The standard first-level columns, then 依申请公开 (handled by the application form)."""
    nav = [
        {"label": "首页", "url": paths.unit_home(unit.slug), "key": "home"},
        {"label": "政府信息公开指南", "url": paths.guide(unit.slug), "key": "guide"},
    ]
    rules = tree.by_slug("rules")
    if rules:
        nav.append({"label": rules.name, "url": paths.category_list(unit.slug, rules.slug), "key": "rules"})
    nav.append({"label": "法定主动公开内容", "url": paths.catalog(unit.slug), "key": "catalog"})
    nav.append({"label": "政府信息公开年报", "url": paths.annual_reports(unit.slug), "key": "annual"})
    nav.append({"label": "依申请公开", "url": paths.apply_url(), "key": "apply"})
    nav.append({"label": "互动交流", "url": paths.messages(unit.slug), "key": "messages"})
    return nav


def _base(unit: Org | None, tree: CategoryTree | None, current: str) -> dict[str, Any]:
    ctx: dict[str, Any] = {"unit": unit, "current": current}
    if unit is not None and tree is not None:
        ctx["unit_nav"] = _unit_nav(unit, tree)
        ctx["unit_urls"] = {
            "home": paths.unit_home(unit.slug),
            "guide": paths.guide(unit.slug),
            "catalog": paths.catalog(unit.slug),
            "codes": paths.codes(unit.slug),
            "annual": paths.annual_reports(unit.slug),
            "feed": paths.unit_feed(unit.slug),
            "subscribe": paths.subscribe(unit.slug),
        }
    return ctx


def entry_url(entry: Entry) -> str:
    return paths.entry_page(entry.unit.slug, entry.pk)


def _rows(entries: list[Entry]) -> list[dict[str, Any]]:
    return [{"entry": e, "url": paths.entry_page(e.unit.slug, e.pk)} for e in entries]


def county_home() -> Rendered:
    units = list(selectors.public_units())
    latest = list(selectors.listing(selectors.published())[: selectors.LATEST_COUNT])
    ctx = _base(None, None, "home") | {
        "units": [{"org": u, "url": paths.unit_home(u.slug)} for u in units],
        "latest": _rows(latest),
    }
    return _html(paths.county_home(), "portal/county_home.html", ctx)


def unit_home(unit: Org, tree: CategoryTree) -> Rendered:
    latest = list(selectors.listing(selectors.published().filter(unit=unit))[: selectors.LATEST_COUNT])
    notices_cat = tree.by_slug(selectors.NOTICES_SLUG)
    notices = (
        list(selectors.category_entries(tree, notices_cat)[:5]) if notices_cat and not notices_cat.is_retired else []
    )
    columns = [
        {
            "cat": c,
            "url": paths.category_list(unit.slug, c.slug),
            "children": [{"cat": k, "url": paths.category_list(unit.slug, k.slug)} for k in tree.visible_children(c)],
        }
        for c in tree.roots()
    ]
    ctx = _base(unit, tree, "home") | {
        "latest": _rows(latest),
        "notices": _rows(notices),
        "columns": columns,
        "notices_url": paths.category_list(unit.slug, notices_cat.slug) if notices_cat else None,
    }
    return _html(paths.unit_home(unit.slug), "portal/unit_home.html", ctx)


def guide(unit: Org, tree: CategoryTree) -> Rendered:
    outline = [{"cat": c, "depth": d, "url": paths.category_list(unit.slug, c.slug)} for c, d in tree.walk()]
    ctx = _base(unit, tree, "guide") | {
        "outline": outline,
        "roots": tree.roots(),
        "apply_url": paths.apply_url(),
        "contact_rows": [
            ("公开工作机构", unit.office_name or f"{unit.name}政务公开办公室"),
            ("办公地址", unit.address),
            ("办公时间", unit.office_hours),
            ("邮政编码", unit.postcode),
            ("联系电话", unit.phone),
            ("传真", unit.fax),
            ("电子邮箱", unit.email),
            ("互联网联系方式", unit.website or paths.absolute(paths.unit_home(unit.slug))),
        ],
    }
    return _html(paths.guide(unit.slug), "portal/guide.html", ctx)


def catalog_nodes(unit: Org, tree: CategoryTree) -> list[dict[str, Any]]:
    """The catalog as nested nodes with entry counts, for the collapsible tree (Art. 12: 政府信息公开目录)."""
    counts = selectors.category_counts(tree)

    def node(cat: Category, depth: int) -> dict[str, Any]:
        kids = [node(c, depth + 1) for c in tree.visible_children(cat)]
        return {
            "cat": cat,
            "depth": depth,
            "url": paths.category_list(unit.slug, cat.slug),
            "count": counts.get(cat.pk, 0),
            "children": kids,
        }

    return [node(c, 0) for c in tree.roots()]


def catalog(unit: Org, tree: CategoryTree) -> Rendered:
    """Roots are open; deeper columns fold so the page fits a screen, each with its count of published entries."""
    ctx = _base(unit, tree, "catalog") | {"nodes": catalog_nodes(unit, tree)}
    return _html(paths.catalog(unit.slug), "portal/catalog.html", ctx)


def codes(unit: Org, tree: CategoryTree) -> Rendered:

    year = timezone.localdate().year
    units = [
        {"org": u, "url": paths.unit_home(u.slug), "example": format_index(u, year, 1)}
        for u in selectors.public_units()
    ]
    publishers = list(unit.subtree().filter(is_active=True).exclude(pk=unit.pk).order_by("path", "sort_order"))
    ctx = _base(unit, tree, "codes") | {
        "units": units,
        "publishers": publishers,
        "example": format_index(unit, year, 1),
        "year": year,
    }
    return _html(paths.codes(unit.slug), "portal/codes.html", ctx)


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def outline_under_title(html: str) -> str:
    """Shift the body's headings so its top level is h2, under the page's h1 (the entry title).

    Bodies pasted from Word start at any level — often h3 — which leaves a gap in the page outline that screen
    readers announce and the W3C checker reports (issue 21: h1 → h3 on 576 pages). Relative levels are kept; h6
    is the floor."""
    levels = [int(m.group(2)) for m in _HEADING.finditer(html)]
    if not levels or min(levels) == 2:
        return html
    shift = 2 - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)


_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
TABLE_REGION = '<div class="table-scroll" role="region" tabindex="0" aria-label="表格（可左右滚动）">'


def scrollable_tables(html: str) -> str:
    """Wrap each table of a sanitized body in a region that scrolls sideways and can take keyboard focus.

    On a phone a wide table (the annual report's tables 二–四 pasted into the body) is wider than the screen;
    a region that scrolls must be reachable without a mouse (WCAG 2.1.1; axe-core's scrollable-region-focusable
    found it on the published annual report, issue 21). nh3's output is well formed, so every ``<table>`` has
    its ``</table>`` and nested tables nest their wrappers."""
    if "<table" not in html.lower():
        return html
    return _TABLE_CLOSE.sub("</table></div>", _TABLE_OPEN.sub(TABLE_REGION + "<table", html))


def annual_reports(unit: Org, tree: CategoryTree) -> Rendered:
    cat = tree.by_slug(selectors.ANNUAL_REPORTS_SLUG)
    reports = list(selectors.category_entries(tree, cat)) if cat else []
    year = timezone.localdate().year
    deadline = deadlines.annual_report_deadline(year - 1, county=unit.kind == OrgKind.COUNTY)
    ctx = _base(unit, tree, "annual") | {"reports": _rows(reports), "category": cat, "deadline": deadline}
    return _html(paths.annual_reports(unit.slug), "portal/annual_reports.html", ctx)


def category_pages(unit: Org, tree: CategoryTree, cat: Category, only: int | None = None) -> list[Rendered]:
    """Every page of a column's list (or just page ``only``); one query for all of them."""
    qs = selectors.category_entries(tree, cat)
    if only is not None:
        total = qs.count()
        if only < 1 or only > paths.page_count(total):
            return []
        start = (only - 1) * paths.PAGE_SIZE
        chunks = {only: list(qs[start : start + paths.PAGE_SIZE])}
    else:
        entries = list(qs)
        total = len(entries)
        chunks = {
            n: entries[(n - 1) * paths.PAGE_SIZE : n * paths.PAGE_SIZE] for n in range(1, paths.page_count(total) + 1)
        }
    pages = paths.page_count(total)
    crumbs = [{"cat": a, "url": paths.category_list(unit.slug, a.slug)} for a in tree.ancestors(cat)]
    children = [{"cat": k, "url": paths.category_list(unit.slug, k.slug)} for k in tree.visible_children(cat)]
    out = []
    for number, chunk in chunks.items():
        ctx = _base(unit, tree, "rules" if cat.slug == "rules" else "catalog") | {
            "category": cat,
            "crumbs": crumbs,
            "children": children,
            "rows": _rows(chunk),
            "total": total,
            "page": number,
            "pages": pages,
            "prev_url": paths.category_list(unit.slug, cat.slug, number - 1) if number > 1 else None,
            "next_url": paths.category_list(unit.slug, cat.slug, number + 1) if number < pages else None,
            "page_links": [
                {"n": n, "url": paths.category_list(unit.slug, cat.slug, n)}
                for n in range(1, pages + 1)
                if abs(n - number) <= 3 or n in (1, pages)
            ],
            "feed_url": paths.category_feed(unit.slug, cat.slug),
            "subscribe_url": paths.subscribe(unit.slug, cat.pk),
            "services": tree.services.get(cat.pk, []),
        }
        out.append(_html(paths.category_list(unit.slug, cat.slug, number), "portal/category.html", ctx))
    return out


def _entry_context(entry: Entry, tree: CategoryTree) -> dict[str, Any]:
    unit = entry.unit
    cat = tree.by_id.get(entry.category_id)
    trail = [*tree.ancestors(cat), cat] if cat else []
    withdrawn = entry.status == EntryStatus.WITHDRAWN
    superseded = entry.superseded_by if entry.superseded_by_id else None
    if superseded is not None and superseded.status != EntryStatus.PUBLISHED:
        superseded = None
    meta = [
        ("索引号", entry.index_number or ""),
        ("主题分类", "／".join(c.name for c in trail)),
        ("体裁分类", entry.get_genre_display()),
        ("发布机构", entry.publisher.name),
        ("成文日期", entry.formed_date.strftime("%Y-%m-%d") if entry.formed_date else ""),
        ("文号", entry.document_number),
        ("发布日期", entry.published_date.strftime("%Y-%m-%d") if entry.published_date else ""),
        ("有效性", entry.get_validity_display()),
        ("实施日期", entry.effective_date.strftime("%Y-%m-%d") if entry.effective_date else ""),
        ("失效/废止日期", entry.invalid_date.strftime("%Y-%m-%d") if entry.invalid_date else ""),
        ("主题词", entry.topic_words),
        ("公开方式", entry.get_disclosure_mode_display()),
    ]
    attachments = selectors.public_attachments(entry)
    return _base(unit, tree, "catalog") | {
        "entry": entry,
        "meta": [(k, v) for k, v in meta if v or k in ("索引号", "文号", "成文日期", "发布日期", "有效性")],
        "crumbs": [{"cat": c, "url": paths.category_list(unit.slug, c.slug)} for c in trail],
        "withdrawn": withdrawn,
        # Stored bodies are sanitised on save; cleaning again costs little and covers imported rows.
        "body": mark_safe(scrollable_tables(outline_under_title(sanitize_html(entry.body)))) if not withdrawn else "",
        "attachments": attachments,
        "sheet_tables": sheets.tables_for(attachments) if not withdrawn else [],
        "related": _rows(selectors.related_public(entry)) if not withdrawn else [],
        "not_valid": entry.validity != Validity.VALID and not withdrawn,
        "superseded": {"entry": superseded, "url": entry_url(superseded)} if superseded else None,
        "url": entry_url(entry),
        "print_url": paths.entry_print(unit.slug, entry.pk),
        "absolute_url": paths.absolute(entry_url(entry)),
    }


def entry_page(entry: Entry, tree: CategoryTree) -> Rendered:
    ctx = _entry_context(entry, tree)
    ctx["qr"] = qr_svg(ctx["absolute_url"], "本页二维码，手机扫码阅读")
    return _html(ctx["url"], "portal/entry.html", ctx, entry.updated_at)


def entry_print(entry: Entry, tree: CategoryTree) -> Rendered:
    ctx = _entry_context(entry, tree)
    ctx["qr"] = qr_svg(ctx["absolute_url"], "原文网址二维码")
    return _html(ctx["print_url"], "portal/entry_print.html", ctx, entry.updated_at)


def not_found() -> Rendered:
    return _html(paths.not_found(), "portal/404.html", {})


def unavailable() -> Rendered:
    return _html(paths.unavailable(), "portal/50x.html", {})


def too_many_requests() -> Rendered:
    return _html(paths.too_many_requests(), "portal/429.html", {})


def robots() -> Rendered:
    body = (
        "User-agent: *\nAllow: /\n"
        "Disallow: /staff/\nDisallow: /apply/\nDisallow: /api/\nDisallow: /search/\n"
        "Disallow: /*/print/\n"
        f"Sitemap: {paths.absolute(paths.sitemap_index())}\n"
    )
    return Rendered(paths.robots(), body.encode("utf-8"), "text/plain; charset=utf-8")


#: How many published messages the 留言选登 page lists (newest first); the API pages through all of them.
MESSAGES_ON_PAGE = 100


def messages_page(unit: Org, tree: CategoryTree) -> Rendered:
    """留言选登 (国办秘函〔2019〕19号: answered messages public): the masked copies staff published, with the
    reply, its date and the office that answered."""
    rows = [
        message_selectors.public_item(m) for m in message_selectors.published(unit_code=unit.code)[:MESSAGES_ON_PAGE]
    ]
    ctx = _base(unit, tree, "messages") | {
        "rows": rows,
        "limit": MESSAGES_ON_PAGE,
        "form_url": f"{paths.message_form_url()}?unit={unit.slug}",
        "track_url": "/messages/track/",
        "stats_url": paths.message_stats(unit.slug),
    }
    return _html(paths.messages(unit.slug), "portal/messages.html", ctx)


def message_stats_page(unit: Org, tree: CategoryTree) -> Rendered:
    """留言办理 statistics by year and month: received, answered, on time, average working days, satisfaction."""
    year = timezone.localdate().year
    years = [message_selectors.statistics(unit.pk, y) for y in (year, year - 1)]
    ctx = _base(unit, tree, "messages") | {"years": years, "list_url": paths.messages(unit.slug)}
    return _html(paths.message_stats(unit.slug), "portal/message_stats.html", ctx)
