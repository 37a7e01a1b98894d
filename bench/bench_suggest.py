"""Learned drafting suggestions on held-out history (issue 21; figures printed, never asserted): for each unit,
train ``gongkai.catalog.suggest`` on the oldest 80% of its published entries (by publication time) and ask
for the newest 20%, as a drafter would: with the title and 内容概述 (what ``/staff/entries/suggest`` gets),
and with title + 概述 + body (the form's 建议 button). Reports top-1 and top-3 category accuracy, 体裁
accuracy, how often a suggested 主题词 is one the entry has, training time, model size and answer latency.
The goal of the issue: top-3 category accuracy ≥ 0.9.

    python bench/bench_suggest.py --data-dir /tmp/gk-demo           # a folder where `gongkai demo` ran
    python bench/bench_suggest.py                                   # builds the demo in a temporary folder
    python bench/bench_suggest.py --data-dir … --entries 1500       # builds a larger demo there if empty

Also times training on synthetic units of 300 and 5,000 entries made from ``bench/corpus.py``'s titles and
bodies. That corpus files each entry under a random leaf category (its titles do not depend on the
category), so its category accuracy is chance level by construction and is printed only as a floor.
Reads only (training here is in memory); nothing is written to the database except by ``gongkai demo``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_ENV", "development")


def setup(data_dir: str | None, entries: int) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["GONGKAI_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="gk-bench-suggest-")
    import django

    django.setup()
    from django.core.management import call_command

    from gongkai.catalog.models import Entry

    call_command("migrate", verbosity=0)
    if not Entry.objects.exists():
        print(f"building the demo world ({entries} entries) …", file=sys.stderr)
        started = time.monotonic()
        call_command("demo", entries=entries)
        print(f"demo built in {time.monotonic() - started:.0f} s", file=sys.stderr)


def machine() -> str:
    from django.db import connection

    version = connection.cursor().connection.server_version if connection.vendor == "postgresql" else None
    db = f"PostgreSQL {version}" if version else f"SQLite {__import__('sqlite3').sqlite_version}"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return (
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}; database: {db}; "
        f"commit {commit.stdout.strip() or '?'}"
    )


class Tally:
    """Hits over asks, for each measure."""

    def __init__(self) -> None:
        self.asked = 0
        self.hits: Counter[str] = Counter()
        self.topic_asked = 0
        self.seconds = 0.0

    def add(self, other: Tally) -> None:
        self.asked += other.asked
        self.hits.update(other.hits)
        self.topic_asked += other.topic_asked
        self.seconds += other.seconds

    def line(self, label: str) -> str:
        n = max(self.asked, 1)
        t = max(self.topic_asked, 1)
        return (
            f"  {label:<34} n={self.asked:>4}  category top-1 {self.hits['top1'] / n:.3f}  "
            f"top-3 {self.hits['top3'] / n:.3f}  genre {self.hits['genre'] / n:.3f}  "
            f"genre top-3 {self.hits['genre3'] / n:.3f}  topic word hit {self.hits['topic'] / t:.3f}  "
            f"answer {1000 * self.seconds / n:.1f} ms"
        )


def evaluate(payload: dict[str, Any], tests: list[Any], categories: dict[int, str], *, with_body: bool) -> Tally:
    from gongkai.catalog import suggest

    tally = Tally()
    for s in tests:
        started = time.monotonic()
        found = suggest.predict(
            payload, title=s.title, summary=s.summary, body=s.body if with_body else "", categories=categories
        )
        tally.seconds += time.monotonic() - started
        tally.asked += 1
        cats = [int(c.value) for c in found.categories]
        tally.hits["top1"] += bool(cats) and cats[0] == s.category_id
        tally.hits["top3"] += s.category_id in cats
        genres = [c.value for c in found.genres]
        tally.hits["genre"] += bool(genres) and genres[0] == s.genre
        tally.hits["genre3"] += s.genre in genres
        words = set(suggest.split_topic_words(s.topic_words))
        if words:
            tally.topic_asked += 1
            tally.hits["topic"] += bool(words & set(found.topic_words))
    return tally


def split(samples: list[Any], share: float = 0.8) -> tuple[list[Any], list[Any]]:
    """Oldest ``share`` for training, the newest rest for testing (``samples`` newest first)."""
    ordered = list(reversed(samples))
    cut = int(len(ordered) * share)
    return ordered[:cut][::-1], ordered[cut:]


def demo_units() -> None:
    from gongkai.catalog import suggest
    from gongkai.catalog.models import Entry, EntryStatus
    from gongkai.orgs.models import Org

    unit_ids = Entry.objects.filter(status=EntryStatus.PUBLISHED).values_list("unit_id", flat=True).distinct()
    title_only, with_body = Tally(), Tally()
    print("held-out history (train on the oldest 80% by publication time, ask for the newest 20%):")
    for unit in Org.objects.filter(pk__in=list(unit_ids)).order_by("path", "sort_order", "id"):
        samples = suggest.history(unit)
        train, test = split(samples)
        started = time.monotonic()
        payload = suggest.train(train)
        seconds = time.monotonic() - started
        size = len(json.dumps(payload, ensure_ascii=False).encode())
        cats = suggest.category_labels(unit)
        used = len({s.category_id for s in samples})
        print(
            f" {unit.name}: {len(samples)} published in {used} categories; trained on {len(train)} in "
            f"{seconds:.3f} s, model {size / 1024:.0f} KiB; full history trains in "
            f"{_timed(lambda s=samples: suggest.train(s)):.3f} s"
        )
        a = evaluate(payload, test, cats, with_body=False)
        b = evaluate(payload, test, cats, with_body=True)
        print(a.line("title + 概述 (the JSON endpoint)"))
        print(b.line("title + 概述 + body (the 建议 button)"))
        title_only.add(a)
        with_body.add(b)
    print("all units:")
    print(title_only.line("title + 概述 (the JSON endpoint)"))
    print(with_body.line("title + 概述 + body (the 建议 button)"))
    print("  goal (issue 21): category top-3 ≥ 0.9")


def _timed(fn: Any) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def synthetic(sizes: tuple[int, ...] = (300, 5000), seed: int = 2025) -> None:
    """Training time on corpus.py-style units (titles and bodies per topic; random leaf categories)."""
    from bench import corpus
    from gongkai.catalog import suggest

    rng = random.Random(seed)
    print("synthetic units (bench/corpus.py titles and bodies; category a random one of 40 leaves):")
    for size in sizes:
        samples = []
        for i in range(size):
            topic, place = rng.choice(corpus.TOPICS), rng.choice(corpus.PLACES)
            template, genre = rng.choice(corpus.KINDS)
            year = rng.randint(2016, 2026)
            title = template.format(year=year, topic=topic, place=place)
            body = corpus.body_html(rng, topic, place, year)
            samples.append(suggest.Sample(i, rng.randrange(40), genre, title, f"{topic}相关信息。", body, topic))
        samples.reverse()  # newest first, as suggest.history returns them
        runs = [_timed(lambda s=samples: suggest.train(s)) for _ in range(3)]
        train, test = split(samples)
        payload = suggest.train(train)
        size_kib = len(json.dumps(payload, ensure_ascii=False).encode()) / 1024
        tally = evaluate(payload, test, {c: f"类别{c}" for c in range(40)}, with_body=False)
        print(
            f"  {size:>5} entries: training best {min(runs):.3f} s (runs {', '.join(f'{r:.3f}' for r in runs)}), "
            f"model {size_kib:.0f} KiB"
        )
        print(tally.line(f"{size} entries, title + 概述"))
    print("  (category: chance is 3/40 = 0.075 for top-3; genre and topic words follow the title templates)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="起草建议的留出验证（只打印数字，不做断言）")
    parser.add_argument("--data-dir", help="已运行过 gongkai demo 的数据目录（默认：临时目录中新建演示数据）")
    parser.add_argument("--entries", type=int, default=300, help="需要新建演示数据时的已发布信息条数")
    parser.add_argument("--no-synthetic", action="store_true", help="不测合成语料的训练时间")
    args = parser.parse_args(argv)
    setup(args.data_dir, args.entries)
    print(machine())
    demo_units()
    if not args.no_synthetic:
        synthetic()


if __name__ == "__main__":
    main()
