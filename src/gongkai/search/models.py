"""Search documents: one row per indexed piece of a published entry.

Part 0 holds the entry's own public fields; parts 1… hold attachment text in chunks (PostgreSQL keeps word
positions only up to 16,383, and phrases need positions). The id is not a counter but the sort key
(``backends.doc_key``: publication second, entry, part), so "newest first" walks the index backwards. The
text itself lives in the engine's structure, created by the migration for the database in use: an FTS5
table ``search_fts`` (rowid = this id, with a ``facets`` column for the filters) on SQLite, a
``tsv tsvector`` column with a GIN index on PostgreSQL. The filter columns here are kept for inspection and
for ``reindex``; searching uses the index alone.
"""

from __future__ import annotations

from django.db import models

from gongkai.catalog.models import Entry


class SearchDocument(models.Model):
    id = models.BigIntegerField(primary_key=True)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    part = models.PositiveIntegerField(default=0)
    unit_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    genre = models.CharField(max_length=10)
    validity = models.CharField(max_length=10)
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        constraints = [models.UniqueConstraint(fields=["entry", "part"], name="unique_search_part")]

    def __str__(self) -> str:
        return f"{self.entry_id}#{self.part}"
