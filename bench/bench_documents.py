"""Documents benchmark (figures printed, never asserted): how long a letter, the annual report (PDF, DOCX,
XLSX) and the county bulletin PDF take — the first one in a fresh process and warm — on a fresh data folder
with the demo data, once with the font subsets built (as after ``make run`` / ``gongkai fonts``) and once
with them missing (the system-font fallback a fresh installation uses until the queued build has run).

    python bench/bench_documents.py [--runs 5] [--firsts 3] [--build-face] [--out bench/results/DATE-documents.txt]

Every figure of "first" comes from a process of its own that renders nothing before it; "as deployed" is
the same process prepared as in production: the task worker (letters, PDFs) imports WeasyPrint and
python-docx when it starts (``documents.apps``) and renders one small PDF before its first task
(``Worker._prepare``: ``documents.pdf.warm_up``, then ``gc.freeze``), a web worker (DOCX, XLSX) imports python-docx
and openpyxl (``gongkai.wsgi``) and has shown the report page before its first download. Goals of issue 14:
first within 1.5× of warm; warm annual-report PDF under 2 s. ``--build-face`` also times building one subset (about a
minute), which is what every first document paid before.

The bench uses SQLite in a temporary folder whatever ``DATABASE_URL`` says: rendering is not database work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOCUMENTS = ("letter", "annual_pdf", "annual_docx", "annual_xlsx", "bulletin_pdf")
LABELS = {
    "letter": "letter (DOCX + PDF, the worker's task)",
    "annual_pdf": "annual report PDF",
    "annual_docx": "annual report DOCX",
    "annual_xlsx": "annual report XLSX",
    "bulletin_pdf": "county bulletin PDF",
}


def child_env(data_dir: Path, font_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.settings",
        GONGKAI_ENV="development",
        GONGKAI_DATA_DIR=str(data_dir),
        GONGKAI_FONT_DIR=str(font_dir),
        # Nothing runs in the background here: a letter stays numbered-but-not-rendered until this script
        # renders it, and a missing font subset is queued, not built.
        GONGKAI_TASK_BACKEND="django_tasks.backends.dummy.DummyBackend",
    )
    return env


def setup_data(data_dir: Path, font_dir: Path) -> float:
    """``migrate`` + ``demo`` in a fresh data folder; returns the seconds it took."""
    started = time.perf_counter()
    gongkai = str(Path(sys.executable).with_name("gongkai"))
    env = child_env(data_dir, font_dir)
    for args in (["migrate", "--noinput", "-v0"], ["demo"]):
        subprocess.run([gongkai, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def child(kind: str, runs: int, mode: str) -> dict[str, Any]:
    """One process: the first document of ``kind``, then ``runs`` more (warm).

    ``mode``: "bare" renders first thing after ``django.setup()``; "worker" imports WeasyPrint at start and
    sends ``worker_starting`` as ``gongkai worker`` does (documents.apps, Worker._prepare); "web" imports
    python-docx and openpyxl as gongkai.wsgi does and renders the staff page's preview first, as the user
    sees the report page before clicking a download.
    """
    started = time.perf_counter()
    if mode in ("worker", "web"):
        import docx  # noqa: F401  (documents.apps and gongkai.wsgi import it when the process starts)
    if mode == "worker":
        import weasyprint  # noqa: F401  (documents.apps, in the task worker)
    if mode == "web":
        import openpyxl  # noqa: F401  (gongkai.wsgi, in a web worker)
    import django

    django.setup()
    boot = time.perf_counter() - started
    if mode == "worker":
        from gongkai.worker.loop import Worker

        prepared = time.perf_counter()
        # What `gongkai worker` does before its first claim: the PDF warm-up, then gc.freeze().
        Worker(queue_names=["default"], batch=True)._prepare()
        extra_prepare = time.perf_counter() - prepared
    else:
        extra_prepare = 0.0
    from django.db.models import Count

    from gongkai.catalog.models import Entry
    from gongkai.orgs.models import Membership, Org, OrgKind, Role
    from gongkai.reports import bulletin, render

    year = date.today().year - 1
    busiest = (
        Entry.objects.filter(published_date__year=year).values("unit_id").annotate(n=Count("pk")).order_by("-n").first()
    )
    town = Org.objects.get(pk=busiest["unit_id"]) if busiest else Org.objects.get(code="QH0101")
    county = Org.objects.get(kind=OrgKind.COUNTY, parent=None)
    last_month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    times: list[float] = []
    extra: dict[str, Any] = {"prepare_s": extra_prepare}
    if mode == "web" and kind.startswith("annual"):
        render.body_html(render.build(town, year), with_charts=True)  # the report page, before the download
    if kind == "letter":
        from tests.applications.conftest import applicant

        from gongkai.applications import intake, letters, replies

        admin = Membership.objects.filter(org=town, role=Role.UNIT_ADMIN).select_related("user").first()
        assert admin is not None, "the demo data has a 公开办管理员 in every unit"
        app, _ = intake.enter_application(
            actor=admin.user, unit=town, data=applicant(), channel="in_person", received_on=date(2025, 3, 3)
        )
        replies.reply(actor=admin.user, application=app, result="granted", on=date(2025, 3, 10))
        numbering = []
        rows = []
        for i in range(runs + 1):  # the request's part: number and freeze the text, queue the rendering
            t = time.perf_counter()
            rows.append(
                letters.generate(
                    actor=admin.user, application=app, kind="grant", on=date(2025, 3, 10) + timedelta(days=i)
                )
            )
            numbering.append(time.perf_counter() - t)
        extra["request_ms"] = {"first": numbering[0] * 1000, "warm": statistics.median(numbering[1:]) * 1000}
        for row in rows:
            t = time.perf_counter()
            assert letters.render(row.pk) == "done"
            times.append(time.perf_counter() - t)
    else:
        fmt = kind.split("_")[1]
        for _ in range(runs + 1):
            t = time.perf_counter()
            if kind.startswith("annual"):
                out = render.render(render.build(town, year), fmt)
            else:
                out = bulletin.render(bulletin.bulletin_data(county, last_month), fmt)
            times.append(time.perf_counter() - t)
            extra["bytes"] = len(out)
    from gongkai.documents import fonts

    return {
        "kind": kind,
        "boot_s": boot,
        "first_s": times[0],
        "warm_s": statistics.median(times[1:]),
        "warm_all": times[1:],
        "subsets_built": not fonts.missing_faces(),
        **extra,
    }


def run_child(kind: str, data_dir: Path, font_dir: Path, runs: int, mode: str) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", kind, "--runs", str(runs), "--mode", mode]
    out = subprocess.run(args, env=child_env(data_dir, font_dir), capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"child {kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> list[str]:
    import weasyprint
    from weasyprint.text.ffi import harfbuzz_subset

    info = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), platform.processor())
    return [
        f"machine: {cpu}, {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
        f"HarfBuzz subsetting {'yes' if harfbuzz_subset else 'no (fontTools)'}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="告知书、年度报告、通报的生成时间（首次与预热后）")
    parser.add_argument("--runs", type=int, default=5, help="warm renders after the first (median shown)")
    parser.add_argument("--firsts", type=int, default=3, help="fresh processes per deployed first (median shown)")
    parser.add_argument("--build-face", action="store_true", help="also time building one font subset")
    parser.add_argument("--out", help="also write the figures to this file (bench/results/DATE-documents.txt)")
    parser.add_argument("--child", choices=DOCUMENTS, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=("bare", "worker", "web"), default="bare", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.runs, args.mode)))
        return 0

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_ENV", "development")
    import django

    django.setup()
    from gongkai.documents import fonts

    installed = fonts.font_dir()
    say(f"documents benchmark, {date.today().isoformat()}")
    for line in machine():
        say(line)
    say(f"installation's font subsets: {installed} ({'built' if not fonts.missing_faces() else 'MISSING'})")
    if fonts.missing_faces():
        say("  run `gongkai fonts` first for the 'subsets built' figures; they are measured with the fallback")
    work = Path(tempfile.mkdtemp(prefix="gk-bench-documents-"))
    empty = work / "no-fonts"
    data = work / "data"
    say(f"fresh data folder {data}: migrate + demo in {setup_data(data, installed):.0f} s")

    results: dict[tuple[str, str], dict[str, float]] = {}
    for label, font_dir in (("subsets built", installed), ("subsets missing (system-font fallback)", empty)):
        say(f"\n== {label} ==")
        say(f"  {'document':38} {'first':>7} {'as deployed':>12} {'warm':>7} {'first/warm bare/deployed':>26}")
        for kind in DOCUMENTS:
            # Letters and PDFs are rendered by the task worker, DOCX and XLSX by the web process.
            deployed_as = "web" if kind in ("annual_docx", "annual_xlsx") else "worker"
            bare = run_child(kind, data, font_dir, args.runs, "bare")
            # One first render is one sample: the deployed figure is the median over --firsts fresh processes.
            runs = [run_child(kind, data, font_dir, args.runs, deployed_as) for _ in range(args.firsts)]
            firsts = sorted(r["first_s"] for r in runs)
            deployed = dict(runs[0], first_s=statistics.median(firsts))
            deployed["prepare_s"] = statistics.median(r.get("prepare_s", 0.0) for r in runs)
            warm = statistics.median(bare["warm_all"] + [w for r in runs for w in r["warm_all"]])
            results[(label, kind)] = {"first": bare["first_s"], "deployed": deployed["first_s"], "warm": warm}
            say(
                f"  {LABELS[kind]:38} {bare['first_s']:6.2f}s {deployed['first_s']:7.2f}s ({deployed_as:6}) "
                f"{warm:6.2f}s {bare['first_s'] / warm:14.2f}× / {deployed['first_s'] / warm:.2f}×"
            )
            if len(firsts) > 1:
                spread = " ".join(f"{x:.2f}" for x in firsts)
                say(f"  {'  … first as deployed in each fresh process':52} {spread} (median above)")
            if deployed.get("prepare_s"):
                say(f"  {'  … worker start-up warm-up, before its first task':52} {deployed['prepare_s']:.2f}s")
            if kind == "letter":
                ms = bare["request_ms"]
                request = "  … the request (number, freeze, queue)"
                say(f"  {request:38} {ms['first']:5.0f}ms {'':21} {ms['warm']:5.0f}ms")
            if "bytes" in bare:
                say(f"  {'':38} {bare['bytes'] / 1024:.0f} KB")
        say(f"  (process start to first render: django.setup() {bare['boot_s']:.2f} s, not included above)")

    say("\n== goals (issue 14) ==")
    built = results[("subsets built", "annual_pdf")]
    fallback = results[("subsets missing (system-font fallback)", "annual_pdf")]
    say(f"  warm annual-report PDF under 2 s: {built['warm']:.2f} s (fallback {fallback['warm']:.2f} s)")
    for kind in ("letter", "annual_pdf", "annual_docx", "annual_xlsx", "bulletin_pdf"):
        r = results[("subsets built", kind)]
        say(
            f"  first {LABELS[kind]} within 1.5× of warm: {r['deployed'] / r['warm']:.2f}× as deployed "
            f"(bare process {r['first'] / r['warm']:.2f}×)"
        )
    say("  before this change (issue 14 report): first annual-report PDF on a fresh data folder 139 s, second 5.5 s;")
    say("  DOCX 5.8 s; the first letter 2½–5½ minutes, inside its transaction")

    if args.build_face:
        face = fonts.FACES[0]
        target = work / "build"
        started = time.perf_counter()
        env = child_env(data, target)
        code = "import django; django.setup(); from gongkai.documents import fonts; fonts.build_face(fonts.FACES[0])"
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        say(f"\nbuilding one subset ({face.role}, {face.key}): {time.perf_counter() - started:.0f} s")
    say(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
