"""History import benchmark (figures printed, never asserted): a CSV of N entry rows in the style of
bench/corpus.py (titles, 300–3,000-character bodies, 文号 to normalise, a few imported index numbers and
drafts) imported by ``gongkai.reports.imports.import_entries`` — the code of this checkout and, side by side
in the same process and database, the code of an older commit (by default ef45caa, before the import went
through the catalog's bulk service), each run into a fresh township of its own.

    python bench/bench_import.py --rows 100000 [--runs 2] [--old ef45caa] [--encoding gbk]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_import python bench/bench_import.py

The database is emptied first (``flush``): point it at a database of its own. Without DATABASE_URL a
throw-away SQLite database in a temporary folder is used.
"""

from __future__ import annotations

import argparse
import csv
import gc
import importlib.util
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_ENV", "development")

COLUMNS = ["title", "category", "formed_date", "published_date", "index_number", "document_number", "summary",
           "body", "validity"]  # fmt: skip


def setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gk-bench-import-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def machine() -> str:
    from django.db import connection

    version = connection.cursor().connection.server_version if connection.vendor == "postgresql" else None
    db = f"PostgreSQL {version}" if version else f"SQLite {__import__('sqlite3').sqlite_version}"
    return (
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}; database: {db}"
    )


def leaf_paths() -> list[str]:
    """Full names of the default catalog's leaves (法定主动公开内容/法规文件/行政规范性文件 …)."""
    from gongkai.catalog.categories import load_default_catalog

    out: list[str] = []

    def walk(nodes: list[dict[str, Any]], prefix: str) -> None:
        for node in nodes:
            name = f"{prefix}/{node['name']}" if prefix else node["name"]
            if node.get("children"):
                walk(node["children"], name)
            else:
                out.append(name)

    walk(load_default_catalog(), "")
    return out


def write_csv(path: Path, rows: int, code: str, seed: int, encoding: str) -> dict[str, int]:
    """Rows from 2016 to last year; 4 % drafts (no publication date), 2 % with an index number from the old
    system, old-style 文号 brackets, a few 废止."""
    from bench import corpus

    rng = random.Random(seed)
    paths = leaf_paths()
    first = date(2016, 1, 1)
    last = date(date.today().year - 1, 12, 20)
    counts = {"drafts": 0, "given_numbers": 0}
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for i in range(rows):
            day = first + timedelta(days=int((rng.random() ** 0.7) * (last - first).days))
            formed = day - timedelta(days=rng.randint(0, 15))
            topic, place = rng.choice(corpus.TOPICS), rng.choice(corpus.PLACES)
            template, _genre = rng.choice(corpus.KINDS)
            draft = rng.random() < 0.04
            given = not draft and rng.random() < 0.02
            counts["drafts"] += draft
            counts["given_numbers"] += given
            out.writerow(
                [
                    template.format(year=day.year, topic=topic, place=place)[:200],
                    rng.choice(paths),
                    formed.isoformat(),
                    "" if draft else f"{day.year}/{day.month}/{day.day}",
                    f"{code}/OLD-{i:07d}" if given else "",
                    f"{place}政发[{day.year}]{rng.randint(1, 300)}号" if rng.random() < 0.5 else "",
                    f"{topic}相关信息。",
                    corpus.body_html(rng, topic, place, day.year),
                    "废止" if rng.random() < 0.03 else "有效",
                ]
            )
    return counts


