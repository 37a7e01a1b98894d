"""The public search page (dynamic; nginx proxies ``/search/`` to the application). It is a face of the public
site, so it lives here and asks ``gongkai.search`` through its selectors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from gongkai.catalog.models import Category, Genre, Validity
from gongkai.core import ratelimit
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import UNIT_KINDS, Org
from gongkai.search import selectors

from . import paths

FILTERS = ("org", "category", "year", "genre", "validity")


def entry_url(entry: Any) -> str:
    return paths.entry_page(entry.unit.slug, entry.pk)


def _choices(unit: Org | None) -> dict[str, Any]:
    units = Org.objects.filter(kind__in=list(UNIT_KINDS), is_active=True).order_by("path", "sort_order", "id")
    cats = []
    if unit is not None:
        for c in Category.objects.filter(unit=unit, is_retired=False).order_by("path", "sort_order", "id"):
            cats.append({"id": c.pk, "label": "　" * c.depth + c.name})
    return {
        "units": units,
        "categories": cats,
        "genres": Genre.choices,
        "validities": Validity.choices,
        "orders": list(selectors.ORDERS.items()),
    }


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    verdict = ratelimit.hit_request("search", request)
    # NUL never reaches the database (PostgreSQL text cannot hold it); other control characters are harmless.
    params = {k: request.GET.get(k, "").replace("\x00", "").strip() for k in ("q", *FILTERS, "order", "page")}
    context: dict[str, Any] = {"params": params, "errors": {}, "result": None, "current": "search"}
    if not verdict.allowed:
        context.update(_choices(None), rate_message=verdict.message)
        response = render(request, "search/search.html", context, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    status = 200
    try:
        filters = selectors.resolve_filters(
            unit=params["org"],
            category=params["category"],
            year=params["year"],
            genre=params["genre"],
            validity=params["validity"],
        )
        order = selectors.check_order(params["order"])
        page = selectors.check_page(params["page"])
        context["unit"] = None
        context.update(_choices(filters.unit))
        if params["q"] and not any(params[k] for k in FILTERS) and page == 1:
            exact = selectors.exact_entry(params["q"])
            if exact is not None:
                return HttpResponseRedirect(entry_url(exact))
        if params["q"] or any(params[k] for k in FILTERS):
            result = selectors.search(q=params["q"], filters=filters, order=order, page=page)
            context["result"] = result
            context["rows"] = [{"hit": h, "url": entry_url(h.entry)} for h in result.hits]
            context["pager"] = _pager(params, result.page, result.pages)
    except ValidationFailed as exc:
        context.update(_choices(None))
        context["errors"] = exc.errors
        status = 400
    response = render(request, "search/search.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _pager(params: dict[str, str], page: int, pages: int) -> dict[str, Any]:
    def url(n: int) -> str:
        query = {k: v for k, v in params.items() if v and k != "page"}
        if n > 1:
            query["page"] = str(n)
        return "?" + urlencode(query)

    window = range(max(1, page - 4), min(pages, page + 4) + 1)
    return {
        "links": [{"n": n, "url": url(n)} for n in window],
        "prev": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
    }
