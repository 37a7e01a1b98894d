"""Two engines behind one interface, chosen by the database: SQLite FTS5 and PostgreSQL tsvector with a
GIN index, plus a RUM index when the extension is there (``pg_index``; chosen per query, ``_index_for``).

Both receive the same tokens (``tokenizer.tokens``) and answer the same phrase queries.

How a query stays fast on a million entries:

* **The row key is the sort order.** A search document's id is ``doc_key(published_at, entry, part)``:
  seconds since 1990 in the high bits, then the entry, then the part. "Newest first" is "highest id first",
  which FTS5 walks backwards along its own rowids and PostgreSQL along its primary key, stopping after one
  page: a word found in half the corpus costs no more than a rare one.
* **Filters live in the index.** Unit, category, year, genre and validity are index terms of every row
  (a ``facets`` column on SQLite, lexemes starting with ``_`` on PostgreSQL, which a user's query can never
  produce), so a filtered query and its count are one index intersection, not a join.
* **One row answers for almost every entry.** An entry whose text fits one part (``CHUNK_TOKENS``) has one
  row, marked ``h``. Long attachments are cut into several parts (PostgreSQL keeps word positions only up
  to 16,383), and those rows are marked ``mp``. A query is answered for single-row entries with one
  expression (all terms in the row, ``NOT mp``), and for the few multi-part entries term by term at the
  entry level, so terms in the title and in different attachment parts still meet. The two sets are
  disjoint and merged in key order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.db import connection, transaction

from . import pg_index
from .models import SearchDocument
from .tokenizer import Phrase, is_cjk_pair

#: Gap between fields and chunk boundaries: a token the tokenizer never produces, so no phrase spans it.
GAP = "§"
#: Body tokens per document part (PostgreSQL keeps positions up to 16,383) and the overlap between parts,
#: longer than any accepted query, so a phrase on a chunk boundary is still found.
CHUNK_TOKENS = 15_000
CHUNK_OVERLAP = 400
#: Parts per entry (the key keeps 8 bits for the part): about 3.7 million tokens of text per entry.
MAX_PARTS = 256

KEY_EPOCH = datetime(1990, 1, 1, tzinfo=UTC)
#: PostgreSQL with RUM: a phrase whose words occur together in at most this many rows is confirmed row by
#: row through GIN (~15 µs a row); up to ``RUM_CANDIDATE_LIMIT`` rows, RUM confirms it in the index. Past
#: that, GIN again: RUM reads every posting of the words whatever the LIMIT (55 ms just to count 10,000 rows
#: of a word in 60% of 100,000 entries, measured), while GIN's row checks stop at the count limit.
PHRASE_RECHECK_LIMIT = 2_000
RUM_CANDIDATE_LIMIT = 30_000
#: Index marks of a row: the entry's first part, and a row of an entry with several parts.
HEAD, MULTI = "h", "mp"
#: How each filter is spelt as an index term (``u12``: unit 12). Indexing and querying both go through
#: ``facet``, so the two spellings cannot drift apart.
FACET_PREFIXES = {"unit": "u", "category": "c", "year": "y", "genre": "g", "validity": "v"}


def facet(name: str, value: object) -> str:
    return f"{FACET_PREFIXES[name]}{value}"


def doc_key(published_at: datetime, entry_id: int, part: int) -> int:
    """The id of a search document: (seconds since 1990: 31 bits, entry: 24 bits, part: 8 bits).

    Ordering by it is ordering by publication time (to the second), then entry, then part. Two entries can
    only collide if they were published in the same second and their ids differ by a multiple of 2^24."""
    seconds = min(max(int((published_at - KEY_EPOCH).total_seconds()), 0), 2**31 - 1)
    return (seconds << 32) | ((entry_id & 0xFFFFFF) << 8) | (part & 0xFF)


def entry_key(key: int) -> int:
    """The key shared by all parts of one entry (part 0's id is ``entry_key << 8``)."""
    return key >> 8


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
        for PostgreSQL's positions. Text beyond ``MAX_PARTS`` parts is not indexed."""
        chunks: list[list[str]] = []
        step = CHUNK_TOKENS - CHUNK_OVERLAP
        start = 0
        while len(chunks) < MAX_PARTS:
            chunks.append(self.body[start : start + CHUNK_TOKENS])
            if start + CHUNK_TOKENS >= len(self.body):
                break
            start += step
        return [(n, self.title if n == 0 else [], self.meta if n == 0 else [], c) for n, c in enumerate(chunks)]

    def facets(self, part: int, multipart: bool) -> list[str]:
        marks = [
            facet("unit", self.unit_id),
            facet("category", self.category_id),
            facet("year", self.year),
            facet("genre", self.genre),
            facet("validity", self.validity),
        ]
        if part == 0:
            marks.append(HEAD)
        if multipart:
            marks.append(MULTI)
        return marks


@dataclass
class Filters:
    unit_ids: Sequence[int] | None = None
    category_ids: Sequence[int] | None = None
    year: int | None = None
    genre: str | None = None
    validity: str | None = None

    def groups(self) -> list[list[str]]:
        """Facet terms: every group must hold, one term of a group suffices. An empty list matches nothing."""
        chosen: list[tuple[str, Sequence[object] | None]] = [
            ("unit", self.unit_ids),
            ("category", self.category_ids),
            ("year", None if self.year is None else [self.year]),
            ("genre", None if self.genre is None else [self.genre]),
            ("validity", None if self.validity is None else [self.validity]),
        ]
        return [[facet(name, v) for v in values] for name, values in chosen if values is not None]


@dataclass
class Hits:
    total: int
    entry_ids: list[int] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)
    #: True when more entries match than were counted: ``total`` is then the number that can be paged
    #: through (the newest ``count_limit`` of them), a lower bound of the matches.
    capped: bool = False


