"""Publish → page on the site, on SQLite, with the real task worker (figures printed, never asserted).

A throw-away data folder (SQLite, ``GONGKAI_ENV=development``), a township built through the services (the
test factories' tree and people), the site built once with ``gongkai build-site``; then ``gongkai worker``
runs as a child process (restarted if it dies, and counted) while this process takes N entries through
draft → submit → review_pass → sign_and_publish and watches the site folder until each entry's page is
there with its title in it. Measured twice in the same run, side by side:

- quiet: nothing else running;
- under load: two more child processes of this script, (a) a letter generator that enters 依申请公开 cases,
  replies and numbers a reply letter (``letters.generate``; the worker renders its DOCX + PDF, the heavy CPU
  work) at ``--letters-per-minute`` (Poisson arrivals), and (b) a drafter/reviewer that saves drafts in a
  loop (``create_draft``/``update_draft`` with short sleeps; every fifth draft is submitted and passes review).

The clock starts at the entry's ``published_at`` (set inside sign_and_publish's transaction, a few ms before
its commit) and stops when the page file holds the title (polled every 20 ms). Issue 14's goal: p95 ≤ 2 s
under load. At the end: worker deaths, load-process errors by type, and the tasks still READY/RUNNING after
a drain of up to ``--drain`` seconds (FAILED too); from the task rows, where each page refresh spent its time
(enqueue, waiting in the queue behind other tasks, running) and what the worker ran ahead of it.

    python bench/bench_publish.py [--entries 30] [--letters-per-minute 60] [--out bench/results/DATE-….txt]
    python bench/bench_publish.py --quiet-only | --load-only
    python bench/bench_publish.py --load-only --letters-per-minute 600 --entries 10 [--refresh-priority 10]
    BENCH_QUICK=1 python bench/run_all.py      # --entries 5

SQLite in a temporary folder whatever ``DATABASE_URL`` says. The worker runs as deployed
(``gongkai worker --interval 1``, docs/gongkai-worker.service.example): an idle worker looks at the queue once
a second, so about 0.5 s of every quiet figure is that wait. A phase stops publishing after ``--phase-budget``
seconds (an overloaded worker would otherwise make every entry wait ``--timeout``). ``--refresh-priority N`` is
an experiment, not the shipped behaviour: this process queues its page refreshes with priority N (the shipped
code queues every task at 0, so the worker runs them first-in first-out, letters included).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GONGKAI = str(Path(sys.executable).with_name("gongkai"))
REFRESH = "refresh_entry_pages"


# --- environment -------------------------------------------------------------------------------------------


def prepare_env(data_dir: Path) -> None:
    """Everything this process and its children need, in os.environ before django.setup()."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("GONGKAI_TASK_BACKEND", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="gongkai.settings",
        GONGKAI_ENV="development",
        GONGKAI_DATA_DIR=str(data_dir),
        PYTHONUNBUFFERED="1",
    )


def django_setup() -> None:
    import django

    django.setup()


def machine() -> str:
    import sqlite3

    info = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), platform.processor())
    return (
        f"machine: {cpu or platform.machine()}, {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; Python {platform.python_version()}, "
        f"{platform.platform()}; database: SQLite {sqlite3.sqlite_version} (WAL, busy timeout from settings)"
    )


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def short_error(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0][:90] if lines else ''}"


# --- the world ---------------------------------------------------------------------------------------------


def build_world() -> dict[str, Any]:
    """The test factories' county tree and people (services only), three published entries so the unit's
    pages have something on them, then ``gongkai build-site``. Refreshes, indexing and scans are deferred as
    ``gongkai demo`` does: the full build follows."""
    from contextlib import ExitStack

    from tests.factories import make_draft, make_people, make_tree, publish_entry

    from gongkai.portal.receivers import refresh_paused
    from gongkai.screening.receivers import scans_deferred
    from gongkai.search.receivers import indexing_deferred

    with ExitStack() as stack:
        stack.enter_context(refresh_paused())
        stack.enter_context(indexing_deferred())
        stack.enter_context(scans_deferred())
        tree = make_tree()
        people = make_people(tree)
        for n in range(3):
            entry = make_draft(tree, people, title=f"基准测试预置信息第{n + 1}号", formed_date=date.today())
            publish_entry(entry, people)
    return {"tree": tree, "people": people}


