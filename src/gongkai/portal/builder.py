"""The static site: a full build into a fresh folder swapped in atomically, and incremental refreshes.

A full build never touches the live folder until the very end, so a crash or a kill mid-build leaves the
old site serving. An incremental refresh re-renders only the pages one entry appears on; its cost depends
on the size of that entry's unit and columns, not on the size of the whole corpus.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from tqdm import tqdm

from gongkai.catalog.models import Attachment, Category, Entry, EntryStatus
from gongkai.channels import led
from gongkai.orgs.models import Org

from . import feeds, paths, render, selectors, targets, writer
from .render import Rendered
from .selectors import CategoryTree
from .targets import SiteDir, SiteTarget

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    root: Path | str  # the site folder, or s3://bucket/prefix/
    pages: int = 0
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0


def unit_pages(unit: Org, tree: CategoryTree) -> Iterator[Rendered]:
    """The pages of a unit that do not belong to one column or one entry."""
    yield render.unit_home(unit, tree)
    yield render.guide(unit, tree)
    yield render.catalog(unit, tree)
    yield render.codes(unit, tree)
    yield render.annual_reports(unit, tree)
    yield from message_pages(unit, tree)
    yield feeds.unit_feed(unit)
    yield feeds.unit_sitemap(unit, tree)


def message_pages(unit: Org, tree: CategoryTree) -> Iterator[Rendered]:
    """互动交流: 留言选登 and the statistics page."""
    yield render.messages_page(unit, tree)
    yield render.message_stats_page(unit, tree)


def column_pages(unit: Org, tree: CategoryTree, cat: Category) -> Iterator[Rendered]:
    yield from render.category_pages(unit, tree, cat)
    yield feeds.category_feed(unit, tree, cat)


def entry_pages(entry: Entry, tree: CategoryTree) -> Iterator[Rendered]:
    yield render.entry_page(entry, tree)
    yield render.entry_print(entry, tree)


def site_pages() -> Iterator[Rendered]:
    yield render.county_home()
    yield feeds.sitemap_index()
    yield render.robots()
    yield render.not_found()
    yield render.unavailable()
    yield render.too_many_requests()


def led_pages(unit_id: int | None = None) -> Iterator[Rendered]:
    """The LED screens' feeds (``channels.led``): static files, so screens keep reading with the database down."""
    for url, body, content_type in led.feed_files(unit_id):
        yield Rendered(url, body, content_type)


def refresh_led(root: SiteDir, unit_id: int) -> list[str]:
    changed: list[str] = []
    for page in led_pages(unit_id):
        changed += root.write(page.url, page.body)
    for url in led.retired_feed_urls(unit_id):
        changed += root.remove(url)
    return changed


def refresh_led_feeds(unit_ids: Iterable[int], root: Path | SiteTarget | None = None) -> list[str] | None:
    """Rewrite the LED feeds of these units in the live release (``gongkai led --refresh``, daily: a notice whose
    period ended leaves the screens even if nothing was published). None when no site has been built yet."""
    target = targets.resolve(root)
    with target.lock():
        live = target.current()
        if live is None:
            return None
        changed: list[str] = []
        for unit_id in unit_ids:
            changed += refresh_led(live, unit_id)
        return changed


def _dir(root: Path | SiteDir) -> SiteDir:
    return targets.LocalDir(root) if isinstance(root, Path) else root


def publish_attachments(root: Path | SiteDir, entry: Entry) -> list[str]:
    """Copy the entry's public attachments into the site, read through the storage API (local or S3)."""
    site = _dir(root)
    changed = []
    for att in selectors.public_attachments(entry):
        name = att.file.name or ""
        url = paths.attachment_url(name)
        try:
            if site.put_stored(url, name):
                changed.append(url)
        except FileNotFoundError:
            log.warning("attachment file missing: %s", name)
    return changed


def unpublish_attachments(root: Path | SiteDir, entry: Entry) -> list[str]:
    """A withdrawn entry's files leave the site, unless another published entry shares the same file."""
    site = _dir(root)
    removed = []
    for att in entry.attachments.all():
        still_public = (
            Attachment.objects.filter(file=att.file.name, entry__status=EntryStatus.PUBLISHED, replaced_at=None)
            .exclude(entry=entry)
            .exists()
        )
        if not still_public:
            url = paths.attachment_url(att.file.name or "")
            if site.remove_file(url):
                removed.append(url)
    return removed


