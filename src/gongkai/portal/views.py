"""The public pages served by Django (development, and a fallback behind the static site).

Each view finds its objects, 404s on anything unknown, and returns exactly the bytes the static builder
writes, with the caching headers nginx would send for the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from gongkai.catalog.models import Attachment, Entry, EntryStatus
from gongkai.orgs.models import Org

from . import feeds, render, selectors
from .render import Rendered
from .selectors import CategoryTree

#: Pages may change when an entry is withdrawn, so they are cached briefly and then revalidated by ETag.
PAGE_CACHE = "public, max-age=300"


def _respond(request: HttpRequest, page: Rendered, status: int = 200) -> HttpResponseBase:
    etag = f'"{hashlib.sha256(page.body).hexdigest()[:32]}"'
    last_modified = int(page.last_modified.timestamp()) if page.last_modified else None
    if status == 200:
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if conditional is not None:
            conditional["Cache-Control"] = PAGE_CACHE
            return conditional
    response = HttpResponse(page.body, content_type=page.content_type, status=status)
    response["ETag"] = etag
    response["Cache-Control"] = PAGE_CACHE if status == 200 else "no-cache"
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return response


def _unit(slug: str) -> tuple[Org, CategoryTree]:
    unit = selectors.unit_by_slug(slug)
    if unit is None:
        raise Http404("no such unit")
    return unit, CategoryTree.load(unit)


def _unit_view(make: Callable[[Org, CategoryTree], Rendered]) -> Callable[..., HttpResponseBase]:
    @require_safe
    def view(request: HttpRequest, unit: str) -> HttpResponseBase:
        org, tree = _unit(unit)
        return _respond(request, make(org, tree))

    return view


@require_safe
def county_home(request: HttpRequest) -> HttpResponseBase:
    return _respond(request, render.county_home())


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponseBase:
    return _respond(request, feeds.sitemap_index())


@require_safe
def robots(request: HttpRequest) -> HttpResponseBase:
    return _respond(request, render.robots())


unit_home = _unit_view(render.unit_home)
guide = _unit_view(render.guide)
catalog = _unit_view(render.catalog)
codes = _unit_view(render.codes)
annual_reports = _unit_view(render.annual_reports)
unit_sitemap = _unit_view(feeds.unit_sitemap)
unit_feed = _unit_view(lambda org, tree: feeds.unit_feed(org))


def _category(slug: str, category: str) -> tuple[Org, CategoryTree, Any]:
    org, tree = _unit(slug)
    cat = tree.by_slug(category)
    if cat is None:
        raise Http404("no such category")
    return org, tree, cat


@require_safe
def category_list(request: HttpRequest, unit: str, category: str, page: int = 1) -> HttpResponseBase:
    org, tree, cat = _category(unit, category)
    pages = render.category_pages(org, tree, cat, only=page)
    if not pages:
        raise Http404("no such page")
    return _respond(request, pages[0])


@require_safe
def category_feed(request: HttpRequest, unit: str, category: str) -> HttpResponseBase:
    org, tree, cat = _category(unit, category)
    return _respond(request, feeds.category_feed(org, tree, cat))


def _entry(unit: str, entry_id: int) -> tuple[Entry, CategoryTree]:
    org, tree = _unit(unit)
    entry = selectors.entries_for_pages(selectors.with_public_page().filter(unit=org, pk=entry_id)).first()
    if entry is None:
        raise Http404("no such entry")
    return entry, tree


@require_safe
def entry_page(request: HttpRequest, unit: str, entry_id: int) -> HttpResponseBase:
    return _respond(request, render.entry_page(*_entry(unit, entry_id)))


@require_safe
def entry_print(request: HttpRequest, unit: str, entry_id: int) -> HttpResponseBase:
    return _respond(request, render.entry_print(*_entry(unit, entry_id)))


@require_safe
def attachment(request: HttpRequest, name: str) -> HttpResponseBase:
    """Only files of published entries, never a replaced (unmasked) original."""
    att = Attachment.objects.filter(file=name, entry__status=EntryStatus.PUBLISHED, replaced_at=None).first()
    if att is None:
        raise Http404("no such file")
    # PDFs and pictures open in the browser; office files and text are downloaded under their own name,
    # never rendered as a page of this site (nosniff is set on every response).
    inline = att.kind in INLINE_KINDS
    response = FileResponse(
        att.file.open("rb"),
        content_type=att.content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=att.original_name,
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


INLINE_KINDS = frozenset({"pdf", "jpg", "png", "gif"})
