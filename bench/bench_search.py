"""Full-text search at scale: index build rate, query latency (p50/p95) against a LIKE '%…%' scan, API throughput.

Figures only, nothing asserted. Each database runs in a subprocess of its own::

    python bench/bench_search.py --sizes 100000 --db sqlite,postgres
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/gk_search  (default; the database is wiped and rebuilt)

Queries are timed one at a time on one connection (one core), page 1 with its total count, as the search
page and the API run them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/gk_search")

QUERIES = {
    "2字": ["低保", "救助", "公示", "防汛", "补贴"],
    "4字": ["人居环境", "森林防火", "危房改造", "政府采购", "残疾人两"],
    "多词": ["低保 公示", "防汛 工作方案", "补贴 名单 公示", "乡村振兴 资金"],
    # Words of 6-8 characters: phrases even where 3- and 4-character pieces are lexemes (PostgreSQL).
    "长词": ["村民代表大会", "土地承包经营权", "耕地地力保护补贴", "城乡居民医疗保险", "政府信息公开条例"],
}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fmt(values: list[float]) -> str:
    return f"p50 {statistics.median(values) * 1000:8.1f} ms  p95 {pct(values, 95) * 1000:8.1f} ms"


def like_search(q: str, unit_id: int | None, year: int | None) -> tuple[int, list[int]]:
    """The baseline: every term as LIKE '%term%' over the same fields, newest first, with the count."""
    from django.db import connection

    where = ["e.status = 'published'"]
    params: list[Any] = []
    for term in q.split():
        where.append(
            "(e.title LIKE %s OR e.summary LIKE %s OR e.body LIKE %s OR e.document_number LIKE %s "
            "OR e.topic_words LIKE %s OR e.index_number LIKE %s)"
        )
        params += [f"%{term}%"] * 6
    if unit_id:
        where.append("e.unit_id = %s")
        params.append(unit_id)
    if year:
        where.append("e.published_date BETWEEN %s AND %s")
        params += [f"{year}-01-01", f"{year}-12-31"]
    sql = " AND ".join(where)
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM catalog_entry e WHERE {sql}", params)
        total = cur.fetchone()[0]
        cur.execute(
            f"SELECT e.id FROM catalog_entry e WHERE {sql} ORDER BY e.published_at DESC, e.id DESC LIMIT 20", params
        )
        return total, [r[0] for r in cur.fetchall()]


def _documents(ids: list[int]) -> list[Any]:
    """In a worker process: the index documents of these entries (tokenising is the costly part)."""
    from gongkai.catalog.models import Entry
    from gongkai.search import indexing

    return [indexing.document_for(e) for e in Entry.objects.filter(pk__in=ids).order_by("published_at", "pk")]


def _index_parallel(ids: list[int], workers: int) -> None:
    """Build documents in ``workers`` processes, write them from this one (one writer, as SQLite wants)."""
    import multiprocessing

    from django.db import connection

    from gongkai.search.backends import get_backend

    connection.close()  # forked workers open their own connections
    batches = [ids[i : i + 1000] for i in range(0, len(ids), 1000)]
    backend = get_backend()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        # A few batches in flight at a time: unbounded imap would pile finished documents up in memory
        # whenever the single writer is slower than the workers (it is, on SQLite).
        window = workers * 2
        for w in range(0, len(batches), window):
            for docs in pool.imap(_documents, batches[w : w + window]):
                backend.replace(docs)


def run_one(
    db: str, size: int, units: int, runs: int, like_runs: int, workers: int = 1, reuse: str | None = None
) -> None:
    """One database at one size. ``reuse``: measure an existing, migrated database instead of building one
    (a SQLite data folder, or "pg" for BENCH_PG_URL); its index is built only if it is empty."""
    data_dir = Path(reuse) if reuse and db == "sqlite" else Path(tempfile.mkdtemp(prefix=f"gk-bench-search-{db}-"))
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("GONGKAI_ENV", "development")
    os.environ["GONGKAI_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["GONGKAI_RATE_LIMITS"] = "api=100000000/60,search=100000000/60"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    if db == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if db == "postgres":
        from django.db import OperationalError

        try:
            connection.ensure_connection()
        except OperationalError as exc:
            print(f"\n## postgres: skipped, {PG_URL} not reachable ({exc.__class__.__name__})")
            return
        if not reuse:
            with connection.cursor() as cur:
                cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    if not reuse:
        call_command("migrate", verbosity=0)

    from bench import corpus
    from gongkai.catalog.models import Entry
    from gongkai.search import indexing, selectors
    from gongkai.search.models import SearchDocument

    if reuse:
        from gongkai.orgs.models import UNIT_KINDS, Org

        size = Entry.objects.filter(status="published").count()
        unit_list = list(Org.objects.filter(kind__in=list(UNIT_KINDS)).order_by("pk"))
        made = {"units": unit_list, "entries": size, "seconds": 0.0}
        print(f"\n## {db} ({connection.vendor}), existing database: {size:,} entries, {len(unit_list)} units")
    else:
        print(f"\n## {db} ({connection.vendor}), {size:,} entries, {units} units", flush=True)
        made = corpus.generate(size, units)
    chars = sum(len(b) for b in Entry.objects.values_list("body", flat=True)[:2000]) / min(2000, size)
    print(f"corpus: {made['entries']:,} entries in {made['seconds']:.0f} s; mean body {chars:.0f} chars (HTML)")

    # Oldest first, as `gongkai reindex` does: index keys then rise from batch to batch. Reusing a database,
    # only entries missing from its index are indexed (an interrupted build resumes).
    ids = list(Entry.objects.order_by("published_at", "pk").values_list("pk", flat=True))
    if reuse:
        done = set(SearchDocument.objects.values_list("entry_id", flat=True))
        ids = [i for i in ids if i not in done]
        print(f"index: {len(done):,} entries already indexed, {len(ids):,} to go", flush=True)
    if ids:
        from gongkai.search import pg_index

        started = time.monotonic()
        # As `gongkai reindex` does: on PostgreSQL the RUM index is built once, after the rows are written.
        with pg_index.bulk_load():
            if workers > 1:
                _index_parallel(ids, workers)
            else:
                for i in range(0, len(ids), 1000):
                    indexing.index_entries(ids[i : i + 1000], with_attachments=False)
            written = time.monotonic()
        took = time.monotonic() - started
        rum = f", of which {took - (written - started):.0f} s building the RUM index" if db == "postgres" else ""
        print(
            f"index build: {len(ids):,} entries in {took:.0f} s = {len(ids) / took:,.0f} entries/s "
            f"({SearchDocument.objects.count():,} documents; {workers} process(es) cutting text{rum})",
            flush=True,
        )
    if db == "postgres":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE search_searchdocument")
            cur.execute("ANALYZE catalog_entry")
            cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchdocument'")
            text_indexes = [r[0] for r in cur.fetchall() if r[0] in ("search_doc_tsv", "search_doc_rum")]
            cur.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument'))")
            print(f"index size: {cur.fetchone()[0]} (table with {' + '.join(text_indexes)})")
    else:
        print(f"database file: {(data_dir / 'gongkai.sqlite3').stat().st_size / 2**20:,.0f} MiB (catalog + index)")

    unit = made["units"][len(made["units"]) // 2]
    year = Entry.objects.filter(unit=unit).values_list("published_date__year", flat=True).first()
    flt = selectors.resolve_filters(unit=unit.code, year=year)
    ratios = []
    from django.conf import settings

    limit = settings.GONGKAI_SEARCH_COUNT_LIMIT
    print(
        f"search counts matches exactly up to {limit:,} (GONGKAI_SEARCH_COUNT_LIMIT); the 'exact count' rows lift "
        "that limit. LIKE always counts every match. hits: mean count per query, '+' where some were capped."
    )
    print(f"{'query class':10} {'mode':26} {'search':>34}   {'LIKE baseline':>34}  ratio  hits")
    for label, queries in QUERIES.items():
        for mode, filters, order, exact in (
            ("newest, no filter", None, "newest", False),
            ("newest, unit+year", flt, "newest", False),
            ("newest, exact count", None, "newest", True),
            ("relevance, no filter", None, "relevance", False),
        ):
            times, totals, capped = [], [], False
            settings.GONGKAI_SEARCH_COUNT_LIMIT = 10**12 if exact else limit
            for _ in range(runs):
                for q in queries:
                    t = time.perf_counter()
                    page = selectors.search(q=q, filters=filters, order=order)
                    times.append(time.perf_counter() - t)
                    totals.append(page.total)
                    capped = capped or page.capped
            settings.GONGKAI_SEARCH_COUNT_LIMIT = limit
            base = []
            if order == "newest" and not exact:
                for _ in range(like_runs):
                    for q in queries:
                        t = time.perf_counter()
                        like_search(q, unit.pk if filters else None, year if filters else None)
                        base.append(time.perf_counter() - t)
            ratio = statistics.median(base) / statistics.median(times) if base else 0
            if base:
                ratios.append(ratio)
            print(
                f"{label:10} {mode:26} {fmt(times):>34}   {fmt(base) if base else '—':>34}  "
                f"{f'{ratio:5.1f}x' if base else '  —  '}  {statistics.mean(totals):,.0f}{'+' if capped else ''}",
                flush=True,
            )
    if ratios:
        print(f"LIKE / search median-latency ratio: min {min(ratios):.1f}x, max {max(ratios):.1f}x")

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    sample = list(Entry.objects.order_by("?").values_list("index_number", flat=True)[:200])
    for name, urls in (
        ("API list /entries?page=N", [f"/api/v1/entries?page={n}" for n in range(1, 201)]),
        ("API detail /entries/{idx}", [f"/api/v1/entries/{i}" for i in sample]),
        ("API /search?q=低保", ["/api/v1/search?q=低保&page=1"] * 100),
    ):
        t = time.perf_counter()
        for url in urls:
            assert client.get(url).status_code == 200, url
        took = time.perf_counter() - t
        print(f"{name:28} {len(urls) / took:7.0f} req/s (in-process, one thread)")
    # A harvester walking the whole list: 200 pages along next_cursor (no OFFSET, no count past the limit).
    t, url, pages = time.perf_counter(), "/api/v1/entries", 0
    while url and pages < 200:
        body = client.get(url).json()
        pages += 1
        url = f"/api/v1/entries?cursor={body['next_cursor']}" if body["next_cursor"] else ""
    took = time.perf_counter() - t
    print(f"{'API list ?cursor= (walk)':28} {pages / took:7.0f} req/s (in-process, one thread)")


def main() -> int:
    parser = argparse.ArgumentParser(description="全文检索基准测试（打印数据，不做断言）")
    parser.add_argument("--sizes", default="100000", help="信息条数，逗号分隔")
    parser.add_argument("--units", type=int, default=1500)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=5, help="每个检索词重复次数")
    parser.add_argument("--like-runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="建索引时切词的进程数（写入始终是一个进程）")
    parser.add_argument(
        "--reuse",
        help="测量已有的数据库而不重建：SQLite 数据目录，或 pg（BENCH_PG_URL）；索引为空时才建索引",
    )
    parser.add_argument("--child", nargs=2, metavar=("DB", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.child[0], int(args.child[1]), args.units, args.runs, args.like_runs, args.workers, args.reuse)
        return 0
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    failed = 0
    for size in (int(s) for s in args.sizes.split(",")):
        for db in args.db.split(","):
            cmd = [
                sys.executable,
                __file__,
                "--child",
                db,
                str(size),
                "--units",
                str(min(args.units, max(15, size // 60))),
                "--runs",
                str(args.runs),
                "--like-runs",
                str(args.like_runs),
                "--workers",
                str(args.workers),
                *(["--reuse", args.reuse] if args.reuse else []),
            ]
            failed += subprocess.call(cmd) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
