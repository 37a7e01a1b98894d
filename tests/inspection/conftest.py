"""Helpers for the self-inspection tests: entries published through the services, inspections run through
``services.run_inspection``, a check's result looked up by id."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import category, make_draft, publish_entry


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def pub(tree: Any, people: dict[str, Any], calendar_until_next_year: None) -> Any:
    """Publish an entry of the township in the column ``slug``, formed today (so never late)."""

    def run(slug: str = "notices", **kwargs: Any) -> Any:
        kwargs.setdefault("formed_date", timezone.localdate())
        return publish_entry(make_draft(tree, people, category=category(tree.town, slug), **kwargs), people)

    return run


@pytest.fixture
def fresh_columns(pub: Any) -> list[Any]:
    """One entry in each watched column (通知公告, 工作动态, 政策解读, 行政规范性文件 under 法规文件) and the guide."""
    return [pub("notices"), pub("news", genre="动态"), pub("interpretation", genre="解读"), pub("guide")]


def check(result: dict[str, Any], check_id: str) -> dict[str, Any]:
    [row] = [c for c in result["checks"] if c["id"] == check_id]
    return row


def later(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


class LoopbackSite(http.server.ThreadingHTTPServer):
    """A web server on loopback standing in for the public site or the 政务服务网: every GET answers ``status``,
    or the status of the first ``statuses`` prefix the path starts with; ``seen`` lists the paths asked for."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _LoopbackHandler)
        self.status = 200
        self.statuses: dict[str, int] = {}
        self.seen: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def status_for(self, path: str) -> int:
        return next((code for prefix, code in self.statuses.items() if path.startswith(prefix)), self.status)


class _LoopbackHandler(http.server.BaseHTTPRequestHandler):
    server: LoopbackSite

    def do_GET(self) -> None:
        self.server.seen.append(self.path)
        body = "<html><body>东山镇</body></html>".encode()
        self.send_response(self.server.status_for(self.path))
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    srv = LoopbackSite()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()
