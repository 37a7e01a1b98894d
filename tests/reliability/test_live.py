"""Reliability against a running deployment (gunicorn + PostgreSQL + nginx, separate processes):
concurrent submissions, a database outage, and processes killed in the middle of their work."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest

from .conftest import BIN, Stack, fetch

pytestmark = pytest.mark.postgres_only

APPLICANT = {
    "applicant_type": "natural_person",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "address": "清河县东山镇人民路8号",
    "info_form": "electronic",
    "delivery": "email",
    "email": "a@example.com",
}


def site_snapshot(site: Path) -> dict[str, bytes]:
    root = site.resolve()
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_complete_html(files: dict[str, bytes]) -> None:
    pages = {name: body for name, body in files.items() if name.endswith(".html")}
    assert pages
    broken = [name for name, body in pages.items() if not body.rstrip().endswith(b"</html>")]
    assert not broken, f"truncated pages: {broken[:5]}"
    assert not [n for n in files if n.endswith(".tmp")], "temporary files visible in the site folder"


def test_200_concurrent_applications_are_each_stored_once(stack: Stack) -> None:
    def submit(i: int) -> tuple[int, dict]:
        body = {**APPLICANT, "unit": stack.info["unit"], "name": f"申请人{i:03d}"}
        body["description"] = f"并发申请第{i:03d}号"
        status, text = fetch(
            f"{base}/api/v1/applications", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        return status, json.loads(text)

    with stack.gunicorn(workers=4) as base, ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(submit, range(200)))

    assert Counter(status for status, _ in results) == {201: 200}, [r for r in results if r[0] != 201][:3]
    numbers = [body["tracking_number"] for _, body in results]
    assert len(set(numbers)) == 200
    rows = stack.sql(
        "SELECT tracking_number, description FROM applications_application WHERE description LIKE '并发申请第%%'"
    )
    assert len(rows) == 200
    assert {r[0] for r in rows} == set(numbers)
    assert {r[1] for r in rows} == {f"并发申请第{i:03d}号" for i in range(200)}
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(serials[0], serials[0] + 200)), "serials have gaps or repeats"


def test_with_the_database_down_the_site_serves_and_the_app_says_so(stack: Stack) -> None:
    slug, entries = stack.info["slug"], stack.info["entries"]
    with stack.nginx() as site, stack.gunicorn(workers=2) as app:
        jar = CookieJar()
        login_page = build_opener(HTTPCookieProcessor(jar)).open(f"{app}/staff/login/").read().decode()
        assert "登录" in login_page
        token = next(c.value for c in jar if c.name == "csrftoken")
        assert fetch(f"{app}/apply/")[0] == 200

        stack.proxy.stop()  # the database is gone for the app; nginx never needed it
        try:
            for entry in entries:
                status, html = fetch(f"{site}/{slug}/info/{entry['id']}/")
                assert status == 200 and entry["title"] in html and entry["index_number"] in html
            for path in ("/", f"/{slug}/", f"/{slug}/guide/", f"/{slug}/catalog/", "/sitemap.xml", f"/{slug}/feed.xml"):
                assert fetch(f"{site}{path}")[0] == 200, path

            for path in ("/apply/", "/search/?q=%E4%BD%8E%E4%BF%9D", f"/{slug}/info/{entries[0]['id']}/"):
                status, html = fetch(f"{app}{path}")
                assert status == 503 and "暂时无法服务" in html and "Traceback" not in html, (path, status)
            # a login needs the database (account, lockout counters): as nginx would forward it over TLS
            form = urlencode({"csrfmiddlewaretoken": token, "username": "town_admin", "password": "x"}).encode()
            status, html = fetch(
                f"{app}/staff/login/",
                form,
                {
                    "Cookie": f"csrftoken={token}",
                    "X-Forwarded-Proto": "https",
                    "Referer": f"https://{app.removeprefix('http://')}/staff/login/",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            assert status == 503 and "暂时无法服务" in html and "Traceback" not in html
            # a signed-in officer: the session lookup itself fails, inside the middleware
            status, html = fetch(f"{app}/staff/", headers={"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz123456"})
            assert status == 503 and "暂时无法服务" in html and "Traceback" not in html
            status, text = fetch(f"{app}/api/v1/applications/YSQ-X-2026-00001?code=ABCDEFGH")
            assert status == 503 and json.loads(text)["error"]["code"] == "unavailable"
        finally:
            stack.proxy.start()
        assert fetch(f"{app}/apply/")[0] == 200  # back without a restart


def test_a_site_build_killed_midway_leaves_the_old_site_whole(stack: Stack) -> None:
    before = site_snapshot(stack.site)
    assert_complete_html(before)
    proc = stack.popen(str(BIN / "gongkai"), "build-site")
    deadline = time.monotonic() + 60
    killed = False
    while time.monotonic() < deadline and proc.poll() is None:
        builds = list(stack.data_dir.glob(".site-build-*"))
        if builds and sum(1 for _ in builds[0].rglob("*.html")) >= 20:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.005)
    proc.wait()
    assert killed, "the build finished before it could be killed: give the fixture more entries"
    assert list(stack.data_dir.glob(".site-build-*")), "the half-written build should be left aside"
    assert site_snapshot(stack.site) == before  # every byte of the served site is the old one

    stack.gongkai("build-site")
    assert not list(stack.data_dir.glob(".site-build-*")), "the next build clears the half-written one"
    after = site_snapshot(stack.site)
    assert_complete_html(after)
    for entry in stack.info["entries"]:
        assert f"{stack.info['slug']}/info/{entry['id']}/index.html" in after


TASKS = "django_tasks_database_dbtaskresult"


def test_a_worker_killed_mid_refresh_leaves_whole_pages_and_its_work_is_picked_up_again(stack: Stack) -> None:
    pending = stack.sql(f"SELECT count(*) FROM {TASKS} WHERE status = 'READY'")[0][0]
    assert pending >= 20, "the fixture's publications should have queued page refreshes"
    worker = stack.popen(str(BIN / "gongkai"), "worker", "--interval", "0.1")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and worker.poll() is None:
        done, running = stack.sql(
            f"SELECT count(*) FILTER (WHERE status = 'SUCCESSFUL'), count(*) FILTER (WHERE status = 'RUNNING') "
            f"FROM {TASKS}"
        )[0]
        if done >= 3 and running:
            os.killpg(worker.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    worker.wait()
    left = stack.sql(f"SELECT count(*) FROM {TASKS} WHERE status IN ('READY', 'RUNNING')")[0][0]
    assert left, "the worker finished everything before it could be killed"

    assert_complete_html(site_snapshot(stack.site))  # every page on disk is a whole old or new page
    assert stack.gongkai("audit", "verify", check=False).returncode == 0

    stack.gongkai("recover-tasks", "--older-than", "0")
    assert stack.sql(f"SELECT count(*) FROM {TASKS} WHERE status = 'RUNNING'")[0][0] == 0
    stack.gongkai("worker", "--batch")
    statuses = dict(stack.sql(f"SELECT status, count(*) FROM {TASKS} GROUP BY status"))
    assert set(statuses) == {"SUCCESSFUL"}, statuses
    after = site_snapshot(stack.site)
    assert_complete_html(after)
    for entry in stack.info["entries"]:
        assert entry["title"].encode() in after[f"{stack.info['slug']}/info/{entry['id']}/index.html"]


def test_publishing_killed_at_any_moment_leaves_no_half_published_entry(stack: Stack) -> None:
    unit = stack.info["unit"]
    proc = stack.popen(str(BIN / "python"), "-m", "tests.reliability.live_publish", unit, "400")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready", proc.stderr.read() if proc.stderr else ""
    published = 0
    while published < 8:  # let it get going, then kill it wherever it happens to be
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        published += 1
    time.sleep(0.137)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    rows = stack.sql(
        "SELECT e.status, e.index_number, e.index_serial, e.published_at FROM catalog_entry e "
        "JOIN orgs_org o ON o.id = e.unit_id WHERE o.code = %s AND e.title LIKE '连续发布测试%%'",
        unit,
    )
    assert len([r for r in rows if r[0] == "published"]) >= published
    for status, number, serial, published_at in rows:
        if status == "published":
            assert number and serial and published_at, (status, number)
        else:
            assert number is None and serial is None, (status, number)
    (year,) = {
        y
        for (y,) in stack.sql(
            "SELECT DISTINCT e.index_year FROM catalog_entry e JOIN orgs_org o ON o.id = e.unit_id "
            "WHERE o.code = %s AND e.title LIKE '连续发布测试%%' AND e.index_year IS NOT NULL",
            unit,
        )
    }
    serials = sorted(
        s
        for (s,) in stack.sql(
            "SELECT e.index_serial FROM catalog_entry e JOIN orgs_org o ON o.id = e.unit_id "
            "WHERE o.code = %s AND e.index_serial IS NOT NULL AND e.index_year = %s",
            unit,
            year,
        )
    )
    assert serials == list(range(1, len(serials) + 1)), "index numbers must stay gap-free"
    last = stack.sql(
        "SELECT c.last_serial FROM catalog_indexcounter c JOIN orgs_org o ON o.id = c.unit_id "
        "WHERE o.code = %s AND c.year = %s",
        unit,
        year,
    )[0][0]
    assert last == len(serials), "the counter and the entries agree"
    assert stack.gongkai("audit", "verify", check=False).returncode == 0
