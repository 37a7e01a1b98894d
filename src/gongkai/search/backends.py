"""Two engines behind one interface, chosen by the database: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both receive the same tokens (``tokenizer.tokens``) and answer the same phrase queries. A multi-term query
is the intersection of per-term matches at the entry level, so one term in the title and another in an
attachment still find the entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from .models import SearchDocument
from .tokenizer import Phrase

#: Gap between fields and chunk boundaries: a token the tokenizer never produces, so no phrase spans it.
GAP = "§"
#: Body tokens per document part (PostgreSQL keeps positions up to 16,383) and the overlap between parts,
#: longer than any accepted query, so a phrase on a chunk boundary is still found.
CHUNK_TOKENS = 15_000
CHUNK_OVERLAP = 400


@dataclass
class DocumentText:
    """What one entry contributes to the index: weighted token lists."""

    entry_id: int
    unit_id: int
    category_id: int
    year: int
    genre: str
    validity: str
    published_at: datetime
    title: list[str]
    meta: list[str]
    body: list[str]  # summary, body, then attachment text, joined with GAP tokens

    def parts(self) -> list[tuple[int, list[str], list[str], list[str]]]:
        """(part, title, meta, body chunk). Part 0 carries the title and meta; every part is short enough
        for PostgreSQL's positions."""
        chunks: list[list[str]] = []
        step = CHUNK_TOKENS - CHUNK_OVERLAP
        start = 0
        while True:
            chunks.append(self.body[start : start + CHUNK_TOKENS])
            if start + CHUNK_TOKENS >= len(self.body):
                break
            start += step
        return [(n, self.title if n == 0 else [], self.meta if n == 0 else [], c) for n, c in enumerate(chunks)]


@dataclass
class Filters:
    unit_ids: Sequence[int] | None = None
    category_ids: Sequence[int] | None = None
    year: int | None = None
    genre: str | None = None
    validity: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, values in (("unit_id", self.unit_ids), ("category_id", self.category_ids)):
            if values is not None:
                values = list(values) or [-1]
                clauses.append(f"d.{column} IN ({', '.join(['%s'] * len(values))})")
                params.extend(values)
        for column, value in (("year", self.year), ("genre", self.genre), ("validity", self.validity)):
            if value is not None:
                clauses.append(f"d.{column} = %s")
                params.append(value)
        return "".join(f" AND {c}" for c in clauses), params


@dataclass
class Hits:
    total: int
    entry_ids: list[int] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)


