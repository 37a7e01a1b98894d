"""Real processes for the worker tests: a database of the test's own (a SQLite file, or on the PostgreSQL run a
fresh PostgreSQL database), `gongkai worker` and helpers as child processes, and plain SQL from the test to
look at the task table. The in-process test database and its ImmediateBackend play no part."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.procs import stop

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv/bin"
TASKS = "django_tasks_database_dbtaskresult"


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _base_env(data_dir: Path, flags: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "GONGKAI_ENV": "test",
        "GONGKAI_DATA_DIR": str(data_dir),
        "GK_TEST_FLAGS": str(flags),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    for key in ("DATABASE_URL", "GONGKAI_TASK_BACKEND", "GONGKAI_SITE_DIR", "GONGKAI_MEDIA_DIR", "GONGKAI_DEBUG"):
        env.pop(key, None)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@dataclass
class TaskSite:
    """One database and the processes working on it."""

    root: Path
    env: dict[str, str]
    db_file: Path | None = None  # SQLite
    pg_dsn: str | None = None  # PostgreSQL
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def flags(self) -> Path:
        return Path(self.env["GK_TEST_FLAGS"])

    def gongkai(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return _run([str(BIN / "gongkai"), *args], {**self.env, **env})

    def enqueue(self, *specs: tuple[str, list[Any]]) -> list[str]:
        out = _run([str(BIN / "python"), "-m", "tests.worker.enqueue", json.dumps(specs)], self.env)
        return list(json.loads(out.stdout.strip().splitlines()[-1]))

    def worker(self, name: str = "worker", *args: str, **env: str) -> tuple[subprocess.Popen, Path]:
        log = self.root / f"{name}.log"
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [str(BIN / "gongkai"), "worker", "--interval", "0.1", *args],
                env={**self.env, **env},
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        return proc, log

    def popen(self, *args: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            args, env=self.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def sql(self, query: str, *params: Any) -> list[tuple]:
        if self.db_file is not None:
            conn = sqlite3.connect(self.db_file, timeout=30)
            try:
                return list(conn.execute(query.replace("%s", "?"), params).fetchall())
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.pg_dsn or "") as conn:
            return list(conn.execute(query, params).fetchall())  # type: ignore[arg-type]

    def statuses(self, ids: list[str] | None = None) -> dict[str, str]:
        rows = self.sql(f"SELECT id, status FROM {TASKS}")
        # SQLite stores the UUID without dashes, PostgreSQL as a uuid
        found = {str(i).replace("-", ""): s for i, s in rows}
        return {i: found.get(i.replace("-", ""), "?") for i in ids} if ids is not None else found

    def flag(self, name: str) -> None:
        (self.flags / name).write_text("1")


def wait_for(check: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for: {what}")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per session; each test works on a copy of the file."""
    root = tmp_path_factory.mktemp("ops-sqlite-template")
    _run([str(BIN / "gongkai"), "migrate", "--noinput"], _base_env(root, root))
    return root / "gongkai.sqlite3"


def _with_db(url: str, name: str) -> str:
    return urlparse(url)._replace(path=f"/{name}").geturl()


def _admin_dsn(url: str) -> str:
    p = urlparse(url)
    return f"host={p.hostname or '127.0.0.1'} port={p.port or 5432} user={p.username or 'postgres'} dbname=postgres"


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str]:
    """A migrated PostgreSQL database that each test clones (CREATE DATABASE … TEMPLATE)."""
    import psycopg

    url = _pg_url()
    assert url is not None
    template = f"gk_ops_tmpl_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{template}"')
    try:
        env = {**_base_env(Path("/tmp"), Path("/tmp")), "DATABASE_URL": _with_db(url, template)}
        _run([str(BIN / "gongkai"), "migrate", "--noinput"], env)
        yield template
    finally:
        with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


def _sqlite_copy(template: Path, root: Path) -> TaskSite:
    flags = root / "flags"
    flags.mkdir()
    shutil.copy(template, root / "gongkai.sqlite3")
    return TaskSite(root=root, env=_base_env(root, flags), db_file=root / "gongkai.sqlite3")


@pytest.fixture
def task_site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TaskSite]:
    """A fresh database of the run's kind: a SQLite file on the SQLite run, PostgreSQL on the PostgreSQL run."""
    url = _pg_url()
    drop = None
    if url is None:
        site = _sqlite_copy(request.getfixturevalue("_sqlite_template"), tmp_path)
    else:
        import psycopg

        template = request.getfixturevalue("_pg_template")
        drop = f"gk_ops_{os.getpid()}_{secrets.token_hex(3)}"
        with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{drop}" TEMPLATE "{template}"')
        flags = tmp_path / "flags"
        flags.mkdir()
        env = {**_base_env(tmp_path, flags), "DATABASE_URL": _with_db(url, drop)}
        p = urlparse(url)
        dsn = f"host={p.hostname or '127.0.0.1'} port={p.port or 5432} user={p.username or 'postgres'} dbname={drop}"
        site = TaskSite(root=tmp_path, env=env, pg_dsn=dsn)
    try:
        yield site
    finally:
        for proc in site.procs:
            stop(proc)
        if drop is not None and url is not None:
            import psycopg

            with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')


@pytest.fixture
def sqlite_site(_sqlite_template: Path, tmp_path: Path) -> Iterator[TaskSite]:
    """Always a SQLite file database (the lock test is about SQLite's single writer), whatever the run."""
    site = _sqlite_copy(_sqlite_template, tmp_path)
    try:
        yield site
    finally:
        for proc in site.procs:
            stop(proc)


LOCKER = """
import sqlite3, sys, time, pathlib
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
release = pathlib.Path(sys.argv[2])
deadline = time.monotonic() + 120
while not release.exists() and time.monotonic() < deadline:
    time.sleep(0.02)
conn.execute("COMMIT")
print("released", flush=True)
"""


class Locker:
    """Another process holding SQLite's write lock (BEGIN IMMEDIATE) until released."""

    def __init__(self, site: TaskSite, name: str) -> None:
        assert site.db_file is not None
        self.release_file = site.root / f"release-{name}"
        self.proc = site.popen(sys.executable, "-c", LOCKER, str(site.db_file), str(self.release_file))
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line == "locked", (line, self.proc.stderr.read() if self.proc.stderr else "")
        self.since = time.monotonic()

    def release(self) -> float:
        """Returns how long the lock was held."""
        self.release_file.write_text("1")
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "released"
        self.proc.wait(timeout=30)
        return time.monotonic() - self.since


# --- in-process helpers (the pytest database) --------------------------------------------------------------


@pytest.fixture
def db_tasks(settings: Any) -> None:
    """Queue into the task table, as production does, instead of running tasks on the spot (tests/conftest.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def claim_as(worker_id: str, *, seen_ago: float | None, started_ago: float) -> Any:
    """Claim the next queued task as worker ``worker_id`` through the worker's own claiming code; its heartbeat
    then reads ``seen_ago`` seconds old (None: no heartbeat at all, a stock db_worker) and the task
    ``started_ago`` seconds old. Moving the clocks back stands in for waiting."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from gongkai.worker.loop import Worker
    from gongkai.worker.models import WorkerHeartbeat

    row = Worker(queue_names=["default"], worker_id=worker_id)._claim()
    assert row is not None, "nothing queued"
    now = timezone.now()
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=now - timedelta(seconds=started_ago))
    beats = WorkerHeartbeat.objects.filter(worker_id=worker_id)
    if seen_ago is None:
        beats.delete()
    else:
        beats.update(seen_at=now - timedelta(seconds=seen_ago))
    row.refresh_from_db()
    return row