Row = tuple[int, list[str], list[str], list[str], list[str]]  # key, title, meta, body, facets


def has_phrase(phrases: Sequence[Phrase]) -> bool:
    """Some phrase has words at consecutive positions (more than one token), not a single word."""
    return any(len(p.tokens) > 1 for p in phrases)


class Cond(NamedTuple):
    """A WHERE condition, its parameters, and (PostgreSQL) via which text index it should be answered."""

    sql: str
    params: list[Any]
    via: str = ""
    phrase: bool = False  # holds a phrase (words at consecutive positions), not words alone


class Backend:
    vendor = ""

    # --- writing -------------------------------------------------------------------------------------
    def replace(self, docs: Iterable[DocumentText]) -> int:
        """Replace the index rows of these entries (one transaction). Returns rows written."""
        docs = list(docs)
        # Splitting a long attachment's tokens into parts is CPU work: done before the transaction, which
        # on SQLite holds the database's only write lock.
        rows: list[SearchDocument] = []
        texts: list[Row] = []
        for doc in docs:
            parts = doc.parts()
            for part, title, meta, body in parts:
                key = doc_key(doc.published_at, doc.entry_id, part)
                rows.append(
                    SearchDocument(
                        id=key,
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
                texts.append((key, title, meta, body, doc.facets(part, len(parts) > 1)))
        with transaction.atomic():
            self.remove([d.entry_id for d in docs])
            self._store(rows, texts)
        return len(rows)

    def _store(self, rows: list[SearchDocument], texts: list[Row]) -> None:
        SearchDocument.objects.bulk_create(rows, batch_size=500)
        # In key order: FTS5 flushes its pending terms whenever a rowid is not above the previous one.
        self._write_text(sorted(texts, key=lambda t: t[0]))

    def remove(self, entry_ids: Sequence[int]) -> None:
        if not entry_ids:
            return
        with transaction.atomic():
            ids: list[int] = []
            wanted = list(entry_ids)
            for i in range(0, len(wanted), 500):
                ids += SearchDocument.objects.filter(entry_id__in=wanted[i : i + 500]).values_list("pk", flat=True)
            self._remove_text(ids)
            for i in range(0, len(ids), 500):
                SearchDocument.objects.filter(pk__in=ids[i : i + 500]).delete()

    def clear(self) -> None:
        with transaction.atomic():
            self._remove_text(None)
            SearchDocument.objects.all().delete()

    def _write_text(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def _remove_text(self, ids: list[int] | None) -> None:
        raise NotImplementedError

    # --- the engine's query language -----------------------------------------------------------------
    #: Where the index is, its key column, the condition selecting by an expression, the AND / OR words.
    table = ""
    key = ""
    match = ""
    and_, or_ = " AND ", " OR "

    def _phrase(self, p: Phrase) -> str:
        raise NotImplementedError

    def _expr(self, text: str | None, groups: list[list[str]], *, head: bool, multi: bool | None) -> str:
        """An expression: the text expression, every facet group, optionally head rows only, only
        (``multi=True``) or never (``False``) rows of multi-part entries."""
        raise NotImplementedError

    def _has_phrase(self, phrases: Sequence[Phrase]) -> bool:
        """Some phrase needs words at consecutive positions, as this index spells it."""
        return has_phrase(phrases)

    def _query(
        self, phrases: Sequence[Phrase], groups: list[list[str]], *, head: bool = False, multi: bool | None = None
    ) -> Cond:
        """All phrases in one row, plus what ``_expr`` adds."""
        text = self.and_.join(self._phrase(p) for p in phrases) or None
        expr = self._expr(text, groups, head=head, multi=multi)
        return Cond(self.match, [expr], phrase=self._has_phrase(phrases))

    def _query_any(self, phrases: Sequence[Phrase], groups: list[list[str]]) -> Cond:
        """Rows of multi-part entries holding any of the phrases (for their relevance score)."""
        text = self.or_.join(self._phrase(p) for p in phrases)
        expr = self._expr(text, groups, head=False, multi=True)
        return Cond(self.match, [expr], phrase=self._has_phrase(phrases))

    def _via(self, cond: Cond, index: str) -> Cond:
        """The condition, to be answered through this index (PostgreSQL; SQLite has one)."""
        return cond

    def _run(
        self, sql: str, params: list[Any], via: str = "", *, deep: bool = False, walk: bool = False
    ) -> list[tuple[Any, ...]]:
        """Run a query; ``deep``: it reads thousands of word matches in key order (a capped count's floor);
        ``walk``: matches are known to be dense, so walking the key order finds a page soonest."""
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())

    def _keys(self, cond: Cond, limit: int | None, *, dense: bool = False) -> list[int]:
        """Row keys matching, highest first. ``dense``: more rows match than the count limit."""
        sql = f"SELECT {self.key} FROM {self.table} WHERE {cond.sql} ORDER BY {self.key} DESC"
        if limit is None:
            return [r[0] for r in self._run(sql, cond.params, cond.via)]
        # A phrase found in more rows than the count limit: the newest page lies close to the top of the key
        # order, while confirming every candidate first and sorting (the planner's choice when it misjudges
        # how many rows hold the phrase) read 150,000 vectors for one page at 1M entries (2.7 s, measured).
        walk = dense and cond.phrase and cond.via != "rum"
        return [r[0] for r in self._run(sql + " LIMIT %s", [*cond.params, limit], cond.via, walk=walk)]

    def _count(self, cond: Cond, stop: int) -> int:
        """Matching rows, counted up to ``stop`` (no order: each engine counts the cheapest way)."""
        sql = f"SELECT COUNT(*) FROM (SELECT {self.key} FROM {self.table} WHERE {cond.sql} LIMIT %s) s"
        return int(self._run(sql, [*cond.params, stop], cond.via)[0][0])

    def _nth_key(self, cond: Cond, n: int) -> int | None:
        """The key of the (n+1)-th newest matching row, or None when there are no more than n."""
        sql = f"SELECT {self.key} FROM {self.table} WHERE {cond.sql} ORDER BY {self.key} DESC LIMIT 1 OFFSET %s"
        rows = self._run(sql, [*cond.params, n], cond.via, deep=not cond.phrase)
        return int(rows[0][0]) if rows else None

    def _score(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any], str, Callable[[float], float], str]:
        """(SQL score expression, its params, ORDER BY for best first, turning its value into a score where
        higher is better, the index that should answer)."""
        raise NotImplementedError

    def _ranked(
        self, cond: Cond, phrases: Sequence[Phrase], limit: int | None, floor: int | None = None
    ) -> list[tuple[int, float]]:
        """(row key, score) matching with a key above ``floor``, best first (higher score is better)."""
        expr, params, order, to_score, index = self._score(phrases)
        cond = self._via(cond, index)
        where = cond.sql + (f" AND {self.key} > %s" if floor is not None else "")
        params = [*params, *cond.params, *([floor] if floor is not None else [])]
        sql = f"SELECT {self.key}, {expr} FROM {self.table} WHERE {where} ORDER BY {order}"
        rows = (
            self._run(sql, params, cond.via)
            if limit is None
            else self._run(sql + " LIMIT %s", [*params, limit], cond.via)
        )
        return [(r[0], to_score(float(r[1]))) for r in rows]

    # --- reading -------------------------------------------------------------------------------------
    def _multipart_entries(self, phrases: Sequence[Phrase], groups: list[list[str]]) -> set[int]:
        """Entry keys of multi-part entries holding every phrase somewhere in any of their parts."""
        found: set[int] | None = None
        for p in phrases:
            keys = {entry_key(k) for k in self._keys(self._query([p], groups, multi=True), None)}
            found = keys if found is None else found & keys
            if not found:
                return set()
        return found or set()

    def search(
        self,
        phrases: Sequence[Phrase],
        filters: Filters,
        *,
        order: str = "newest",
        offset: int = 0,
        limit: int = 20,
        count_limit: int = 10_000,
    ) -> Hits:
        """One page of matching entries and their count.

        Matches are counted exactly up to ``count_limit``; past it, only the newest ``count_limit`` can be
        paged through and relevance ranks among them (above the key of the next match, the "floor"), so
        neither the count nor the ranking reads every match of a word found in half a province's documents."""
        groups = filters.groups()
        if any(not g for g in groups):
            return Hits(0)
        need = offset + limit
        if not phrases:
            single = self._query([], groups, head=True)
            multi: set[int] = set()
        else:
            single = self._query(phrases, groups, multi=False)
            multi = self._multipart_entries(phrases, groups)
        counted = self._count(single, count_limit + 1)
        capped = counted > count_limit
        total = min(counted, count_limit) + len(multi)
        if total == 0 or offset >= total:
            return Hits(total, capped=capped)
        need = min(need, total)  # past a capped count lie matches that were not counted
        scores: dict[int, float] = {}
        if order == "relevance" and phrases:
            floor = self._nth_key(single, count_limit) if capped else None
            ranked = [(entry_key(k), s) for k, s in self._ranked(single, phrases, need, floor)]
            if multi:
                best: dict[int, float] = {}
                for k, s in self._ranked(self._query_any(phrases, groups), phrases, None):
                    ek = entry_key(k)
                    if ek in multi:
                        best[ek] = max(s, best.get(ek, s))
                ranked += [(ek, best.get(ek, 0.0)) for ek in multi]
            ranked.sort(key=lambda r: (r[1], r[0]), reverse=True)
            page = ranked[offset:need]
            scores = dict(page)
            keys = [k for k, _ in page]
        else:
            keys = sorted({entry_key(k) for k in self._keys(single, need, dense=capped)} | multi, reverse=True)
            keys = keys[offset:need]
        ids = self._entry_ids([k << 8 for k in keys])  # part 0's key names the entry
        found = {k: ids[k << 8] for k in keys if (k << 8) in ids}
        return Hits(
            total,
            [found[k] for k in keys if k in found],
            {found[k]: s for k, s in scores.items() if k in found},
            capped,
        )

    @staticmethod
    def _entry_ids(head_keys: list[int]) -> dict[int, int]:
        if not head_keys:
            return {}
        return dict(SearchDocument.objects.filter(pk__in=head_keys).values_list("pk", "entry_id"))


# --- SQLite FTS5 -------------------------------------------------------------------------------------
TEXT_COLUMNS = "{title meta body}"


def _fts5_phrase(p: Phrase) -> str:
    return '"' + " ".join(p.tokens) + '"' + ("*" if p.prefix else "")


def _fts5_term(t: str) -> str:
    return '"' + t.replace('"', '""') + '"'


class SQLiteBackend(Backend):
    vendor = "sqlite"
    table, key, match = "search_fts", "rowid", "search_fts MATCH %s"

    def _phrase(self, p: Phrase) -> str:
        return _fts5_phrase(p)

    def _write_text(self, rows: list[Row]) -> None:
        with connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO search_fts(rowid, title, meta, body, facets) VALUES (%s, %s, %s, %s, %s)",
                [(k, " ".join(t), " ".join(m), " ".join(b), " ".join(f)) for k, t, m, b, f in rows],
            )

    def _remove_text(self, ids: list[int] | None) -> None:
        with connection.cursor() as cur:
            if ids is None:
                cur.execute("DELETE FROM search_fts")
                return
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                cur.execute(f"DELETE FROM search_fts WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)

    def _expr(self, text: str | None, groups: list[list[str]], *, head: bool, multi: bool | None) -> str:
        facets = [HEAD] if head else []
        facets += ["(" + " OR ".join(_fts5_term(t) for t in g) + ")" for g in groups]
        if multi:
            facets.append(MULTI)
        parts = [f"{TEXT_COLUMNS} : ({text})"] if text else []
        if facets:
            parts.append("facets : (" + " AND ".join(facets) + ")")
        expr = " AND ".join(parts)
        if multi is False:
            expr = f"({expr}) NOT facets : {MULTI}"
        return expr

    def _score(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any], str, Callable[[float], float], str]:
        # `rank` is bm25 with the column weights set by the migration (facets weigh nothing); lower is better.
        return "rank", [], "rank, rowid DESC", lambda rank: -rank, ""


