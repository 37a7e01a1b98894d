"""The PostgreSQL search vectors are always in a GIN index, and also in a RUM index when the ``rum``
extension is there (a separate package, ``postgresql-NN-rum``).

GIN knows which rows hold a word: words and filters are answered from its bitmap alone, but a phrase must be
confirmed on each candidate row, reading its whole vector from TOAST. Since 3- and 4-character pieces of CJK
runs are lexemes too (``backends.NGRAM_MAX``; marked on the column, ``ngrams``), only query words of five or
more characters and mixed terms like ``2025年`` are phrases. RUM also keeps the positions, so it confirms
phrases in the index, and it can return rows in relevance order. Measured on 100,000 entries before the
n-grams: counting 10,000 matches of a 4-character phrase of bigrams took ~170 ms through GIN and 11–16 ms
through RUM; relevance order for a 2-character word 237 ms (``ts_rank`` over every match) and 22–33 ms. The
backend picks the index per query (``backends``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection
from django.db import transaction

TABLE = "search_searchdocument"
RUM, GIN = "search_doc_rum", "search_doc_tsv"
#: The RUM index is partial on this always-true condition, so the planner uses it exactly for the queries
#: that carry the condition (the backend adds it when it wants RUM) and GIN for all others. Without it the
#: planner may pick RUM's bitmap, which confirms phrases row by row like GIN, only slower.
RUM_PREDICATE = "id >= 0"

#: The column comment that says every row's vector holds the n-gram lexemes (``backends.NGRAM_MAX``).
#: Written by migration ``0004`` on an empty index, by ``clear`` and at the end of a whole ``reindex``; until
#: then queries use bigram phrases, which older vectors answer the same, only slower.
NGRAM_MARK = "gongkai:ngrams-2-4"
#: How long a process trusts what it looked up (another process may switch the index or finish a reindex).
CACHE_SECONDS = 60.0

#: (alias, name, what) -> (value, when looked up).
_known: dict[tuple[str, str, str], tuple[object, float]] = {}


def _lookup(conn: Any, what: str, sql: str, params: list[Any]) -> Any:
    conn = conn or default_connection
    key = (conn.alias, str(conn.settings_dict.get("NAME")), what)
    hit = _known.get(key)
    if hit is None or time.monotonic() - hit[1] > CACHE_SECONDS:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            row = cur.fetchone()
        hit = _known[key] = (row[0] if row else None, time.monotonic())
    return hit[0]


def kind(conn: Any = None) -> str:
    """ "rum" when this database has the RUM index (next to GIN), else "gin"."""
    sql = "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s"
    return "rum" if _lookup(conn, "kind", sql, [TABLE, RUM]) else "gin"


def ngrams(conn: Any = None) -> bool:
    """Every vector holds the n-gram lexemes, so queries may use them."""
    sql = "SELECT col_description(attrelid, attnum) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'tsv'"
    return _lookup(conn, "ngrams", sql, [TABLE]) == NGRAM_MARK


def mark_ngrams(conn: Any = None, on: bool = True) -> None:
    """Record that every row's vector holds the n-grams (``on=False``: that some may not)."""
    conn = conn or default_connection
    with conn.cursor() as cur:
        mark = f"'{NGRAM_MARK}'" if on else "NULL"
        cur.execute(f"COMMENT ON COLUMN {TABLE}.tsv IS {mark}")
    forget()


def forget() -> None:
    _known.clear()


def rum_available(conn: Any) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cur.fetchone() is not None


def use_best(conn: Any, *, verbose: bool = False) -> str:
    """Add the RUM index when the extension can be had (GIN stays). Returns the kind."""
    if rum_available(conn):
        try:
            with transaction.atomic(using=conn.alias), conn.cursor() as cur:
                cur.execute("CREATE EXTENSION IF NOT EXISTS rum")
        except Exception as exc:  # no privilege to create it: keep GIN, say why
            if verbose:
                print(f"\n  检索索引：无法启用 rum 扩展（{exc}），继续使用 GIN 索引", file=sys.stderr)
            return use_gin(conn)
        with conn.cursor() as cur:
            cur.execute(f"CREATE INDEX IF NOT EXISTS {GIN} ON {TABLE} USING GIN (tsv)")
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {RUM} ON {TABLE} USING rum (tsv rum_tsvector_ops) WHERE {RUM_PREDICATE}"
            )
        forget()
        return "rum"
    if verbose:
        print(
            "\n  检索索引：PostgreSQL 没有 rum 扩展（Debian 软件包 postgresql-NN-rum），继续使用 GIN 索引；"
            "三个字以上的词检索会慢一些。安装后运行 gongkai searchindex --rum 切换。",
            file=sys.stderr,
        )
    return use_gin(conn)


def use_gin(conn: Any) -> str:
    """GIN alone (drops the RUM index)."""
    with conn.cursor() as cur:
        cur.execute(f"CREATE INDEX IF NOT EXISTS {GIN} ON {TABLE} USING GIN (tsv)")
        cur.execute(f"DROP INDEX IF EXISTS {RUM}")
    forget()
    return "gin"


@contextmanager
def bulk_load(conn: Any = None) -> Iterator[None]:
    """Around writing a great many rows (``reindex``): RUM is dropped and built once at the end, which is
    several times faster than keeping it up to date row by row. GIN answers searches meanwhile."""
    conn = conn or default_connection
    rebuild = conn.vendor == "postgresql" and kind(conn) == "rum"
    if rebuild:
        use_gin(conn)
    try:
        yield
    finally:
        if rebuild:
            use_best(conn, verbose=True)
