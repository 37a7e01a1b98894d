"""The PostgreSQL search vectors are always in a GIN index, and also in a RUM index when the ``rum``
extension is there (a separate package, ``postgresql-NN-rum``).

GIN knows which rows hold a word: words and filters are answered from its bitmap alone, but a phrase (every
query word of three or more characters is a phrase of bigrams) must be confirmed on each candidate row,
reading its whole vector from TOAST. RUM also keeps the positions, so it confirms phrases in the index, and
it can return rows in relevance order. Measured on 100,000 entries: counting 10,000 matches of a 4-character
word took ~170 ms through GIN and 11–16 ms through RUM; relevance order for a 2-character word 237 ms
(``ts_rank`` over every match) and 22–33 ms. The backend picks the index per query (``backends``).
"""

from __future__ import annotations

import sys
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

#: Index kind per database (alias, name): looked up once per process, reset by ``forget``.
_known: dict[tuple[str, str], str] = {}


def kind(conn: Any = None) -> str:
    """ "rum" when this database has the RUM index (next to GIN), else "gin"."""
    conn = conn or default_connection
    key = (conn.alias, str(conn.settings_dict.get("NAME")))
    if key not in _known:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s", [TABLE, RUM])
            _known[key] = "rum" if cur.fetchone() else "gin"
    return _known[key]


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