# --- load processes (children of this script) --------------------------------------------------------------


class Stopper:
    def __init__(self) -> None:
        self.stop = False
        signal.signal(signal.SIGTERM, self._set)
        signal.signal(signal.SIGINT, self._set)

    def _set(self, *_: Any) -> None:
        self.stop = True

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stop and time.monotonic() < end:
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))


def child_letters(stats_path: Path, per_minute: float, seed: int) -> None:
    """Enter a case, reply 同意公开, number the reply letter (the worker renders it); Poisson arrivals."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections, connections
    from tests.applications.conftest import applicant

    from gongkai.applications import intake, letters, replies
    from gongkai.orgs.models import Org

    stopper = Stopper()
    rng = random.Random(seed)
    User = get_user_model()
    admin = User.objects.get(username="town_admin")
    town = Org.objects.get(code="QH0101")
    errors: Counter[str] = Counter()
    seconds: list[float] = []
    done = 0
    next_at = time.monotonic()
    while not stopper.stop:
        next_at += rng.expovariate(per_minute / 60)
        next_at = max(next_at, time.monotonic() - 5)  # fallen behind: catch up a little, not forever
        stopper.sleep(next_at - time.monotonic())
        if stopper.stop:
            break
        step = "enter_application"
        started = time.perf_counter()
        try:
            received = date(2025, 3, 3) + timedelta(days=rng.randint(0, 200))
            app, _ = intake.enter_application(
                actor=admin, unit=town, data=applicant(), channel="in_person", received_on=received
            )
            step = "reply"
            replied = received + timedelta(days=7)
            replies.reply(actor=admin, application=app, result="granted", on=replied)
            step = "letters.generate"
            letters.generate(actor=admin, application=app, kind="grant", on=replied)
        except Exception as exc:
            errors[f"{step}: {short_error(exc)}"] += 1
            for conn in connections.all(initialized_only=True):
                with contextlib.suppress(Exception):
                    conn.close()
        else:
            done += 1
            seconds.append(time.perf_counter() - started)
        close_old_connections()
    stats_path.write_text(json.dumps({"done": done, "errors": errors, "seconds": seconds}), encoding="utf-8")


def child_drafts(stats_path: Path, seed: int) -> None:
    """A drafter saving drafts (create, then 2–5 updates 0.2–0.8 s apart); every fifth is submitted and
    passes review (the reviewer's 保密审查), never signed."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections, connections

    from bench import corpus
    from gongkai.catalog import services
    from gongkai.catalog.models import Category
    from gongkai.orgs.models import Org

    stopper = Stopper()
    rng = random.Random(seed)
    User = get_user_model()
    drafter = User.objects.get(username="town_drafter")
    reviewer = User.objects.get(username="town_reviewer")
    town = Org.objects.get(code="QH0101")
    office = Org.objects.get(code="QH010101")
    category = Category.objects.get(unit=town, slug="notices")
    errors: Counter[str] = Counter()
    seconds: list[float] = []
    counts: Counter[str] = Counter()
    n = 0
    while not stopper.stop:
        n += 1
        topic, place = rng.choice(corpus.TOPICS), rng.choice(corpus.PLACES)
        step = "create_draft"
        try:
            started = time.perf_counter()
            entry = services.create_draft(
                actor=drafter,
                unit=town,
                category=category,
                publisher=office,
                title=f"关于{place}{topic}的通知（草稿{n}）",
                formed_date=date.today(),
                summary=f"{topic}相关信息。",
                body=corpus.body_html(rng, topic, place, date.today().year),
            )
            seconds.append(time.perf_counter() - started)
            counts[step] += 1
            for _ in range(rng.randint(2, 5)):
                stopper.sleep(rng.uniform(0.2, 0.8))
                if stopper.stop:
                    break
                step = "update_draft"
                started = time.perf_counter()
                entry = services.update_draft(
                    actor=drafter, entry=entry, body=corpus.body_html(rng, topic, place, date.today().year)
                )
                seconds.append(time.perf_counter() - started)
                counts[step] += 1
            if n % 5 == 0 and not stopper.stop:
                step = "submit_for_review"
                entry = services.submit_for_review(actor=drafter, entry=entry)
                counts[step] += 1
                step = "review_pass"
                services.review_pass(actor=reviewer, entry=entry)
                counts[step] += 1
        except Exception as exc:
            errors[f"{step}: {short_error(exc)}"] += 1
            for conn in connections.all(initialized_only=True):
                with contextlib.suppress(Exception):
                    conn.close()
        close_old_connections()
        stopper.sleep(rng.uniform(0.2, 0.6))
    stats_path.write_text(
        json.dumps({"done": sum(counts.values()), "counts": counts, "errors": errors, "seconds": seconds}),
        encoding="utf-8",
    )


# --- the worker, supervised --------------------------------------------------------------------------------


class Supervisor:
    """Runs ``gongkai worker`` and starts it again if it exits on its own; every such exit is a death."""

    def __init__(self, work: Path, interval: float) -> None:
        self.work = work
        self.interval = interval
        self.deaths: list[tuple[float, int | None]] = []
        self.starts = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def log_paths(self) -> list[Path]:
        return sorted(self.work.glob("worker-*.log"))

    def _start(self) -> None:
        self.starts += 1
        log = (self.work / f"worker-{self.starts}.log").open("wb")
        self.proc = subprocess.Popen(
            [GONGKAI, "worker", "--interval", str(self.interval)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
        )
        log.close()

    def start(self) -> None:
        self._start()
        self._thread.start()

    def _watch(self) -> None:
        while not self._stopping:
            proc = self.proc
            if proc is not None and proc.poll() is not None and not self._stopping:
                self.deaths.append((time.time(), proc.returncode))
                self._start()
            time.sleep(0.5)

    def stop(self) -> int | None:
        self._stopping = True
        self._thread.join(timeout=2)
        if self.proc is None:
            return None
        if self.proc.poll() is not None:  # died after the watcher's last look
            self.deaths.append((time.time(), self.proc.returncode))
            return self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


# --- measuring ---------------------------------------------------------------------------------------------


def queue_counts() -> dict[str, int]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def drain(seconds: float) -> float:
    """Wait until no task is READY or RUNNING (or ``seconds`` pass); returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        counts = queue_counts()
        if not counts.get("READY") and not counts.get("RUNNING"):
            break
        time.sleep(0.25)
    return time.monotonic() - started


def wait_worker(seconds: float) -> float:
    """Wait until a worker has registered (its first heartbeat: WeasyPrint imported, ready to claim) and the
    queue is empty; returns the seconds waited."""
    from gongkai.worker.models import WorkerHeartbeat

    started = time.monotonic()
    while time.monotonic() - started < seconds and not WorkerHeartbeat.objects.exists():
        time.sleep(0.1)
    drain(max(0.0, seconds - (time.monotonic() - started)))
    return time.monotonic() - started


def wait_page(site: Path, url: str, title: str, timeout: float) -> float | None:
    """time.time() when the page at ``url`` holds ``title``, or None after ``timeout`` seconds."""
    from gongkai.portal import paths

    needle = html.escape(title).encode()
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if needle in paths.file_for(site, url).read_bytes():
                return time.time()
        except FileNotFoundError:
            pass
        time.sleep(0.02)
    return None


def run_phase(
    phase: str, count: int, world: dict[str, Any], timeout: float, budget: float, say: Any
) -> list[dict[str, Any]]:
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult
    from tests.factories import make_draft

    from gongkai.catalog import services
    from gongkai.portal import paths

    tree, people = world["tree"], world["people"]
    site = Path(settings.SITE_DIR)
    rng = random.Random(f"{phase}-{count}")
    out: list[dict[str, Any]] = []
    label = {"quiet": "安静", "load": "负载"}[phase]
    phase_started = time.monotonic()
    for n in range(1, count + 1):
        if time.monotonic() - phase_started > budget:
            say(f"  {phase}: time budget of {budget:g} s used up after {n - 1} entries: publishing no more")
            break
        title = f"基准测试{label}发布第{n}号通知"
        record: dict[str, Any] = {"phase": phase, "n": n, "title": title}
        try:
            t0 = time.time()
            entry = make_draft(tree, people, title=title, formed_date=date.today())
            entry = services.submit_for_review(actor=people["drafter"], entry=entry)
            entry = services.review_pass(actor=people["reviewer"], entry=entry)
            record["ready_behind"] = DBTaskResult.objects.filter(status="READY").count()
            t1 = time.time()
            entry = services.sign_and_publish(actor=people["signer"], entry=entry)
            t2 = time.time()
        except Exception as exc:
            record["error"] = short_error(exc)
            say(f"  {phase} #{n}: {record['error']}")
            out.append(record)
            continue
        assert entry.published_at is not None
        record.update(
            entry_id=entry.pk,
            workflow_s=t1 - t0,
            sign_call_s=t2 - t1,
            published=entry.published_at.timestamp(),
            returned=t2,
        )
        seen = wait_page(site, paths.entry_page(tree.town.slug, entry.pk), title, timeout)
        record["page"] = seen
        record["latency"] = None if seen is None else seen - record["published"]
        out.append(record)
        if n % 10 == 0 or n == count:
            done = [r["latency"] for r in out if r.get("latency") is not None]
            say(f"  {phase}: {n}/{count} published, publish→page so far p50 {pct(done, 50):.2f} s, "
                f"max {max(done, default=float('nan')):.2f} s")  # fmt: skip
        time.sleep(rng.uniform(0.3, 1.2))  # the next publication lands anywhere in the worker's idle poll
    return out


def task_rows(since: float) -> list[dict[str, Any]]:
    from django_tasks_db.models import DBTaskResult

    rows = []
    for row in DBTaskResult.objects.all().values(
        "task_path", "status", "enqueued_at", "started_at", "finished_at", "args_kwargs", "exception_class_path"
    ):
        if row["enqueued_at"].timestamp() < since:
            continue
        rows.append(
            {
                "name": row["task_path"].rsplit(".", 1)[-1],
                "status": row["status"],
                "enqueued": row["enqueued_at"].timestamp(),
                "started": row["started_at"].timestamp() if row["started_at"] else None,
                "finished": row["finished_at"].timestamp() if row["finished_at"] else None,
                "args": (row["args_kwargs"] or {}).get("args", []),
                "exception": row["exception_class_path"],
            }
        )
    return rows


def explain(records: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Split each publish→page into enqueue / queue wait / run, and tally what ran while the refresh waited."""
    refresh = {r["args"][0]: r for r in rows if r["name"] == REFRESH and r["args"] and r["started"]}
    parts: dict[str, list[float]] = defaultdict(list)
    ahead_n: Counter[str] = Counter()
    ahead_s: Counter[str] = Counter()
    worst: dict[str, Any] | None = None
    measured = 0
    for rec in records:
        task = refresh.get(rec.get("entry_id"))
        if task is None or rec.get("page") is None:
            continue
        measured += 1
        parts["enqueue"].append(task["enqueued"] - rec["published"])
        parts["wait"].append(task["started"] - task["enqueued"])
        parts["run"].append(rec["page"] - task["started"])
        before = [
            r
            for r in rows
            if r is not task
            and r["started"] is not None
            and r["started"] < task["started"]
            and (r["finished"] or task["started"]) > task["enqueued"]
        ]
        mine: Counter[str] = Counter()
        for r in before:
            spent = min(r["finished"] or task["started"], task["started"]) - max(r["started"], task["enqueued"])
            ahead_n[r["name"]] += 1
            ahead_s[r["name"]] += max(0.0, spent)
            mine[r["name"]] += 1
        if worst is None or rec["latency"] > worst["latency"]:
            worst = {"latency": rec["latency"], "n": rec["n"], "wait": task["started"] - task["enqueued"],
                     "ahead": dict(mine)}  # fmt: skip
    return {"parts": parts, "ahead_n": ahead_n, "ahead_s": ahead_s, "measured": measured, "worst": worst}


# --- main --------------------------------------------------------------------------------------------------


def start_child(kind: str, work: Path, args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], Path]:
    stats = work / f"load-{kind}.json"
    cmd = [sys.executable, __file__, "--child", kind, "--stats", str(stats), "--seed", str(args.seed)]
    if kind == "letters":
        cmd += ["--letters-per-minute", str(args.letters_per_minute)]
    log = (work / f"load-{kind}.log").open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    log.close()
    return proc, stats


def stop_child(proc: subprocess.Popen[bytes], stats: Path) -> dict[str, Any]:
    early = proc.poll()
    if early is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    result: dict[str, Any] = {"exit": proc.returncode, "died_early": early is not None}
    if stats.exists():
        result.update(json.loads(stats.read_text(encoding="utf-8")))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="发布到网站页面出现的时间（SQLite，真实任务进程，安静与负载对比）")
    parser.add_argument("--entries", type=int, default=30, help="每个阶段发布几条（默认 30）")
    parser.add_argument("--quiet-only", action="store_true", help="只测安静时")
    parser.add_argument("--load-only", action="store_true", help="只测负载下")
    parser.add_argument("--letters-per-minute", type=float, default=60.0, help="负载：每分钟几份告知书（默认 60）")
    parser.add_argument("--warmup", type=float, default=15.0, help="负载进程启动后等几秒再开始测")
    parser.add_argument("--drain", type=float, default=60.0, help="最后最多等几秒让队列跑空")
    parser.add_argument("--timeout", type=float, default=60.0, help="一条信息的页面最多等几秒")
    parser.add_argument("--phase-budget", type=float, default=240.0, help="一个阶段最多用几秒，到时不再发布新的")
    parser.add_argument("--refresh-priority", type=int, help="试验：页面更新任务以此优先级排队（修复的做法）")
    parser.add_argument("--worker-interval", type=float, default=1.0, help="gongkai worker --interval")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", help="also write the figures to this file (bench/results/DATE-….txt)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument("--child", choices=("letters", "drafts"), help=argparse.SUPPRESS)
    parser.add_argument("--stats", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        stats = Path(args.stats)
        if args.child == "letters":
            child_letters(stats, args.letters_per_minute, args.seed)
        else:
            child_drafts(stats, args.seed + 1)
        return 0
    if args.quiet_only and args.load_only:
        parser.error("--quiet-only and --load-only exclude each other")

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    work = Path(tempfile.mkdtemp(prefix="gk-bench-publish-"))
    prepare_env(work / "data")
    started_all = time.monotonic()
    say(f"publish → page benchmark, {date.today().isoformat()}")
    say(machine())
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    say(f"code: {head.stdout.strip() or '?'}; data folder {work / 'data'}; worker `gongkai worker --interval "
        f"{args.worker_interval:g}`; {args.entries} entries a phase; load: {args.letters_per_minute:g} letters/min "
        f"+ a drafter")  # fmt: skip

    t = time.monotonic()
    subprocess.run([GONGKAI, "migrate", "--noinput", "-v0"], check=True, cwd=ROOT)
    django_setup()
    from django.conf import settings
    from django.db import connections

    from gongkai.documents import fonts

    if fonts.missing_faces():
        say(f"WARNING: font subsets missing in {fonts.font_dir()}: the first letter queues a build of several "
            "minutes ahead of everything else (run `gongkai fonts` first)")  # fmt: skip
    world = build_world()
    from gongkai.core import priorities

    say(f"task priorities (core/priorities.py): page refresh {priorities.SITE}, index/scan {priorities.INTERACTIVE}, "
        f"letters and exports {priorities.DOCUMENT}, bulk {priorities.BULK}")  # fmt: skip
    if args.refresh_priority is not None:
        # Only this process publishes, so only its receiver needs the priority (the rows carry it to the worker).
        from gongkai.portal import receivers, tasks

        receivers.refresh_entry_pages = tasks.refresh_entry_pages.using(priority=args.refresh_priority)
        say(f"EXPERIMENT: page refreshes queued with priority {args.refresh_priority} (shipped code: "
            f"core.priorities.SITE = {priorities.SITE}, letters {priorities.DOCUMENT})")  # fmt: skip
    connections.close_all()
    build = subprocess.run([GONGKAI, "build-site"], cwd=ROOT, capture_output=True, text=True)
    if build.returncode:
        raise SystemExit(f"build-site failed:\n{build.stderr[-3000:]}")
    say(f"setup (migrate, township + 11 accounts, 3 entries, build-site): {time.monotonic() - t:.0f} s; "
        f"site {settings.SITE_DIR}")  # fmt: skip

    since = time.time() - 1
    supervisor = Supervisor(work, args.worker_interval)
    supervisor.start()
    waited = wait_worker(60)
    say(f"worker up (heartbeat written) after {waited:.1f} s; queue {queue_counts() or 'empty'}")

    results: dict[str, list[dict[str, Any]]] = {}
    windows: dict[str, tuple[float, float]] = {}
    loads: dict[str, dict[str, Any]] = {}
    children: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    try:
        if not args.load_only:
            say("\n== quiet: only the worker and this process ==")
            w0 = time.time()
            results["quiet"] = run_phase("quiet", args.entries, world, args.timeout, args.phase_budget, say)
            windows["quiet"] = (w0, time.time())
            drain(60)
        if not args.quiet_only:
            say(f"\n== under load: letter generator ({args.letters_per_minute:g}/min) + drafter, "
                f"{args.warmup:g} s warm-up ==")  # fmt: skip
            for kind in ("letters", "drafts"):
                proc, stats = start_child(kind, work, args)
                children.append((kind, proc, stats))
            time.sleep(args.warmup)
            w0 = time.time()
            results["load"] = run_phase("load", args.entries, world, args.timeout, args.phase_budget, say)
            windows["load"] = (w0, time.time())
    finally:
        for kind, proc, stats in children:
            loads[kind] = stop_child(proc, stats)
    t = time.monotonic()
    drained = drain(args.drain)
    counts_after = queue_counts()
    rows = task_rows(since)
    worker_exit = supervisor.stop()
    load_avg = os.getloadavg()

    phases = [p for p in ("quiet", "load") if p in results]
    width = 16
    say("\n== publish → page on the site (seconds) ==")
    say(f"  {'':34}" + "".join(f"{p:>{width}}" for p in phases))

    def row(label: str, fn: Any) -> None:
        say(f"  {label:34}" + "".join(f"{fn(p):>{width}}" for p in phases))

    lat = {p: [r["latency"] for r in results[p] if r.get("latency") is not None] for p in phases}
    row("pages seen / published", lambda p: f"{len(lat[p])}/{sum('entry_id' in r for r in results[p])}")
    row("p50", lambda p: f"{pct(lat[p], 50):.2f}")
    row("p95", lambda p: f"{pct(lat[p], 95):.2f}")
    row("max", lambda p: f"{max(lat[p], default=float('nan')):.2f}")
    row("mean", lambda p: f"{statistics.fmean(lat[p]) if lat[p] else float('nan'):.2f}")
    row("p95 ≤ 2 s (issue 14)", lambda p: "yes" if pct(lat[p], 95) <= 2 else "NO")
    row("timed out / failed", lambda p: str(sum(r.get("latency") is None for r in results[p])))
    sign = {p: [r["sign_call_s"] for r in results[p] if "sign_call_s" in r] for p in phases}
    flow = {p: [r["workflow_s"] for r in results[p] if "workflow_s" in r] for p in phases}
    row("sign_and_publish call p50/max", lambda p: f"{pct(sign[p], 50):.2f}/{max(sign[p], default=0):.2f}")
    row("draft→review_pass p50/max", lambda p: f"{pct(flow[p], 50):.2f}/{max(flow[p], default=0):.2f}")
    behind = {p: [r["ready_behind"] for r in results[p] if "ready_behind" in r] for p in phases}
    row("tasks queued at publish p50/max", lambda p: f"{pct(behind[p], 50):.0f}/{max(behind[p], default=0)}")

    say("\n== where the time went (from the task rows; seconds) ==")
    info = {p: explain(results[p], rows) for p in phases}
    for part, text in (("enqueue", "published_at → refresh queued"), ("wait", "refresh waiting in queue"),
                       ("run", "refresh started → page there")):  # fmt: skip
        row(f"{text} p50", lambda p, part=part: f"{pct(info[p]['parts'][part], 50):.2f}")
        row(f"{text} p95", lambda p, part=part: f"{pct(info[p]['parts'][part], 95):.2f}")
    names = sorted({n for p in phases for n in info[p]["ahead_n"]})
    say("  run ahead of a waiting refresh, per refresh (count, seconds of worker time):")

    def ahead(p: str, name: str) -> str:
        per = max(1, info[p]["measured"])
        return f"{info[p]['ahead_n'][name] / per:.2f} {info[p]['ahead_s'][name] / per:5.2f}s"

    for name in names:
        row(f"  {name}", lambda p, name=name: ahead(p, name))
    for p in phases:
        worst = info[p]["worst"]
        if worst:
            ahead = ", ".join(f"{k} ×{v}" for k, v in sorted(worst["ahead"].items())) or "nothing"
            say(f"  slowest {p}: #{worst['n']} {worst['latency']:.2f} s, of which {worst['wait']:.2f} s in the "
                f"queue behind {ahead}")  # fmt: skip

    say("\n== what the worker ran in each phase (count, run time p50 / p95 / max s) ==")
    for p in phases:
        lo, hi = windows[p]
        mine = [r for r in rows if r["started"] and r["finished"] and lo <= r["started"] <= hi]
        by: dict[str, list[float]] = defaultdict(list)
        for r in mine:
            by[r["name"]].append(r["finished"] - r["started"])
        busy = sum(sum(v) for v in by.values())
        say(f"  {p} ({hi - lo:.0f} s, worker busy {busy / max(1e-9, hi - lo) * 100:.0f} %):")
        for name, spans in sorted(by.items(), key=lambda kv: -sum(kv[1])):
            say(f"    {name:30} {len(spans):5}  {pct(spans, 50):5.2f} / {pct(spans, 95):5.2f} / {max(spans):5.2f}")

    say("\n== health ==")
    say(f"  worker: started {supervisor.starts}×, died {len(supervisor.deaths)}× "
        f"{[rc for _, rc in supervisor.deaths] or ''}; exit code at the end {worker_exit}")  # fmt: skip
    logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in supervisor.log_paths())
    say(f"  worker log: {logs.count('数据库暂时不可用')} transient-database retries, {logs.count('任务失败')} task "
        f"failures, {logs.count('Traceback')} tracebacks")  # fmt: skip
    for kind, res in loads.items():
        errs = res.get("errors") or {}
        secs = res.get("seconds") or []
        say(f"  load {kind}: {res.get('done', '?')} operations {res.get('counts', '') or ''}, "
            f"op time p50 {pct(secs, 50):.2f} s p95 {pct(secs, 95):.2f} s max {max(secs, default=0):.2f} s; "
            f"exit {res['exit']}{' (DIED EARLY)' if res['died_early'] else ''}; "
            f"errors {sum(errs.values())}")  # fmt: skip
        for key, n in sorted(errs.items(), key=lambda kv: -kv[1]):
            say(f"    {n:5} × {key}")
    from django.db.models import Count

    from gongkai.applications.models import Letter

    letters = {r["status"]: r["n"] for r in Letter.objects.values("status").annotate(n=Count("pk"))}
    say(f"  letters numbered by the load: {sum(letters.values())}, by status {letters or '{}'}")
    main_errors = Counter(r["error"] for p in phases for r in results[p] if "error" in r)
    say(f"  this process (publishing): {sum(main_errors.values())} errors {dict(main_errors) or ''}")
    left = counts_after.get("READY", 0) + counts_after.get("RUNNING", 0)
    say(f"  tasks left after a drain of {drained:.0f} s (max {args.drain:g}): READY {counts_after.get('READY', 0)}, "
        f"RUNNING {counts_after.get('RUNNING', 0)}{'' if left else ' (queue empty)'}; FAILED "
        f"{counts_after.get('FAILED', 0)}; SUCCESSFUL {counts_after.get('SUCCESSFUL', 0)}")  # fmt: skip
    if left:
        pending = Counter(r["name"] for r in rows if r["status"] in ("READY", "RUNNING"))
        say(f"    still queued: {dict(pending)}")
    failed = Counter(f"{r['name']} ({r['exception']})" for r in rows if r["status"] == "FAILED")
    for key, n in failed.items():
        say(f"    failed: {n} × {key}")
    say(f"\nload average after: {' '.join(f'{x:.2f}' for x in load_avg)}; total {time.monotonic() - started_all:.0f} s "
        f"(drain {time.monotonic() - t:.0f} s)")  # fmt: skip
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not args.keep:
        import shutil

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)
    else:
        say(f"kept {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
