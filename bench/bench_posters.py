"""Posters and gazette benchmark (figures printed, never asserted): one poster cold (first render in the
process: WeasyPrint import, font loading) and warm (median of the next ones), A4 and A3, and a monthly
gazette of 300 entries.

    python bench/bench_posters.py [--entries 300]

Runs on a throw-away SQLite database unless DATABASE_URL is set (then that database is flushed: point it at
a database of its own). The fixture is built through the services (tests/factories.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_ENV", "development")


def setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gk-bench-posters-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=300)
    args = parser.parse_args()
    setup()
    from django.utils import timezone
    from tests.factories import make_draft, make_people, make_tree, publish_entry

    from gongkai.channels import gazette, posters
    from gongkai.portal.receivers import refresh_paused

    tree = make_tree()
    people = make_people(tree)
    table = "".join(f"<tr><td>{n}</td><td>修缮项目{n}</td><td>{n * 1000}</td></tr>" for n in range(30))
    body = "<p>" + "经村民代表会议讨论决定，现将有关情况公示如下。" * 10 + "</p><table>" + table + "</table>"
    started = time.perf_counter()
    with refresh_paused():
        entries = [
            publish_entry(make_draft(tree, people, title=f"东山镇第{n}号公示", body=body), people)
            for n in range(args.entries)
        ]
    print(f"fixture: {len(entries)} published entries in {time.perf_counter() - started:.1f} s")

    t0 = time.perf_counter()
    posters.render_poster(entries[0], size="A4")
    print(f"poster A4 cold: {time.perf_counter() - t0:.3f} s")
    for size in ("A4", "A3"):
        times = []
        for entry in entries[1:11]:
            t0 = time.perf_counter()
            pdf = posters.render_poster(entry, size=size)
            times.append(time.perf_counter() - t0)
        print(
            f"poster {size} warm: median {statistics.median(times):.3f} s, max {max(times):.3f} s, "
            f"{len(pdf) // 1024} KB"
        )

    today = timezone.localdate()
    period = gazette.parse_period(f"{today.year}-{today.month:02d}")
    t0 = time.perf_counter()
    pdf = gazette.render_gazette(tree.town, period)
    print(f"gazette of {args.entries} entries: {time.perf_counter() - t0:.1f} s, {len(pdf) // 1024} KB")


if __name__ == "__main__":
    main()