def copy_static(root: Path | SiteDir) -> int:
    """Every static asset goes into the site: the public network may not reach any CDN."""
    site = _dir(root)
    count = 0
    seen: set[str] = set()
    for finder in finders.get_finders():
        for rel, storage in finder.list(["CVS", ".*", "*~"]):
            if rel in seen:
                continue
            seen.add(rel)
            src = Path(storage.path(rel))
            url = f"{settings.STATIC_URL}{rel}"
            if Path(rel).suffix in writer.COMPRESSIBLE:
                site.write(url, src.read_bytes())
            else:
                site.put_file(url, src)
            count += 1
    return count


def build_site(out: Path | SiteTarget | None = None, *, progress: bool = False) -> BuildReport:
    """Render the whole public site into a new release and switch to it in one step.

    ``out`` is a folder (its path becomes a symlink to the newest release), a site target, or None for the
    configured one (``GONGKAI_SITE_TARGET``: ``SITE_DIR`` or the S3 bucket, see targets.py).
    """
    target = targets.resolve(out)
    started = time.monotonic()
    with target.lock():
        build_dir = target.new_release()
        report = BuildReport(root=target.target if isinstance(target, targets.LocalFolder) else target.where)
        units = list(selectors.public_units())
        total = (
            len(units)
            + Category.objects.filter(unit__in=units).count()
            + selectors.with_public_page().filter(unit__in=units).count()
        )
        bar = tqdm(total=total, unit="项", desc="生成公开网站", disable=not progress)

        def put(pages: Iterable[Rendered]) -> None:
            for page in pages:
                build_dir.write(page.url, page.body)
                report.pages += 1

        try:
            _fill(build_dir, units, put, bar)
        except BaseException:
            target.discard(build_dir)
            raise
        bar.close()
        target.switch_to(build_dir)
    report.seconds = time.monotonic() - started
    return report


def _fill(build_dir: SiteDir, units: list[Org], put: Callable[[Iterable[Rendered]], None], bar: tqdm[Any]) -> None:
    put(site_pages())
    put(led_pages())
    for unit in units:
        tree = CategoryTree.load(unit)
        put(unit_pages(unit, tree))
        bar.update(1)
        for cat in tree.by_id.values():
            put(column_pages(unit, tree, cat))
            bar.update(1)
        entries = selectors.entries_for_pages(selectors.with_public_page().filter(unit=unit)).order_by("pk")
        for entry in entries.iterator(chunk_size=500):
            put(entry_pages(entry, tree))
            publish_attachments(build_dir, entry)
            bar.update(1)
    copy_static(build_dir)


def _categories_touched(tree: CategoryTree, category_ids: Iterable[int]) -> list[Category]:
    """The given columns and every column above them (a column lists its sub-columns' entries too)."""
    out: dict[int, Category] = {}
    for cid in category_ids:
        cat = tree.by_id.get(cid)
        if cat is None:
            continue
        for c in [*tree.ancestors(cat), cat]:
            out[c.pk] = c
    return list(out.values())


def _refresh_column(root: SiteDir, unit: Org, tree: CategoryTree, cat: Category) -> list[str]:
    changed: list[str] = []
    pages = list(column_pages(unit, tree, cat))
    for page in pages:
        changed += root.write(page.url, page.body)
    # A withdrawal can shorten the list: drop the pages past the new end.
    last = len(pages) - 1  # the feed is not a list page
    n = last + 1
    while root.exists(paths.category_list(unit.slug, cat.slug, n)):
        changed += root.remove(paths.category_list(unit.slug, cat.slug, n))
        n += 1
    return changed


def refresh_entry(entry_id: int, category_ids: Iterable[int] = (), root: Path | SiteTarget | None = None) -> list[str]:
    """Re-render what one entry's change touches, in the live release. Returns the files that actually changed."""
    target = targets.resolve(root)
    with target.lock():
        live = target.current()
        if live is None:
            return []  # nothing published yet: the first full build will include this entry
        return _refresh_entry(live, entry_id, category_ids)


