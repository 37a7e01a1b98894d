"""``check-site`` over a synthetic county (figures printed, never asserted).

A throw-away data folder (SQLite), ``bench.corpus`` writes ``--entries`` published entries over ``--units``
townships, the public site is built once (``build_site``), then:

1. one township inspected against its built folder (every page parsed, every link looked up, every published
   text and attachment re-scanned): wall time, pages read, peak Python memory (tracemalloc) and process RSS;
2. the whole county without the site folder (database checks only): wall time per unit.

The inspection streams — entries by ``iterator()``, the site one file at a time — so the peak memory should
stay flat as the corpus grows; compare two sizes to see it.

    python bench/check_site.py [--entries 20000] [--units 10]
    BENCH_QUICK=1 python bench/check_site.py     # 2,000 entries over 4 units
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(data_dir: Path) -> None:
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ["GONGKAI_ENV"] = "development"
    os.environ.pop("DATABASE_URL", None)
    os.environ["GONGKAI_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    quick = bool(os.environ.get("BENCH_QUICK"))
    parser = argparse.ArgumentParser(description="check-site 基准测试（只打印数字，不做断言）")
    parser.add_argument("--entries", type=int, default=2_000 if quick else 20_000)
    parser.add_argument("--units", type=int, default=4 if quick else 10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gk-bench-check-") as tmp:
        _setup(Path(tmp))
        from bench import corpus
        from gongkai.inspection import services
        from gongkai.inspection.models import InspectionRun
        from gongkai.orgs.models import OrgKind
        from gongkai.portal.builder import build_site

        made = corpus.generate(args.entries, args.units)
        print(f"corpus: {made['entries']} entries / {args.units} units in {made['seconds']:.1f} s", flush=True)
        site = Path(tmp) / "site"
        started = time.monotonic()
        report = build_site(site)
        print(f"build_site: {report.pages} pages in {time.monotonic() - started:.1f} s", flush=True)

        unit = made["units"][0]
        tracemalloc.start()
        started = time.monotonic()
        run = services.run_inspection(actor=None, unit=unit, site=site)
        seconds = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        dead = next(c for c in run.findings["checks"] if c["id"] == "dead_links")
        entries = unit.entries.count()
        print(
            f"one unit with its site: {entries} entries, {dead['summary']}; {seconds:.2f} s, "
            f"peak Python memory {peak / 2**20:.1f} MB, max RSS {_rss_mb():.0f} MB; score {run.score}",
            flush=True,
        )

        county = unit.parent
        assert county is not None and county.kind == OrgKind.COUNTY
        units = [county, *made["units"]]
        started = time.monotonic()
        for u in units:
            services.run_inspection(actor=None, unit=u)
        seconds = time.monotonic() - started
        print(
            f"county without the site folder: {len(units)} units in {seconds:.2f} s "
            f"({1000 * seconds / len(units):.0f} ms a unit); runs recorded: {InspectionRun.objects.count()}; "
            f"max RSS {_rss_mb():.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
