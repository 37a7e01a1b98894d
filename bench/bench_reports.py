"""Reports benchmark (figures printed, never asserted): the annual report of one township and the county
bulletin on a synthetic province — 1,500 units, 1,000,000 entries, 100,000 applications — with wall time
and the number of SQL queries (statistics are SQL aggregates, so the count does not grow with the data).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_reports \\
        python bench/bench_reports.py --entries 1000000 --units 1500 --applications 100000

The database is emptied first (``flush``): point it at a database of its own.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_ENV", "development")


def setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        # Without PostgreSQL: a throw-away SQLite database, never the one in var/ (it is flushed below).
        os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gk-bench-reports-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("applications", "load-rules", verbosity=0)


def make_applications(units: list[Any], total: int, rng: random.Random, batch: int = 5000) -> int:
    """Received cases over three years; 85 % answered (random result row of table 三) within 1–30 days."""
    from tqdm import tqdm

    from gongkai.applications.choices import ApplicantType, Channel, EventKind, Status
    from gongkai.applications.models import Application, ClockEvent, Reply
    from gongkai.reports import spec

    results = spec.result_keys()
    channels = list(Channel.values)
    types = list(ApplicantType.values)
    today = date.today()
    made = 0
    bar = tqdm(total=total, unit="件", desc="生成申请")
    while made < total:
        apps, plan = [], []
        for i in range(min(batch, total - made)):
            unit = units[rng.randrange(len(units))]
            received = today - timedelta(days=rng.randint(1, 3 * 365))
            replied = received + timedelta(days=rng.randint(1, 30))
            closed = rng.random() < 0.85 and replied <= today
            n = made + i
            apps.append(
                Application(
                    unit=unit,
                    tracking_number=f"BENCH-{n:08d}",
                    tracking_year=received.year,
                    tracking_serial=n,
                    query_code_hash="0" * 64,
                    channel=rng.choice(channels),
                    submitted_on=received,
                    applicant_type=rng.choice(types),
                    name="基准",
                    id_type="other",
                    description="基准测试",
                    info_form="paper",
                    delivery="pickup",
                    status=Status.REPLIED if closed else Status.IN_PROGRESS,
                    received_on=received,
                    due_date=received + timedelta(days=28),
                    closed_on=replied if closed else None,
                )
            )
            plan.append((closed, received, replied))
        created = Application.objects.bulk_create(apps, batch_size=batch)
        events, replies = [], []
        for app, (closed, received, replied) in zip(created, plan, strict=True):
            events.append(ClockEvent(application=app, kind=EventKind.RECEIVED, on=received))
            if closed:
                replies.append(Reply(application=app, result_id=rng.choice(results), replied_on=replied))
        ClockEvent.objects.bulk_create(events, batch_size=batch)
        Reply.objects.bulk_create(replies, batch_size=batch)
        made += len(created)
        bar.update(len(created))
    bar.close()
    return made


def measure(label: str, fn: Any, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries = len(ctx.captured_queries)
    out = {"label": label, "first_s": times[0], "median_s": statistics.median(times), "queries": queries}
    print(
        f"  {label}: first {out['first_s'] * 1000:.0f} ms, median {out['median_s'] * 1000:.0f} ms "
        f"over {runs} runs, {queries} SQL queries",
        flush=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="年度报告与督查通报基准测试（合成省级数据）")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=1500)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    setup()
    from django.db import connection
    from django.db.models import Count, F
    from django.db.models.functions import Mod

    from bench import corpus
    from gongkai.catalog.models import Entry
    from gongkai.orgs.models import Org, OrgKind
    from gongkai.reports import bulletin, render
    from gongkai.reports.annual import annual_report_data

    print(f"database: {connection.vendor}; building {args.units} units, {args.entries} entries, "
          f"{args.applications} applications", flush=True)  # fmt: skip
    rng = random.Random(args.seed)
    started = time.monotonic()
    made = corpus.generate(args.entries, args.units, args.seed)
    Entry.objects.update(lag_workdays=Mod(F("id"), 25))  # synthetic Art. 26 lag, some over 20
    make_applications(made["units"], args.applications, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  data built in {time.monotonic() - started:.0f} s", flush=True)

    year = date.today().year - 1
    busiest = (
        Entry.objects.filter(published_date__year=year).values("unit_id").annotate(n=Count("pk")).order_by("-n").first()
    )
    town = Org.objects.get(pk=busiest["unit_id"]) if busiest else made["units"][0]
    county = Org.objects.get(kind=OrgKind.COUNTY, parent=None)
    last_month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    print(f"township {town.code} ({busiest['n'] if busiest else 0} entries in {year}); county bulletin {last_month}")
    results = [
        measure(f"annual_report_data({town.code}, {year})", lambda: annual_report_data(town, year), args.runs),
        measure("annual report → HTML (with narrative, charts)", lambda: render.to_html(render.build(town, year)), 3),
        measure(
            f"bulletin_data({county.code}, {last_month}) over {args.units} units",
            lambda: bulletin.bulletin_data(county, last_month),
            args.runs,
        ),
    ]
    data = bulletin.bulletin_data(county, last_month)
    print(f"  bulletin rows: {len(data['rows'])}, flagged 死网: {len(data['dead_units'])}")
    return 0 if results else 1


if __name__ == "__main__":
    raise SystemExit(main())