# --- PostgreSQL tsvector + GIN (+ RUM) -------------------------------------------------------------
def _ts_lexeme(t: str) -> str:
    return "'" + t.replace("\\", "\\\\").replace("'", "''") + "'"


#: On PostgreSQL every 3- and 4-character piece of a CJK run is a lexeme too, at the position of the bigram
#: it starts with (``人居环境`` → ``人居 居环 环境 境`` plus ``人居环 居环境 人居环境``). A query word of 2–4
#: characters is then one lexeme, answered exactly from GIN's bitmap like any word, instead of a phrase of
#: bigrams confirmed row by row; a longer word is a phrase of 4-grams, far rarer than its bigrams.
NGRAM_MAX = 4


def ngram_terms(p: Phrase) -> list[tuple[str, int]]:
    """(lexeme, offset) that a phrase becomes on an index with n-grams: each run of bigrams as the fewest
    pieces of at most ``NGRAM_MAX`` characters that cover it, at the offsets of their first bigrams
    (``政府信息公开`` → ``政府信息`` at 0, ``信息公开`` at 2); other tokens as they are.

    Consecutive pieces share at least one character. A piece at a position means its run goes on there, so
    overlapping pieces are in one run. Pieces merely side by side are not: the next run starts at the position
    after a run's last character, so ``危房改造`` <4> ``人居环境`` would also match ``危房改造。人居环境``."""
    toks, out, i = p.tokens, [], 0
    step = NGRAM_MAX - 1
    while i < len(toks):
        j = i + 1
        while j < len(toks) and is_cjk_pair(toks[j]) and is_cjk_pair(toks[j - 1]) and toks[j][0] == toks[j - 1][1]:
            j += 1
        if not is_cjk_pair(toks[i]) or j == i + 1:
            out.append((toks[i], i))  # a word, a single character, a lone bigram
        else:
            run = toks[i] + "".join(t[1] for t in toks[i + 1 : j])
            starts = list(range(0, max(len(run) - step, 1), step))
            if starts[-1] + NGRAM_MAX < len(run):
                starts.append(len(run) - NGRAM_MAX)
            out += [(run[s : s + NGRAM_MAX], i + s) for s in starts]
        i = j
    return out


