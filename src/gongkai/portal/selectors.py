"""Reads for the public pages. Only published (and, for their own page, withdrawn) entries ever leave here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from gongkai.catalog.models import Attachment, Category, Entry, EntryStatus, ServiceLink
from gongkai.orgs.models import UNIT_KINDS, Org

from . import paths

LATEST_COUNT = 10
FEED_COUNT = 20
ANNUAL_REPORTS_SLUG = "annual-reports"
NOTICES_SLUG = "notices"
#: The standard first-level columns (国办公开办函〔2019〕61号, spec §3.3) by their default catalog slugs.
FIRST_LEVEL_SLUGS = ("guide", "rules", "statutory", ANNUAL_REPORTS_SLUG)


def public_units() -> QuerySet[Org]:
    return (
        Org.objects.filter(kind__in=list(UNIT_KINDS), is_active=True)
        .exclude(slug__in=paths.RESERVED_SLUGS)
        .order_by("path", "sort_order", "id")
    )


def unit_by_slug(slug: str) -> Org | None:
    return public_units().filter(slug=slug).first()


def published() -> QuerySet[Entry]:
    """Entries that are listed, fed and mapped: published ones. Withdrawn entries keep only their page."""
    return Entry.objects.filter(status=EntryStatus.PUBLISHED).exclude(published_at=None)


def with_public_page() -> QuerySet[Entry]:
    return Entry.objects.filter(status__in=(EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)).exclude(published_at=None)


def listing(qs: QuerySet[Entry]) -> QuerySet[Entry]:
    """Newest first, with only the columns a list row shows."""
    return (
        qs.select_related("unit")
        .only(
            "id",
            "title",
            "index_number",
            "formed_date",
            "published_date",
            "published_at",
            "unit__slug",
            "unit__name",
            "unit__short_name",
            "category_id",
            "genre",
        )
        .order_by("-published_at", "-id")
    )


@dataclass
class CategoryTree:
    """A unit's whole catalog, loaded once (a unit has about a hundred categories)."""

    unit: Org
    by_id: dict[int, Category]
    children: dict[int | None, list[Category]] = field(default_factory=dict)
    #: Each column's 办事服务 links (catalog.ServiceLink), in their order.
    services: dict[int, list[ServiceLink]] = field(default_factory=dict)

    @classmethod
    def load(cls, unit: Org) -> CategoryTree:
        cats = list(Category.objects.filter(unit=unit).order_by("path", "sort_order", "id"))
        tree = cls(unit=unit, by_id={c.pk: c for c in cats})
        for c in cats:
            tree.children.setdefault(c.parent_id, []).append(c)
        for link in ServiceLink.objects.filter(category__unit=unit).order_by("sort_order", "id"):
            tree.services.setdefault(link.category_id, []).append(link)
        for kids in tree.children.values():
            kids.sort(key=lambda c: (c.sort_order, c.pk))
        return tree

    def by_slug(self, slug: str) -> Category | None:
        return next((c for c in self.by_id.values() if c.slug == slug), None)

    def roots(self) -> list[Category]:
        return [c for c in self.children.get(None, []) if not c.is_retired]

    def visible_children(self, cat: Category) -> list[Category]:
        return [c for c in self.children.get(cat.pk, []) if not c.is_retired]

    def ancestors(self, cat: Category) -> list[Category]:
        ids = [int(p) for p in cat.path.strip("/").split("/") if p]
        return [self.by_id[i] for i in ids if i in self.by_id]

    def descendant_ids(self, cat: Category) -> list[int]:
        out, stack = [], [cat.pk]
        while stack:
            cid = stack.pop()
            out.append(cid)
            stack.extend(c.pk for c in self.children.get(cid, []))
        return out

    def walk(self) -> Iterable[tuple[Category, int]]:
        """Visible categories depth-first with their depth, for the tree page and the guide."""

        def rec(nodes: list[Category], depth: int) -> Iterable[tuple[Category, int]]:
            for c in nodes:
                if c.is_retired:
                    continue
                yield c, depth
                yield from rec(self.children.get(c.pk, []), depth + 1)

        yield from rec(self.children.get(None, []), 0)


def category_entries(tree: CategoryTree, cat: Category) -> QuerySet[Entry]:
    """A column lists its own entries and those of its sub-columns."""
    return listing(published().filter(unit=tree.unit, category_id__in=tree.descendant_ids(cat)))


def category_counts(tree: CategoryTree) -> dict[int, int]:
    """Published entries per column, each column counting its sub-columns too (as its list page does).

    One grouped query for the unit; the sums run over the tree loaded in memory.
    """
    own = dict(
        published()
        .filter(unit=tree.unit)
        .values_list("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    return {cid: sum(own.get(i, 0) for i in tree.descendant_ids(tree.by_id[cid])) for cid in tree.by_id}


def public_attachments(entry: Entry) -> list[Attachment]:
    """Attachments a reader may download: never a replaced (unmasked) original, never of a withdrawn entry."""
    if entry.status != EntryStatus.PUBLISHED:
        return []
    return [a for a in entry.attachments.all() if a.replaced_at is None]


def related_public(entry: Entry) -> list[Entry]:
    """Published related entries, newest first (uses a prefetch when the builder made one)."""
    rows = [r for r in entry.related.all() if r.status == EntryStatus.PUBLISHED and r.published_at]
    return sorted(rows, key=lambda r: (r.published_at, r.pk), reverse=True)


def entries_for_pages(qs: QuerySet[Entry]) -> QuerySet[Entry]:
    """Everything an entry page shows, fetched in a handful of queries per chunk of entries."""
    return qs.select_related("unit", "publisher", "superseded_by", "superseded_by__unit").prefetch_related(
        "attachments", Prefetch("related", queryset=Entry.objects.select_related("unit"))
    )