class Backend:
    vendor = ""

    # --- writing -------------------------------------------------------------------------------------
    def replace(self, docs: Iterable[DocumentText]) -> int:
        """Replace the index rows of these entries (one transaction). Returns rows written."""
        docs = list(docs)
        written = 0
        with transaction.atomic():
            self.remove([d.entry_id for d in docs])
            rows: list[SearchDocument] = []
            texts: list[tuple[list[str], list[str], list[str]]] = []
            for doc in docs:
                for part, title, meta, body in doc.parts():
                    rows.append(
                        SearchDocument(
                            entry_id=doc.entry_id,
                            part=part,
                            unit_id=doc.unit_id,
                            category_id=doc.category_id,
                            year=doc.year,
                            genre=doc.genre,
                            validity=doc.validity,
                            published_at=doc.published_at,
                        )
                    )
                    texts.append((title, meta, body))
            SearchDocument.objects.bulk_create(rows, batch_size=500)
            self._write_text([(r.pk, *t) for r, t in zip(rows, texts, strict=True)])
            written = len(rows)
        return written

    def remove(self, entry_ids: Sequence[int]) -> None:
        if not entry_ids:
            return
        with transaction.atomic():
            ids = list(SearchDocument.objects.filter(entry_id__in=list(entry_ids)).values_list("pk", flat=True))
            self._remove_text(ids)
            SearchDocument.objects.filter(pk__in=ids).delete()

    def clear(self) -> None:
        with transaction.atomic():
            self._remove_text(None)
            SearchDocument.objects.all().delete()

    def _write_text(self, rows: list[tuple[int, list[str], list[str], list[str]]]) -> None:
        raise NotImplementedError

    def _remove_text(self, ids: list[int] | None) -> None:
        raise NotImplementedError

    # --- reading -------------------------------------------------------------------------------------
    def _match(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any]]:
        """SQL selecting ``entry_id`` of entries matching *all* phrases (each somewhere in the entry)."""
        raise NotImplementedError

    def _scored(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any]]:
        """SQL selecting (``entry_id``, ``score``) of documents matching any phrase; higher is better."""
        raise NotImplementedError

    def search(
        self, phrases: Sequence[Phrase], filters: Filters, *, order: str = "newest", offset: int = 0, limit: int = 20
    ) -> Hits:
        where, fparams = filters.sql()
        base = "FROM search_searchdocument d WHERE d.part = 0"
        params: list[Any] = []
        if phrases:
            match_sql, match_params = self._match(phrases)
            base += f" AND d.entry_id IN ({match_sql})"
            params += match_params
        base += where
        params += fparams
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) {base}", params)
            total = int(cur.fetchone()[0])
            if total == 0 or offset >= total:
                return Hits(total)
            if order == "relevance" and phrases:
                scored_sql, scored_params = self._scored(phrases)
                cur.execute(
                    f"SELECT d.entry_id, s.score FROM search_searchdocument d JOIN ("
                    f"SELECT entry_id, MAX(score) AS score FROM ({scored_sql}) x GROUP BY entry_id) s "
                    f"ON s.entry_id = d.entry_id WHERE d.part = 0 AND d.entry_id IN ({match_sql}){where} "
                    "ORDER BY s.score DESC, d.published_at DESC, d.entry_id DESC LIMIT %s OFFSET %s",
                    [*scored_params, *match_params, *fparams, limit, offset],
                )
                rows = cur.fetchall()
                return Hits(total, [r[0] for r in rows], {r[0]: float(r[1]) for r in rows})
            cur.execute(
                f"SELECT d.entry_id {base} ORDER BY d.published_at DESC, d.entry_id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return Hits(total, [r[0] for r in cur.fetchall()])


def _fts5_phrase(p: Phrase) -> str:
    return '"' + " ".join(p.tokens) + '"' + ("*" if p.prefix else "")


class SQLiteBackend(Backend):
    vendor = "sqlite"

    def _write_text(self, rows: list[tuple[int, list[str], list[str], list[str]]]) -> None:
        with connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO search_fts(rowid, title, meta, body) VALUES (%s, %s, %s, %s)",
                [(pk, " ".join(t), " ".join(m), " ".join(b)) for pk, t, m, b in rows],
            )

    def _remove_text(self, ids: list[int] | None) -> None:
        with connection.cursor() as cur:
            if ids is None:
                cur.execute("DELETE FROM search_fts")
                return
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                cur.execute(f"DELETE FROM search_fts WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)

    def _match(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any]]:
        one = (
            "SELECT m.entry_id FROM search_searchdocument m WHERE m.id IN "
            "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
        )
        return " INTERSECT ".join([one] * len(phrases)), [_fts5_phrase(p) for p in phrases]

    def _scored(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any]]:
        # `rank` is bm25 with the column weights set by the migration (bm25() itself cannot sit in a subquery).
        return (
            "SELECT m.entry_id AS entry_id, -f.score AS score FROM search_searchdocument m JOIN "
            "(SELECT rowid, rank AS score FROM search_fts WHERE search_fts MATCH %s) f ON f.rowid = m.id",
            [" OR ".join(_fts5_phrase(p) for p in phrases)],
        )


def _ts_phrase(p: Phrase) -> str:
    parts = [f"'{t}'" for t in p.tokens]
    if p.prefix:
        parts[-1] += ":*"
    return "(" + " <-> ".join(parts) + ")"


def tsvector_literal(title: list[str], meta: list[str], body: list[str], body_weight: str = "C") -> str:
    """A ``tsvector`` built from our tokens directly (no PostgreSQL parser or dictionary involved)."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for tokens, weight in ((title, "A"), (meta, "B"), (body, body_weight)):
        pos += 1  # a gap between fields: no phrase crosses them
        for tok in tokens:
            pos += 1
            if tok == GAP:
                continue
            positions.setdefault(tok, []).append(f"{min(pos, 16383)}{weight}")
    return " ".join(f"'{tok}':{','.join(p[:256])}" for tok, p in positions.items())


class PostgresBackend(Backend):
    vendor = "postgresql"

    def _write_text(self, rows: list[tuple[int, list[str], list[str], list[str]]]) -> None:
        with connection.cursor() as cur:
            cur.executemany(
                "UPDATE search_searchdocument SET tsv = %s::tsvector WHERE id = %s",
                [(tsvector_literal(t, m, b), pk) for pk, t, m, b in rows],
            )

    def _remove_text(self, ids: list[int] | None) -> None:
        return  # the vector lives on the document row itself

    def _match(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any]]:
        one = "SELECT m.entry_id FROM search_searchdocument m WHERE m.tsv @@ %s::tsquery"
        return " INTERSECT ".join([one] * len(phrases)), [_ts_phrase(p) for p in phrases]

    def _scored(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any]]:
        q = " | ".join(_ts_phrase(p) for p in phrases)
        return (
            "SELECT m.entry_id AS entry_id, ts_rank(m.tsv, %s::tsquery) AS score FROM search_searchdocument m "
            "WHERE m.tsv @@ %s::tsquery",
            [q, q],
        )


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise RuntimeError(f"全文检索不支持该数据库：{connection.vendor}")
