"""The static site: a full build into a fresh folder swapped in atomically, and incremental refreshes.

A full build never touches the live folder until the very end, so a crash or a kill mid-build leaves the
old site serving. An incremental refresh re-renders only the pages one entry appears on; its cost depends
on the size of that entry's unit and columns, not on the size of the whole corpus.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from tqdm import tqdm

from gongkai.catalog.models import Attachment, Category, Entry, EntryStatus
from gongkai.channels import led
from gongkai.orgs.models import Org

from . import feeds, paths, render, selectors, writer
from .render import Rendered
from .selectors import CategoryTree

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    root: Path
    pages: int = 0
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def unit_pages(unit: Org, tree: CategoryTree) -> Iterator[Rendered]:
    """The pages of a unit that do not belong to one column or one entry."""
    yield render.unit_home(unit, tree)
    yield render.guide(unit, tree)
    yield render.catalog(unit, tree)
    yield render.codes(unit, tree)
    yield render.annual_reports(unit, tree)
    yield feeds.unit_feed(unit)
    yield feeds.unit_sitemap(unit, tree)


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


def refresh_led(root: Path, unit_id: int) -> list[Path]:
    changed: list[Path] = []
    for page in led_pages(unit_id):
        changed += writer.write_page(root, page)
    for url in led.retired_feed_urls(unit_id):
        changed += writer.remove_page(root, url)
    return changed


def _site_file(root: Path, att: Attachment) -> Path:
    return paths.file_for(root, att.file.url)


def publish_attachments(root: Path, entry: Entry) -> list[Path]:
    changed = []
    for att in selectors.public_attachments(entry):
        try:
            src = Path(att.file.path)
        except (NotImplementedError, ValueError):  # remote storage: served by the storage itself
            continue
        if src.exists():
            dst = _site_file(root, att)
            if writer.link_or_copy(src, dst):
                changed.append(dst)
        else:
            log.warning("attachment file missing: %s", src)
    return changed


def unpublish_attachments(root: Path, entry: Entry) -> list[Path]:
    """A withdrawn entry's files leave the site, unless another published entry shares the same file."""
    removed = []
    for att in entry.attachments.all():
        still_public = (
            Attachment.objects.filter(file=att.file.name, entry__status=EntryStatus.PUBLISHED, replaced_at=None)
            .exclude(entry=entry)
            .exists()
        )
        if not still_public:
            dst = _site_file(root, att)
            with contextlib.suppress(FileNotFoundError):
                dst.unlink()
                removed.append(dst)
    return removed


def copy_static(root: Path) -> int:
    """Every static asset goes into the site: the public network may not reach any CDN."""
    count = 0
    seen: set[str] = set()
    for finder in finders.get_finders():
        for rel, storage in finder.list(["CVS", ".*", "*~"]):
            if rel in seen:
                continue
            seen.add(rel)
            src = Path(storage.path(rel))
            dst = paths.file_for(root, f"{settings.STATIC_URL}{rel}")
            if dst.suffix in writer.COMPRESSIBLE:
                writer.write_with_twins(dst, src.read_bytes())
            else:
                writer.link_or_copy(src, dst)
            count += 1
    return count


def _clean_stale_builds(target: Path) -> None:
    for stale in target.parent.glob(f".{target.name}-build-*"):
        shutil.rmtree(stale, ignore_errors=True)


