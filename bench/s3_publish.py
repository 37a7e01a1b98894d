"""Site publishing to an S3 bucket (SeaweedFS on loopback) vs to the local folder (figures printed, never asserted).

For a synthetic corpus: one full build into each target, then the refresh after one publication into
each (the same entries, the same pages), side by side.

    python bench/s3_publish.py --entries 5000 --units 10 --runs 5
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(data_dir: Path) -> None:
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("GONGKAI_ENV", "development")
    os.environ["GONGKAI_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _people(unit: Any) -> dict[str, Any]:
    from gongkai.accounts.services import create_user
    from gongkai.orgs.models import Role
    from gongkai.orgs.services import grant_role

    people = {}
    for role in (Role.DRAFTER, Role.REVIEWER, Role.SIGNER):
        user = create_user(actor=None, username=f"s3b-{role}", password="Bench-2025!x", full_name=role)
        grant_role(actor=None, user=user, org=unit, role=role)
        people[role] = user
    return people


def _publish_one(unit: Any, cat: Any, people: dict[str, Any], n: int) -> Any:
    from gongkai.catalog import services
    from gongkai.orgs.models import Role

    entry = services.create_draft(
        actor=people[Role.DRAFTER],
        unit=unit,
        category=cat,
        title=f"对象存储基准测试公示第{n}批",
        formed_date=time.strftime("%Y-%m-%d"),
        summary="基准测试。",
        body="<p>基准测试正文。</p>",
    )
    entry = services.submit_for_review(actor=people[Role.DRAFTER], entry=entry)
    entry = services.review_pass(actor=people[Role.REVIEWER], entry=entry)
    return services.sign_and_publish(actor=people[Role.SIGNER], entry=entry)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5, help="publications timed for the one-entry refresh")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gongkai-s3bench-"))
    _setup(work / "data")
    from django.conf import settings
    from tests.scale import seaweed

    from bench import corpus
    from gongkai.catalog.models import Category
    from gongkai.portal import builder, targets
    from gongkai.portal.receivers import refresh_paused

    server = seaweed.start(work / "seaweed")
    try:
        settings.GONGKAI_S3_ENDPOINT = server.endpoint
        settings.GONGKAI_S3_ACCESS_KEY = seaweed.ACCESS_KEY
        settings.GONGKAI_S3_SECRET_KEY = seaweed.SECRET_KEY
        bucket = server.make_bucket("gongkai-site-bench")
        print(f"python {platform.python_version()}, {os.cpu_count()} cores, SQLite, SeaweedFS on loopback")
        made = corpus.generate(args.entries, args.units)
        print(f"corpus: {made['entries']} entries / {args.units} units in {made['seconds']:.0f} s", flush=True)
        local = targets.LocalFolder(work / "site")
        s3 = targets.S3Bucket(bucket, "site/", keep=2)

        full: dict[str, tuple[float, int]] = {}
        for name, target in (("local folder", local), ("S3 bucket", s3)):
            report = builder.build_site(target)
            full[name] = (report.seconds, report.pages)
        s3_objects = sum(
            p.get("KeyCount", 0)
            for p in s3.client.get_paginator("list_objects_v2").paginate(
                Bucket=bucket,
                Prefix=s3.current().prefix,  # type: ignore[union-attr]
            )
        )
        local_files = sum(1 for p in (work / "site").resolve().rglob("*") if p.is_file())

        unit = made["units"][0]
        cat = Category.objects.filter(unit=unit, slug="dibao").get()
        people = _people(unit)
        one: dict[str, list[float]] = {"local folder": [], "S3 bucket": []}
        changed: dict[str, list[int]] = {"local folder": [], "S3 bucket": []}
        for n in range(args.runs):
            with refresh_paused():  # the bench calls the refresh itself, once per target
                entry = _publish_one(unit, cat, people, n)
            for name, target in (("local folder", local), ("S3 bucket", s3)):
                start = time.perf_counter()
                files = builder.refresh_entry(entry.pk, [cat.pk], root=target)
                one[name].append(time.perf_counter() - start)
                changed[name].append(len(files))

        print()
        print(f"{'':38}{'local folder':>16}{'S3 bucket':>16}")
        print(f"{'full build: seconds':38}{full['local folder'][0]:>16.1f}{full['S3 bucket'][0]:>16.1f}")
        print(f"{'full build: pages rendered':38}{full['local folder'][1]:>16}{full['S3 bucket'][1]:>16}")
        print(f"{'full build: files / objects written':38}{local_files:>16}{s3_objects:>16}")
        lp = full["local folder"][1] / full["local folder"][0]
        sp = full["S3 bucket"][1] / full["S3 bucket"][0]
        print(f"{'full build: pages per second':38}{lp:>16.0f}{sp:>16.0f}")
        for label, fn in (("median", statistics.median), ("max", max)):
            lo, so = fn(one["local folder"]), fn(one["S3 bucket"])
            print(f"{f'one entry refresh: {label} ms':38}{lo * 1000:>16.0f}{so * 1000:>16.0f}")
        print(
            f"{'one entry refresh: files changed':38}{statistics.median(changed['local folder']):>16.0f}"
            f"{statistics.median(changed['S3 bucket']):>16.0f}"
        )
        print(f"(unit of the refreshed entries: {unit.entries.count()} entries; local counts .gz/.br twins)")
    finally:
        seaweed.stop_server(server)


if __name__ == "__main__":
    main()
