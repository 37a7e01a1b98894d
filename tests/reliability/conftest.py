"""A live stack for reliability tests: a fresh PostgreSQL database reached through a TCP proxy the test
can cut (a database outage), the app under gunicorn in production mode, the site folder under nginx.

Everything runs as separate processes, as in a deployment, so "kill" and "stop" mean the real thing.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg
import pytest

from tests.procs import free_port, stop, wait_http

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv/bin"


class Proxy:
    """Forwards a local port to the database server until `stop()` cuts every connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._server: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        self._server = socket.create_server(("127.0.0.1", self.port))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, args=(self._server,), daemon=True).start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            server.close()
        with self._lock:
            conns, self._conns = self._conns, set()
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
            c.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@dataclass
class Stack:
    env: dict[str, str]
    data_dir: Path
    proxy: Proxy
    direct_dsn: str
    info: dict[str, Any]
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def site(self) -> Path:
        return self.data_dir / "site"

    def gongkai(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(BIN / "gongkai"), *args], env=self.env, cwd=ROOT, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"gongkai {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def popen(self, *args: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            args, env=self.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def sql(self, query: str, *params: Any) -> list[tuple]:
        with psycopg.connect(self.direct_dsn) as conn:
            return list(conn.execute(query, params).fetchall())

    @contextlib.contextmanager
    def gunicorn(self, workers: int = 4) -> Iterator[str]:
        port = free_port()
        proc = self.popen(
            str(BIN / "gunicorn"),
            "gongkai.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{base}/staff/login/")
            yield base
        finally:
            stop(proc)

    @contextlib.contextmanager
    def nginx(self) -> Iterator[str]:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            pytest.fail("nginx is missing: scripts/install-browser.sh installs it (make system-deps)")
        tmp = Path(tempfile.mkdtemp(prefix="gk-nginx-"))
        port = free_port()
        # as root, nginx's workers would drop to "nobody", who cannot read pytest's private temp folders
        user = "user root;" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(f"""
{user} worker_processes 1; daemon off; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{ include /etc/nginx/mime.types; access_log off; charset utf-8;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp};
  scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{port}; root {self.site}; location ~ /\\. {{ return 404; }}
    location / {{ try_files $uri $uri/index.html =404; }} }} }}
""")
        proc = self.popen(nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp))
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{base}/")
            yield base
        finally:
            stop(proc)
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    url = urlparse(os.environ["DATABASE_URL"])
    host, port, user = url.hostname or "127.0.0.1", url.port or 5432, url.username or "postgres"
    name = f"gk_live_{os.getpid()}_{secrets.token_hex(3)}"
    admin_dsn = f"host={host} port={port} user={user} dbname={url.path.lstrip('/') or 'postgres'}"
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    proxy = Proxy((host, port))
    proxy.start()
    data_dir = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "GONGKAI_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "GONGKAI_AUDIT_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://{user}@127.0.0.1:{proxy.port}/{name}",
        "GONGKAI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "tests.reliability.live_settings",
        "PYTHONPATH": str(ROOT),
        "GONGKAI_BEHIND_TLS_PROXY": "1",
    }
    for key in ("GONGKAI_DEBUG", "GONGKAI_TASK_BACKEND", "GONGKAI_SITE_DIR", "GONGKAI_MEDIA_DIR"):
        env.pop(key, None)
    direct = f"host={host} port={port} user={user} dbname={name}"
    live = Stack(env=env, data_dir=data_dir, proxy=proxy, direct_dsn=direct, info={})
    try:
        live.gongkai("migrate", "--noinput")
        setup = subprocess.run(
            [str(BIN / "python"), "-m", "tests.reliability.live_setup", "40"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert setup.returncode == 0, setup.stderr
        live.info = json.loads(setup.stdout.strip().splitlines()[-1])
        yield live
    finally:
        for proc in live.procs:
            stop(proc)
        proxy.stop()
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
