"""A real streaming replica of the test PostgreSQL server, for the router tests.

``pg_basebackup -R`` copies the running server (127.0.0.1:5432, the one DATABASE_URL names) into a
temporary data folder, which ``pg_ctl`` starts as a hot standby on a free loopback port; it is stopped and
removed at the end of the session. No initdb, no change to the primary's data.

The one change the primary may need: a ``replication`` line in its pg_hba.conf (``all`` in pg_hba's
database column does not cover replication connections). If no such rule exists, one line is appended,
mirroring the auth method the file already uses for ``host all all 127.0.0.1/32``, and the configuration
is reloaded with ``pg_reload_conf()`` (no restart). The line is marked and added only once.
Under CI=true every failure to make or start the replica fails the tests; elsewhere it skips them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.procs import free_port

MARK = "# gongkai tests/scale/replica.py: pg_basebackup for the read-replica tests"


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"read replica unavailable under CI: {reason}")
    pytest.skip(reason)


@dataclass
class Replica:
    host: str
    port: int
    data: Path
    bindir: Path

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(host=self.host, port=self.port, user="postgres", dbname=dbname, autocommit=True)


def _as_postgres(cmd: list[str]) -> list[str]:
    """Server binaries refuse to run as root: run them as the postgres user when we are root."""
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            unavailable("running as root without runuser: cannot start PostgreSQL as the postgres user")
        return [str(runuser), "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str], timeout: float = 300) -> None:
    done = subprocess.run(_as_postgres(cmd), capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        unavailable(f"{' '.join(cmd[:2])} failed ({done.returncode}): {done.stderr.strip()[-1500:]}")


def allow_replication(primary: psycopg.Connection[Any]) -> str:
    """Make sure the primary accepts a replication connection from 127.0.0.1; returns what was done."""
    rules = primary.execute(
        "select type, database, address, auth_method from pg_hba_file_rules where error is null"
    ).fetchall()
    for kind, databases, address, _auth in rules:
        if "replication" in (databases or []) and kind.startswith("host") and address in ("127.0.0.1", "all", None):
            return "pg_hba.conf already allows replication from 127.0.0.1"
    auth = next(
        (a for k, d, addr, a in rules if k.startswith("host") and "all" in (d or []) and addr == "127.0.0.1"),
        "trust",
    )
    hba = Path(primary.execute("show hba_file").fetchone()[0])  # type: ignore[index]
    text = hba.read_text() if hba.exists() else ""
    if MARK not in text:
        try:
            with open(hba, "a") as fh:
                fh.write(f"\n{MARK}\nhost replication all 127.0.0.1/32 {auth}\n")
        except OSError as exc:
            unavailable(f"pg_hba.conf has no replication rule and cannot be edited ({exc})")
    primary.execute("select pg_reload_conf()")
    time.sleep(0.5)
    return f"appended 'host replication all 127.0.0.1/32 {auth}' to {hba} and reloaded"


def start(primary_host: str, primary_port: int) -> Replica:
    try:
        primary = psycopg.connect(
            host=primary_host, port=primary_port, user="postgres", dbname="postgres", autocommit=True
        )
    except psycopg.Error as exc:
        unavailable(f"primary not reachable: {exc}")
        raise
    with primary:
        allow_replication(primary)
        major = int(primary.execute("show server_version_num").fetchone()[0]) // 10000  # type: ignore[index]
        # A hot standby needs at least the primary's values of these.
        limits = {
            name: primary.execute(f"show {name}").fetchone()[0]  # type: ignore[index]
            for name in (
                "max_connections",
                "max_worker_processes",
                "max_wal_senders",
                "max_prepared_transactions",
                "max_locks_per_transaction",
            )
        }
    bindir = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (bindir / "pg_basebackup").exists():
        found = shutil.which("pg_basebackup")
        if found is None:
            unavailable(f"no pg_basebackup for PostgreSQL {major}")
            raise AssertionError("unreachable")
        bindir = Path(found).parent
    data = Path(tempfile.mkdtemp(prefix="gongkai-replica-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    data.chmod(0o700)
    port = free_port()
    _run(
        [
            str(bindir / "pg_basebackup"),
            "-h", primary_host, "-p", str(primary_port), "-U", "postgres",
            "-D", str(data), "-R", "-X", "stream", "-c", "fast", "--no-sync",
        ]
    )  # fmt: skip
    conf = [
        f"port = {port}",
        "listen_addresses = '127.0.0.1'",
        f"unix_socket_directories = '{data}'",
        "hot_standby = on",
        "shared_buffers = 32MB",
        "fsync = off",
        *(f"{name} = {value}" for name, value in limits.items()),
    ]
    files = {
        "postgresql.conf": "\n".join(conf) + "\n",
        "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
        "pg_ident.conf": "",
    }
    for name, body in files.items():
        path = data / name
        path.write_text(body)
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")
    replica = Replica("127.0.0.1", port, data, bindir)
    try:  # a loaded machine (the suite runs on every core) can take minutes to replay the base backup
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "-t", "240", "start"])
    except BaseException:
        stop(replica)  # it may still come up after pg_ctl gave up: never leave it running
        raise
    deadline = time.monotonic() + 60
    while True:
        try:
            with replica.connect() as conn:
                if conn.execute("select pg_is_in_recovery()").fetchone()[0]:  # type: ignore[index]
                    return replica
                unavailable("the copy came up as a primary, not a standby")
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                stop(replica)
                unavailable(f"replica did not accept connections: {exc}")
            time.sleep(0.3)


def stop(replica: Replica) -> None:
    subprocess.run(
        _as_postgres([str(replica.bindir / "pg_ctl"), "-D", str(replica.data), "-m", "fast", "-w", "stop"]),
        capture_output=True,
        timeout=120,
    )
    shutil.rmtree(replica.data, ignore_errors=True)