def _ts_phrase(p: Phrase, *, ngrams: bool, adjacent: bool = True) -> str:
    """The phrase as a tsquery: its lexemes at their distances (``<->``, ``<2>``…), or with
    ``adjacent=False`` in any order and place (what GIN can answer without reading a row)."""
    terms = ngram_terms(p) if ngrams else [(t, n) for n, t in enumerate(p.tokens)]
    parts = [_ts_lexeme(t) for t, _ in terms]
    if p.prefix:
        parts[-1] += ":*"
    if not adjacent:
        return "(" + " & ".join(parts) + ")"
    query = parts[0]
    for (_, before), (_, at), part in zip(terms, terms[1:], parts[1:], strict=False):
        query += (" <-> " if at - before == 1 else f" <{at - before}> ") + part
    return "(" + query + ")"


def tsvector_literal(
    title: list[str],
    meta: list[str],
    body: list[str],
    facets: Sequence[str] = (),
    body_weight: str = "C",
    *,
    ngrams: bool = True,
) -> str:
    """A ``tsvector`` built from our tokens directly (no PostgreSQL parser or dictionary involved), with the
    n-grams of ``NGRAM_MAX`` at their bigrams' positions. Facets become lexemes ``_u12``, ``_h``…: the
    underscore never appears in a token of a user's query."""
    positions: defaultdict[str, list[str]] = defaultdict(list)
    pos = 0
    for tokens, weight in ((title, "A"), (meta, "B"), (body, body_weight)):
        pos += 1  # a gap between fields: no phrase crosses them
        # The n-grams (NGRAM_MAX = 4) end at the current bigram and start one or two positions back: found
        # in one pass from the last two bigrams of the current run (a 2-character token continuing the
        # previous bigram is in the same run: tokens() ends every run with its single last character).
        back1 = back2 = ""  # the previous bigram of this run and the one before it ("" if none)
        at1 = at2 = ""
        for tok in tokens:
            pos += 1
            at = f"{min(pos, 16383)}{weight}"
            positions[tok].append(at)
            if not ngrams:
                continue
            if len(tok) == 2 and back1 and back1[1] == tok[0]:
                positions[back1[0] + tok].append(at1)
                if back2:
                    positions[back2[0] + back1[0] + tok].append(at2)
                back2, at2, back1, at1 = back1, at1, tok, at
            elif len(tok) == 2 and is_cjk_pair(tok):
                back2, at2, back1, at1 = "", "", tok, at  # a run starts
            else:
                back1 = back2 = ""  # a single character, a word, a gap: the run is over
    positions.pop(GAP, None)
    words = [f"{_ts_lexeme(tok)}:{','.join(p[:256])}" for tok, p in positions.items()]
    return " ".join(words + [_ts_lexeme("_" + f) for f in facets])