def _refresh_entry(root: SiteDir, entry_id: int, category_ids: Iterable[int]) -> list[str]:
    entry = selectors.entries_for_pages(Entry.objects.filter(pk=entry_id)).first()
    if entry is None or not selectors.public_units().filter(pk=entry.unit_id).exists():
        return []
    unit = entry.unit
    tree = CategoryTree.load(unit)
    changed: list[str] = []
    if entry.is_public and entry.published_at:
        for page in entry_pages(entry, tree):
            changed += root.write(page.url, page.body)
    else:  # back to a non-public state: its page must not stay behind
        changed += root.remove(paths.entry_page(unit.slug, entry.pk))
        changed += root.remove(paths.entry_print(unit.slug, entry.pk))
    if entry.status == EntryStatus.PUBLISHED:
        changed += publish_attachments(root, entry)
    else:
        changed += unpublish_attachments(root, entry)
    # Pages that show this entry's title: its related entries and the ones it replaces.
    neighbours = selectors.entries_for_pages(
        selectors.with_public_page()
        .filter(unit=unit)
        .filter(
            pk__in=[
                *entry.related.values_list("pk", flat=True),
                *entry.supersedes.values_list("pk", flat=True),
            ]
        )
    )
    for other in neighbours:
        for page in entry_pages(other, tree):
            changed += root.write(page.url, page.body)
    for cat in _categories_touched(tree, {*category_ids, entry.category_id}):
        changed += _refresh_column(root, unit, tree, cat)
    for page in (
        render.unit_home(unit, tree),
        render.catalog(unit, tree),  # its entry counts
        render.annual_reports(unit, tree),
        feeds.unit_feed(unit),
        feeds.unit_sitemap(unit, tree),
        render.county_home(),
    ):
        changed += root.write(page.url, page.body)
    changed += refresh_led(root, unit.pk)
    return changed


def refresh_category_entries(category_id: int, root: Path | SiteTarget | None = None) -> list[str]:
    """After a column was renamed: the pages of its entries (and of its sub-columns' entries) show the name."""
    target = targets.resolve(root)
    with target.lock():
        live = target.current()
        if live is None:
            return []
        category = Category.objects.select_related("unit").filter(pk=category_id).first()
        if category is None or not selectors.public_units().filter(pk=category.unit_id).exists():
            return []
        tree = CategoryTree.load(category.unit)
        ids = [
            category.pk,
            *Category.objects.filter(path__startswith=f"{category.path}{category.pk}/").values_list("pk", flat=True),
        ]
        entries = selectors.entries_for_pages(selectors.with_public_page().filter(category_id__in=ids))
        changed: list[str] = []
        for entry in entries.order_by("pk").iterator(chunk_size=500):
            for page in entry_pages(entry, tree):
                changed += live.write(page.url, page.body)
        return changed


def refresh_unit(unit_id: int, root: Path | SiteTarget | None = None) -> list[str]:
    """After a unit's own data or catalog changed: its guide, catalog, home and column lists."""
    target = targets.resolve(root)
    with target.lock():
        live = target.current()
        if live is None:
            return []
        unit = selectors.public_units().filter(pk=unit_id).first()
        if unit is None:
            return []
        tree = CategoryTree.load(unit)
        changed: list[str] = []
        for page in [*unit_pages(unit, tree), *site_pages()]:
            changed += live.write(page.url, page.body)
        for cat in tree.by_id.values():
            changed += _refresh_column(live, unit, tree, cat)
        changed += refresh_led(live, unit.pk)
        return changed


def refresh_messages(unit_id: int, root: Path | SiteTarget | None = None) -> list[str]:
    """After a reply was published or taken down: the unit's 留言选登 and statistics pages only."""
    target = targets.resolve(root)
    with target.lock():
        live = target.current()
        if live is None:
            return []
        unit = selectors.public_units().filter(pk=unit_id).first()
        if unit is None:
            return []
        tree = CategoryTree.load(unit)
        changed: list[str] = []
        for page in message_pages(unit, tree):
            changed += live.write(page.url, page.body)
        return changed
