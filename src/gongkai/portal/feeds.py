"""RSS 2.0 feeds and sitemaps: machine-readable views of the same published entries."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape

from django.utils.feedgenerator import Rss201rev2Feed

from gongkai.catalog.models import Category, Entry
from gongkai.orgs.models import Org

from . import paths, selectors
from .render import Rendered
from .selectors import CategoryTree

RSS = "application/rss+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class _StableFeed(Rss201rev2Feed):
    """An empty feed reports a fixed date instead of "now", so rebuilding it does not change the file."""

    def latest_post_date(self) -> datetime:
        return super().latest_post_date() if self.items else _EPOCH


def _feed(url: str, title: str, link: str, description: str, entries: list[Entry]) -> Rendered:
    feed = _StableFeed(
        title=title,
        link=paths.absolute(link),
        description=description,
        language="zh-cn",
        feed_url=paths.absolute(url),
    )
    for e in entries:
        feed.add_item(
            title=e.title,
            link=paths.absolute(paths.entry_page(e.unit.slug, e.pk)),
            description=e.summary or e.title,
            pubdate=e.published_at,
            unique_id=paths.absolute(paths.entry_page(e.unit.slug, e.pk)),
            unique_id_is_permalink=True,
            categories=[e.index_number] if e.index_number else (),
        )
    return Rendered(url, feed.writeString("utf-8").encode("utf-8"), RSS)


def unit_feed(unit: Org) -> Rendered:
    qs = selectors.published().filter(unit=unit).select_related("unit").order_by("-published_at", "-id")
    return _feed(
        paths.unit_feed(unit.slug),
        f"{unit.name} · 政府信息公开",
        paths.unit_home(unit.slug),
        f"{unit.name}最新公开的政府信息",
        list(qs[: selectors.FEED_COUNT]),
    )


def category_feed(unit: Org, tree: CategoryTree, cat: Category) -> Rendered:
    qs = (
        selectors.published()
        .filter(unit=unit, category_id__in=tree.descendant_ids(cat))
        .select_related("unit")
        .order_by("-published_at", "-id")
    )
    return _feed(
        paths.category_feed(unit.slug, cat.slug),
        f"{unit.name} · {cat.name}",
        paths.category_list(unit.slug, cat.slug),
        f"{unit.name}“{cat.name}”栏目最新信息",
        list(qs[: selectors.FEED_COUNT]),
    )


def _urlset(urls: list[tuple[str, str | None]]) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in urls:
        mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(paths.absolute(loc))}</loc>{mod}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def unit_sitemap(unit: Org, tree: CategoryTree) -> Rendered:
    """One sitemap per unit: a publication rewrites only its own unit's map, whatever the corpus size."""
    urls: list[tuple[str, str | None]] = [
        (paths.unit_home(unit.slug), None),
        (paths.guide(unit.slug), None),
        (paths.catalog(unit.slug), None),
        (paths.codes(unit.slug), None),
        (paths.annual_reports(unit.slug), None),
    ]
    urls += [(paths.category_list(unit.slug, c.slug), None) for c, _ in tree.walk()]
    rows = selectors.published().filter(unit=unit).order_by("-published_at", "-id").values_list("pk", "updated_at")
    # The protocol caps a file at 50,000 URLs; a unit that large keeps its newest ones here.
    urls += [(paths.entry_page(unit.slug, pk), mod.date().isoformat()) for pk, mod in rows[:49_000]]
    return Rendered(paths.unit_sitemap(unit.slug), _urlset(urls), XML)


def sitemap_index() -> Rendered:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for unit in selectors.public_units().only("slug"):
        lines.append(f"<sitemap><loc>{escape(paths.absolute(paths.unit_sitemap(unit.slug)))}</loc></sitemap>")
    lines.append("</sitemapindex>\n")
    return Rendered(paths.sitemap_index(), "\n".join(lines).encode("utf-8"), XML)
