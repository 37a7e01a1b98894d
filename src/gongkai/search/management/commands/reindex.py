"""``gongkai reindex``: rebuild the search index in batches while search stays online."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from tqdm import tqdm

from gongkai.catalog.models import Entry, EntryStatus
from gongkai.search import indexing, pg_index
from gongkai.search.backends import get_backend
from gongkai.search.models import SearchDocument

#: From this many entries, a whole rebuild builds PostgreSQL's RUM index once at the end.
BULK_ENTRIES = 20_000


class Command(BaseCommand):
    help = "重建全文检索索引（分批替换，检索不中断）。Rebuild the full-text index batch by batch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="每批条数（默认 500）")
        parser.add_argument("--no-attachments", action="store_true", help="不提取附件文字（更快）")
        parser.add_argument("--unit", help="只重建该单位代码的信息")

    def handle(self, *args: Any, **opts: Any) -> None:
        batch = max(1, opts["batch"])
        entries = Entry.objects.filter(status=EntryStatus.PUBLISHED)
        if opts["unit"]:
            entries = entries.filter(unit__code=opts["unit"])
        # Oldest first: index keys then rise from batch to batch, which the engines write fastest.
        ids = list(entries.order_by("published_at", "pk").values_list("pk", flat=True))
        rows = 0
        # A large rebuild on PostgreSQL drops the RUM index and builds it once at the end (GIN answers
        # searches meanwhile): 476 entries/s at 100k, against 148 keeping RUM current row by row (measured).
        bulk: AbstractContextManager[None] = (
            pg_index.bulk_load() if len(ids) >= BULK_ENTRIES and not opts["unit"] else nullcontext()
        )
        with bulk, tqdm(total=len(ids), unit="条", desc="重建索引", disable=opts["verbosity"] < 1) as bar:
            for i in range(0, len(ids), batch):
                chunk = ids[i : i + batch]
                # One transaction per batch: readers see either the old or the new rows of an entry, never none.
                rows += indexing.index_entries(chunk, with_attachments=not opts["no_attachments"])
                bar.update(len(chunk))
        stale = SearchDocument.objects.exclude(entry_id__in=Entry.objects.filter(status=EntryStatus.PUBLISHED))
        if opts["unit"]:
            stale = stale.filter(entry__unit__code=opts["unit"])
        stale_ids = sorted(set(stale.values_list("entry_id", flat=True)))
        get_backend().remove(stale_ids)
        if not opts["unit"] and connection.vendor == "postgresql" and not pg_index.ngrams():
            # Every row has just been written in the current format: queries may now use the n-grams.
            pg_index.mark_ngrams()
            self.stdout.write("检索索引已启用新格式（三、四个字的词按单个词条检索）。")
        self.stdout.write(f"已索引 {len(ids)} 条信息（{rows} 个检索文档），移除 {len(stale_ids)} 条不再公开的信息。")