class PostgresBackend(Backend):
    vendor = "postgresql"
    table, key, match = "search_searchdocument", "id", "tsv @@ %s::tsquery"
    and_, or_ = " & ", " | "

    @property
    def ngrams(self) -> bool:
        """The index holds the n-gram lexemes (``pg_index.ngrams``); until then phrases stay bigrams."""
        return pg_index.ngrams()

    def _phrase(self, p: Phrase) -> str:
        return _ts_phrase(p, ngrams=self.ngrams)

    def _has_phrase(self, phrases: Sequence[Phrase]) -> bool:
        if not self.ngrams:
            return has_phrase(phrases)
        return any(len(ngram_terms(p)) > 1 for p in phrases)

    def _store(self, rows: list[SearchDocument], texts: list[Row]) -> None:
        # The row and its vector in one INSERT (inserting, then updating the vector, wrote every row twice).
        vectors = {k: tsvector_literal(t, m, b, f) for k, t, m, b, f in texts}
        columns = ("id", "entry_id", "part", "unit_id", "category_id", "year", "genre", "validity", "published_at")
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO search_searchdocument ({', '.join(columns)}, tsv) "
                f"VALUES ({', '.join(['%s'] * len(columns))}, %s::tsvector)",
                [[*(getattr(r, c) for c in columns), vectors[r.id]] for r in sorted(rows, key=lambda r: r.id)],
            )

    def _remove_text(self, ids: list[int] | None) -> None:
        return  # the vector lives on the document row itself

    def clear(self) -> None:
        super().clear()
        pg_index.mark_ngrams()  # every row written from now on has the n-grams

    def _expr(self, text: str | None, groups: list[list[str]], *, head: bool, multi: bool | None) -> str:
        parts = [f"({text})"] if text else []
        if head:
            parts.append(_ts_lexeme("_" + HEAD))
        parts += ["(" + " | ".join(_ts_lexeme("_" + t) for t in g) + ")" for g in groups]
        if multi is True:
            parts.append(_ts_lexeme("_" + MULTI))
        elif multi is False:
            parts.append("!" + _ts_lexeme("_" + MULTI))
        return " & ".join(parts)

    def _query(
        self, phrases: Sequence[Phrase], groups: list[list[str]], *, head: bool = False, multi: bool | None = None
    ) -> Cond:
        cond = super()._query(phrases, groups, head=head, multi=multi)
        return self._via(cond, self._index_for(cond, phrases, groups, multi))

    def _query_any(self, phrases: Sequence[Phrase], groups: list[list[str]]) -> Cond:
        cond = super()._query_any(phrases, groups)
        return self._via(cond, self._index_for(cond, phrases, groups, True))

    def _via(self, cond: Cond, index: str) -> Cond:
        if index == "rum" and cond.via != "rum":
            return Cond(f"{cond.sql} AND {pg_index.RUM_PREDICATE}", cond.params, "rum", cond.phrase)
        return cond if cond.via else cond._replace(via=index)  # a RUM condition stays one (same answers)

    def _index_for(self, cond: Cond, phrases: Sequence[Phrase], groups: list[list[str]], multi: bool | None) -> str:
        """GIN answers words and filters exactly from its bitmap; a phrase it can only confirm row by row,
        reading each candidate's vector. RUM confirms phrases from the positions in the index, but walks
        long posting lists to do it. So: GIN unless a query has a phrase and the rows holding all of its
        words are too many to confirm one by one but not so many that RUM's postings outweigh them (counted
        on GIN's bitmap, which reads no vector)."""
        if pg_index.kind() != "rum" or not cond.phrase:
            return "gin"  # words alone: GIN's bitmap is exact
        words = " & ".join(_ts_phrase(p, ngrams=self.ngrams, adjacent=False) for p in phrases)
        sql = f"SELECT COUNT(*) FROM (SELECT id FROM {self.table} WHERE {self.match} LIMIT %s) s"
        expr = self._expr(words, groups, head=False, multi=multi)
        candidates = self._run(sql, [expr, RUM_CANDIDATE_LIMIT + 1], "gin")[0][0]
        return "rum" if PHRASE_RECHECK_LIMIT < candidates <= RUM_CANDIDATE_LIMIT else "gin"

    def _score(self, phrases: Sequence[Phrase]) -> tuple[str, list[Any], str, Callable[[float], float], str]:
        query = " | ".join(self._phrase(p) for p in phrases)
        if pg_index.kind() == "rum":
            # RUM orders by its distance (1 / rank) straight from the index and reads no vector from a row.
            # Ordered by the distance alone: a second sort key makes PostgreSQL sort every match itself.
            return "tsv <=> %s::tsquery", [query], "2", lambda d: 1.0 / d if d > 0 else 0.0, "rum"
        return "ts_rank(tsv, %s::tsquery)", [query], "2 DESC, id DESC", lambda rank: rank, "gin"

    def _run(
        self, sql: str, params: list[Any], via: str = "", *, deep: bool = False, walk: bool = False
    ) -> list[tuple[Any, ...]]:
        # Every search query goes through a text index, never a scan that reads each row's vector (under
        # LIMIT the planner likes a sequential scan, which decompresses vector after vector). GIN is used
        # through its bitmap: 17 ms instead of 224 ms to count 10,000 of 60,000 rows, measured. RUM through
        # a plain index scan, which confirms phrases from the stored positions (its bitmap would not). Only
        # conditions carrying RUM's predicate (``_via``) can use RUM at all.
        # Both settings every time: inside an enclosing transaction a SET LOCAL outlives this block.
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute(f"SET LOCAL enable_bitmapscan = {'off' if via == 'rum' or walk else 'on'}")
            # Deep in key order, walking the primary key reads the vector of every row it passes (283 ms for
            # the 10,001st newest of 30,000 matches of a word); GIN's bitmap and a sort read none (~10 ms).
            # (A phrase must read vectors either way, and the walk stops sooner than confirming them all; so a
            # page of a phrase known to match densely, ``walk``, is found along the key without the bitmap.)
            cur.execute(f"SET LOCAL enable_indexscan = {'off' if deep and via != 'rum' else 'on'}")
            cur.execute(sql, params)
            return list(cur.fetchall())


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise RuntimeError(f"全文检索不支持该数据库：{connection.vendor}")