def build_site(out: Path | None = None, *, progress: bool = False) -> BuildReport:
    """Render the whole public site into a new folder and swap it in for ``out`` (default SITE_DIR)."""
    target = Path(out or settings.SITE_DIR).absolute()
    started = time.monotonic()
    target.parent.mkdir(parents=True, exist_ok=True)
    with writer.site_lock(target):
        _clean_stale_builds(target)
        build_dir = target.parent / f".{target.name}-build-{time.strftime('%Y%m%d%H%M%S')}-{id(target):x}"
        build_dir.mkdir()
        report = BuildReport(root=target)
        units = list(selectors.public_units())
        total = (
            len(units)
            + Category.objects.filter(unit__in=units).count()
            + selectors.with_public_page().filter(unit__in=units).count()
        )
        bar = tqdm(total=total, unit="项", desc="生成公开网站", disable=not progress)

        def put(pages: Iterable[Rendered]) -> None:
            for page in pages:
                writer.write_page(build_dir, page)
                report.pages += 1

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
        bar.close()
        copy_static(build_dir)
        writer.swap_in(build_dir, target)
    report.seconds = time.monotonic() - started
    return report


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


def _refresh_column(root: Path, unit: Org, tree: CategoryTree, cat: Category) -> list[Path]:
    changed: list[Path] = []
    pages = list(column_pages(unit, tree, cat))
    for page in pages:
        changed += writer.write_page(root, page)
    # A withdrawal can shorten the list: drop the pages past the new end.
    last = len(pages) - 1  # the feed is not a list page
    n = last + 1
    while paths.file_for(root, paths.category_list(unit.slug, cat.slug, n)).exists():
        changed += writer.remove_page(root, paths.category_list(unit.slug, cat.slug, n))
        n += 1
    return changed


def refresh_entry(entry_id: int, category_ids: Iterable[int] = (), root: Path | None = None) -> list[Path]:
    """Re-render what one entry's change touches. Returns the files that actually changed."""
    root = Path(root or settings.SITE_DIR)
    with writer.site_lock(root):
        if not writer.is_built(root):
            return []  # nothing published yet: the first full build will include this entry
        entry = selectors.entries_for_pages(Entry.objects.filter(pk=entry_id)).first()
        if entry is None or not selectors.public_units().filter(pk=entry.unit_id).exists():
            return []
        unit = entry.unit
        tree = CategoryTree.load(unit)
        changed: list[Path] = []
        if entry.is_public and entry.published_at:
            for page in entry_pages(entry, tree):
                changed += writer.write_page(root, page)
        else:  # back to a non-public state: its page must not stay behind
            changed += writer.remove_page(root, paths.entry_page(unit.slug, entry.pk))
            changed += writer.remove_page(root, paths.entry_print(unit.slug, entry.pk))
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
                changed += writer.write_page(root, page)
        for cat in _categories_touched(tree, {*category_ids, entry.category_id}):
            changed += _refresh_column(root, unit, tree, cat)
        for page in (
            render.unit_home(unit, tree),
            render.annual_reports(unit, tree),
            feeds.unit_feed(unit),
            feeds.unit_sitemap(unit, tree),
            render.county_home(),
        ):
            changed += writer.write_page(root, page)
        changed += refresh_led(root, unit.pk)
        return changed


def refresh_category_entries(category_id: int, root: Path | None = None) -> list[Path]:
    """After a column was renamed: the pages of its entries (and of its sub-columns' entries) show the name."""
    root = Path(root or settings.SITE_DIR)
    with writer.site_lock(root):
        if not writer.is_built(root):
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
        changed: list[Path] = []
        for entry in entries.order_by("pk").iterator(chunk_size=500):
            for page in entry_pages(entry, tree):
                changed += writer.write_page(root, page)
        return changed


def refresh_unit(unit_id: int, root: Path | None = None) -> list[Path]:
    """After a unit's own data or catalog changed: its guide, catalog, home and column lists."""
    root = Path(root or settings.SITE_DIR)
    with writer.site_lock(root):
        if not writer.is_built(root):
            return []
        unit = selectors.public_units().filter(pk=unit_id).first()
        if unit is None:
            return []
        tree = CategoryTree.load(unit)
        changed: list[Path] = []
        for page in [*unit_pages(unit, tree), *site_pages()]:
            changed += writer.write_page(root, page)
        for cat in tree.by_id.values():
            changed += _refresh_column(root, unit, tree, cat)
        changed += refresh_led(root, unit.pk)
        return changed
