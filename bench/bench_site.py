"""Public-site benchmarks (figures printed, never asserted).

1. Time for one publication to reach the site folder, with 10,000 and 1,000,000 entries in the database.
2. Entry-page throughput/latency: nginx serving the site folder vs gunicorn+Django rendering it (wrk, loopback).

    python bench/bench_site.py --sizes 10000,1000000 [--wrk-seconds 10]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _setup(data_dir: Path) -> None:
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("GONGKAI_ENV", "development")
    os.environ["GONGKAI_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def measure_publication(entries: int, units: int, runs: int) -> dict[str, float]:
    """Publishes ``runs`` entries through the real workflow and times until their page is on disk."""
    from django.conf import settings

    from bench import corpus
    from gongkai.accounts.services import create_user
    from gongkai.catalog import services
    from gongkai.orgs.models import Role
    from gongkai.orgs.services import grant_role
    from gongkai.portal import builder, paths, writer

    t0 = time.monotonic()
    made = corpus.generate(entries, units)
    print(f"  corpus: {made['entries']} entries / {units} units in {made['seconds']:.0f} s", flush=True)
    unit = made["units"][0]
    people = {}
    for role in (Role.DRAFTER, Role.REVIEWER, Role.SIGNER):
        user = create_user(actor=None, username=f"b-{role}", password="Bench-2025!x", full_name=role)
        grant_role(actor=None, user=user, org=unit, role=role)
        people[role] = user
    # The live site need not be fully built to time a refresh: the same pages are written either way.
    site = Path(settings.SITE_DIR)
    site.mkdir(parents=True, exist_ok=True)
    for page in builder.site_pages():
        writer.write_page(site, page)
    from gongkai.catalog.models import Category

    cat = Category.objects.filter(unit=unit, slug="dibao").get()
    timings, files = [], []
    for n in range(runs):
        entry = services.create_draft(
            actor=people[Role.DRAFTER],
            unit=unit,
            category=cat,
            title=f"基准测试低保名单公示第{n}批",
            formed_date=time.strftime("%Y-%m-%d"),
            summary="基准测试。",
            body="<p>基准测试正文。</p>",
        )
        entry = services.submit_for_review(actor=people[Role.DRAFTER], entry=entry)
        entry = services.review_pass(actor=people[Role.REVIEWER], entry=entry)
        start = time.perf_counter()
        services.sign_and_publish(actor=people[Role.SIGNER], entry=entry)
        target = paths.file_for(site, paths.entry_page(unit.slug, entry.pk))
        while not target.exists():
            time.sleep(0.001)
            if time.perf_counter() - start > 60:
                raise RuntimeError("page never reached the site folder")
        timings.append(time.perf_counter() - start)
        files.append(len(builder.refresh_entry(entry.pk, [cat.pk])))
    print(f"  setup total {time.monotonic() - t0:.0f} s", flush=True)
    return {
        "median_s": statistics.median(timings),
        "max_s": max(timings),
        "unit_entries": unit.entries.count(),
        "entry_id": entry.pk,
        "unit_slug": unit.slug,
    }


def _wrk(url: str, seconds: int) -> dict[str, str]:
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    lat = re.search(r"Latency\s+(\S+)", out)
    p99 = re.search(r"99%\s+(\S+)", out)
    return {
        "rps": rps.group(1) if rps else "?",
        "avg": lat.group(1) if lat else "?",
        "p99": p99.group(1) if p99 else "?",
    }


def _wait_port(port: int, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


def serve_compare(data_dir: Path, unit_slug: str, entry_id: int, seconds: int) -> None:
    from django.conf import settings

    from gongkai.catalog.models import Entry
    from gongkai.portal import builder, paths, render, selectors, writer

    entry = selectors.entries_for_pages(Entry.objects.filter(pk=entry_id)).get()
    site = Path(settings.SITE_DIR)
    writer.write_page(site, render.entry_page(entry, selectors.CategoryTree.load(entry.unit)))
    builder.copy_static(site)
    url = paths.entry_page(unit_slug, entry_id)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists() or not shutil.which("wrk"):
        print("  nginx or wrk missing (scripts/install-browser.sh installs them): serving benchmark skipped")
        return
    tmp = Path(tempfile.mkdtemp(prefix="gk-nginx-"))
    nport, gport = _free_port(), _free_port()
    (tmp / "nginx.conf").write_text(f"""
worker_processes 1; daemon off; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{ include /etc/nginx/mime.types; access_log off; sendfile on; etag on;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp};
  scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{nport}; root {site.resolve()}; gzip_static on;
    location / {{ add_header Cache-Control "public, max-age=300"; try_files $uri $uri/index.html =404; }} }} }}
""")
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir)}
    procs = [
        subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], stderr=subprocess.DEVNULL),
        subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "gongkai.wsgi",
                "-b",
                f"127.0.0.1:{gport}",
                "-w",
                "2",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=str(ROOT),
        ),
    ]
    try:
        _wait_port(nport)
        _wait_port(gport)
        n = _wrk(f"http://127.0.0.1:{nport}{url}", seconds)
        g = _wrk(f"http://127.0.0.1:{gport}{url}", seconds)
        print(f"  nginx (static file):   {n['rps']:>10} req/s  avg {n['avg']:>8}  p99 {n['p99']}")
        print(f"  gunicorn+Django (2 w): {g['rps']:>10} req/s  avg {g['avg']:>8}  p99 {g['p99']}")
        with contextlib.suppress(ValueError, ZeroDivisionError):
            print(f"  ratio nginx/gunicorn:  {float(n['rps']) / float(g['rps']):.1f}x")
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def run_size(entries: int, units: int, runs: int, wrk_seconds: int, keep: bool) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix=f"gk-bench-{entries}-", dir=os.environ.get("GONGKAI_BENCH_DIR")))
    child = os.fork()
    if child == 0:  # each corpus size in its own process: Django is set up once per process
        try:
            _setup(data_dir)
            print(f"== {entries:,} entries", flush=True)
            r = measure_publication(entries, units, runs)
            print(
                f"  one publication → site folder: median {r['median_s'] * 1000:.0f} ms, max "
                f"{r['max_s'] * 1000:.0f} ms ({runs} runs; its unit has {r['unit_entries']} entries)",
                flush=True,
            )
            if wrk_seconds:
                serve_compare(data_dir, r["unit_slug"], r["entry_id"], wrk_seconds)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    if not keep:
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="公开网站基准测试：增量发布耗时、nginx 与 gunicorn 吞吐对比")
    parser.add_argument("--sizes", default="10000,1000000", help="语料规模（逗号分隔）")
    parser.add_argument("--per-unit", type=int, default=700, help="每个公开主体平均信息数（决定单位个数）")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--wrk-seconds", type=int, default=10, help="0 跳过 nginx/gunicorn 对比")
    parser.add_argument("--keep", action="store_true", help="保留数据目录")
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}, "
        f"DB {os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}"
    )
    for i, size in enumerate(int(s) for s in args.sizes.split(",")):
        units = max(10, size // args.per_unit)
        run_size(size, units, args.runs, args.wrk_seconds if i == 0 else 0, args.keep)


if __name__ == "__main__":
    main()