def old_module(commit: str) -> ModuleType:
    """``gongkai/reports/imports.py`` as it was at ``commit``, loaded as a module of the reports package
    (so its relative imports find this checkout's ``tables`` and ``spec``)."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{commit}:src/gongkai/reports/imports.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="gk-old-imports-"))
    file = folder / "_old_imports.py"
    file.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("gongkai.reports._old_imports", file)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def make_unit(n: int) -> tuple[Any, Any]:
    """A township with the default catalog and its 公开办管理员, built through the services."""
    from gongkai.accounts.services import create_user
    from gongkai.catalog.categories import seed_catalog
    from gongkai.orgs.models import Org, OrgKind, Role
    from gongkai.orgs.services import create_org, grant_role

    county = Org.objects.filter(code="BI0000").first() or create_org(
        actor=None, code="BI0000", name="基准县人民政府", kind=OrgKind.COUNTY, slug="bench-import", short_name="基准县"
    )
    town = create_org(
        actor=None,
        code=f"BI{n:04d}",
        name=f"基准县第{n}镇人民政府",
        kind=OrgKind.TOWNSHIP,
        parent=county,
        slug=f"bench-import-{n}",
        short_name=f"第{n}镇",
    )
    seed_catalog(actor=None, unit=town)
    admin = create_user(actor=None, username=f"bench_import_{n}", password="Bench-2025!x", full_name="基准")
    grant_role(actor=None, user=admin, org=town, role=Role.UNIT_ADMIN)
    return town, admin


def run_once(label: str, fn: Any, n: int, rows: int, seed: int, encoding: str, folder: Path) -> dict[str, Any]:
    from django.db import connection, reset_queries

    from gongkai.catalog.models import Entry
    from gongkai.core.models import AuditEvent

    town, admin = make_unit(n)
    path = folder / f"entries-{n}.csv"
    counts = write_csv(path, rows, town.code, seed, encoding)
    audit_before = AuditEvent.objects.count()
    gc.collect()
    reset_queries()
    started, cpu = time.perf_counter(), time.process_time()
    result = fn(actor=admin, unit=town, path=path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    made = Entry.objects.filter(unit=town).count()
    events = AuditEvent.objects.count() - audit_before
    print(
        f"  {label:<16} wall {seconds:6.1f} s {rows / seconds:6.0f} rows/s, this process's CPU {cpu:6.1f} s "
        f"{rows / cpu:6.0f} rows/s  ({made} entries, "
        f"{result.published} published, {result.drafts} drafts, {counts['given_numbers']} imported numbers, "
        f"{events} audit events; {connection.vendor})",
        flush=True,
    )
    return {"label": label, "seconds": seconds, "rows_per_s": rows / seconds, "cpu_rows_per_s": rows / cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="历史信息导入基准测试（新旧代码同库对比）")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2, help="每种代码导入几次（交替进行，每次一个新乡镇）")
    parser.add_argument("--old", default="ef45caa", help="旧代码所在的提交")
    parser.add_argument("--encoding", default="utf-8", choices=["utf-8", "gbk"])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--only", choices=["old", "new"], help="只测一种（用于剖析）")
    args = parser.parse_args(argv)
    setup()
    from gongkai.reports import imports as new

    print(machine(), flush=True)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"rows: {args.rows}, encoding {args.encoding}; new = this checkout ({head.stdout.strip()}), "
          f"old = {args.old}", flush=True)  # fmt: skip
    paths: dict[str, Any] = {"new": new.import_entries}
    if args.only != "new":
        try:
            paths["old"] = old_module(args.old).import_entries
        except subprocess.CalledProcessError as exc:
            print(f"old code not available ({exc.stderr.strip()}): measuring this checkout only", flush=True)
    if args.only == "old" and "old" in paths:
        del paths["new"]
    results: dict[str, list[dict[str, Any]]] = {k: [] for k in paths}
    folder = Path(tempfile.mkdtemp(prefix="gk-bench-import-csv-"))
    n = 0
    for run in range(args.runs):
        order = sorted(paths, reverse=run % 2 == 0)  # old first on even runs, new first on odd runs
        for key in order:
            n += 1
            results[key].append(run_once(f"{key} (run {run + 1})", paths[key], n, args.rows, args.seed,
                                         args.encoding, folder))  # fmt: skip
    print("summary, rows/s (best of runs; wall clock, and this process's CPU time, which other load on the "
          "machine disturbs less; with PostgreSQL the server's own CPU is not in it):")  # fmt: skip
    best: dict[str, tuple[float, float]] = {}
    for key, outs in results.items():
        wall = [o["rows_per_s"] for o in outs]
        cpu = [o["cpu_rows_per_s"] for o in outs]
        best[key] = (max(wall), max(cpu))
        print(f"  {key}: wall best {max(wall):.0f} (all {', '.join(f'{s:.0f}' for s in wall)}); "
              f"CPU best {max(cpu):.0f} (all {', '.join(f'{s:.0f}' for s in cpu)})")  # fmt: skip
    if len(best) == 2:
        print(f"  new / old: wall {best['new'][0] / best['old'][0]:.2f}×, CPU {best['new'][1] / best['old'][1]:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
