"""Push: a real HTTP endpoint on loopback checks the signature, fails, then accepts; the records arrive
signed, once each, in sequence order, after the retry."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from gongkai.harvest.models import HarvestChange, PushAttempt, PushState
from gongkai.harvest.tasks import push_changes

SECRET = "s3cret-推送"


class Endpoint:
    """What the resource library runs: verifies each POST, answers from a script (then 200)."""

    def __init__(self) -> None:
        self.script: list[str] = []  # "500", "slow" … for the next requests, then "ok"
        self.accepted: list[dict[str, Any]] = []
        self.requests = 0
        self.bad_signatures = 0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.requests += 1
                stamp = self.headers.get("X-Gongkai-Timestamp", "")
                mac = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                if (
                    not hmac.compare_digest(self.headers.get("X-Gongkai-Signature", ""), f"sha256={mac}")
                    or abs(time.time() - int(stamp or 0)) > 300
                ):
                    endpoint.bad_signatures += 1
                    self._answer(401)
                    return
                step = endpoint.script.pop(0) if endpoint.script else "ok"
                if step == "slow":
                    time.sleep(1.0)
                    self._answer(200)  # too late: the sender has given up
                    return
                if step != "ok":
                    self._answer(int(step))
                    return
                endpoint.accepted.append(json.loads(body))
                self._answer(200)

            def _answer(self, status: int) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/gongkai-push"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def seqs(self) -> list[int]:
        return [r["seq"] for batch in self.accepted for r in batch["records"]]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    ep = Endpoint()
    try:
        yield ep
    finally:
        ep.close()


@pytest.fixture
def push_settings(settings: Any, endpoint: Endpoint) -> Any:
    def on() -> None:
        settings.GONGKAI_PUSH_URL = endpoint.url
        settings.GONGKAI_PUSH_SECRET = SECRET
        settings.GONGKAI_PUSH_BATCH = 3
        settings.GONGKAI_PUSH_TRIES = 2
        settings.GONGKAI_PUSH_BACKOFF = 0.01
        settings.GONGKAI_PUSH_TIMEOUT = 0.3

    return on


def test_records_arrive_signed_once_each_in_order_after_a_retry(
    history: dict[str, Any], endpoint: Endpoint, push_settings: Any
) -> None:
    push_settings()
    endpoint.script = ["500"]
    sent = push_changes.call()
    everything = list(HarvestChange.objects.order_by("id").values_list("id", flat=True))
    assert sent == len(everything) == 7
    assert endpoint.seqs() == everything  # once each, in order
    assert endpoint.bad_signatures == 0
    assert endpoint.requests == 1 + 3  # the refused first batch, then three batches of at most 3
    assert [b["last_seq"] for b in endpoint.accepted] == [everything[2], everything[5], everything[6]]
    first = endpoint.accepted[0]["records"][0]
    assert first["change"] == "published" and first["title"] == "东山镇农村低保实施办法" and first["attachments"]
    attempts = list(PushAttempt.objects.order_by("id"))
    assert [(a.ok, a.status_code) for a in attempts] == [(False, 500), (True, 200), (True, 200), (True, 200)]
    assert PushState.objects.get(url=endpoint.url).last_acked == everything[-1]
    assert push_changes.call() == 0 and endpoint.requests == 4  # nothing left to send


def test_publication_enqueues_the_push_on_commit(
    tree: Any, draft: Any, publish: Any, committed: Any, endpoint: Endpoint, push_settings: Any
) -> None:
    push_settings()
    entry = committed(publish, draft(title="推送测试通知"))
    assert [r["index_number"] for r in endpoint.accepted[0]["records"]] == [entry.index_number]
    assert endpoint.accepted[0]["records"][0]["url"].startswith("http")


def test_failures_wait_and_nothing_is_lost(history: dict[str, Any], endpoint: Endpoint, push_settings: Any) -> None:
    push_settings()
    endpoint.script = ["503", "slow", "500"]
    assert push_changes.call() == 0  # both tries of the first batch failed (an error, then a timeout)
    state = PushState.objects.get(url=endpoint.url)
    assert state.last_acked == 0 and state.failures == 1 and state.next_attempt_at > timezone.now()
    assert [a.ok for a in PushAttempt.objects.all()] == [False, False]
    assert PushAttempt.objects.filter(status_code=None).exclude(error="").count() == 1  # the timeout
    requests = endpoint.requests
    assert push_changes.call() == 0 and endpoint.requests == requests  # still in the pause: no request
    PushState.objects.filter(pk=state.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert push_changes.call() == 7  # "500" once more, then the retry and the rest
    assert endpoint.seqs() == list(HarvestChange.objects.order_by("id").values_list("id", flat=True))
    state.refresh_from_db()
    assert state.failures == 0 and state.next_attempt_at is None


def test_no_push_without_a_url(history: dict[str, Any], endpoint: Endpoint) -> None:
    assert push_changes.call() == 0
    assert endpoint.requests == 0 and not PushState.objects.exists()
