"""Push: the change log POSTed to the endpoint the sysadmin configured (``GONGKAI_PUSH_URL``).

Each request carries the records after the endpoint's last acknowledged sequence, in sequence order, as
``{"records": [...], "last_seq": N}``, signed: ``X-Gongkai-Timestamp`` (Unix seconds) and
``X-Gongkai-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, keyed with GONGKAI_PUSH_SECRET>``.
A 2xx answer acknowledges the batch; anything else (or no answer within the timeout) is retried with growing
pauses, and the batch is sent again later — nothing is skipped, nothing is acknowledged twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import selectors
from .models import HarvestChange, PushAttempt, PushState

log = logging.getLogger(__name__)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@dataclass
class Outcome:
    sent: int = 0  # records acknowledged
    failed: bool = False
    busy: bool = False  # another worker holds the endpoint
    retry_at: datetime | None = None


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def _post(url: str, body: bytes, secret: str) -> tuple[int | None, str]:
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "gongkai-harvest/1",
            "X-Gongkai-Timestamp": timestamp,
            "X-Gongkai-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=_setting("GONGKAI_PUSH_TIMEOUT", 10)) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return None, str(getattr(exc, "reason", exc))[:300]


def _lease(url: str, seconds: float) -> PushState | None:
    """Take the endpoint for this worker (a lease row, not a lock held across HTTP); None if taken."""
    now = timezone.now()
    PushState.objects.get_or_create(url=url)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    if not PushState.objects.filter(free, url=url).update(lease_until=now + timedelta(seconds=seconds)):
        return None
    return PushState.objects.get(url=url)


def _pending(state: PushState, size: int) -> list[HarvestChange]:
    return list(HarvestChange.objects.filter(id__gt=state.last_acked).order_by("id")[:size])


def push_pending(*, force: bool = False) -> Outcome:
    """Send everything after the last acknowledged sequence, batch by batch, until done or failing.

    ``force`` ignores the pause after earlier failures (``gongkai harvest-push``)."""
    url = getattr(settings, "GONGKAI_PUSH_URL", "")
    secret = getattr(settings, "GONGKAI_PUSH_SECRET", "")
    outcome = Outcome()
    if not url:
        return outcome
    size = int(_setting("GONGKAI_PUSH_BATCH", 100))
    tries = max(1, int(_setting("GONGKAI_PUSH_TRIES", 3)))
    pause = _setting("GONGKAI_PUSH_BACKOFF", 2)
    lease = (_setting("GONGKAI_PUSH_TIMEOUT", 10) + pause * 2**tries) * tries + 60
    while True:
        state = _lease(url, lease)
        if state is None:
            outcome.busy = True
            return outcome
        try:
            if not force and state.next_attempt_at and state.next_attempt_at > timezone.now():
                outcome.retry_at = state.next_attempt_at
                return outcome
            _drain(state, url, secret, size, tries, pause, outcome)
        finally:
            PushState.objects.filter(pk=state.pk).update(lease_until=None)
        # A change logged while we held the lease found the endpoint busy: look once more after letting go.
        if outcome.failed or not _pending(PushState.objects.get(pk=state.pk), 1):
            return outcome


def _drain(state: PushState, url: str, secret: str, size: int, tries: int, pause: float, outcome: Outcome) -> None:
    while batch := _pending(state, size):
        body = json.dumps(
            {"records": [selectors.out(c) for c in batch], "last_seq": batch[-1].pk},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        for attempt in range(tries):
            status, error = _post(url, body, secret)
            ok = status is not None and 200 <= status < 300
            PushAttempt.objects.create(
                url=url, first_seq=batch[0].pk, last_seq=batch[-1].pk, ok=ok, status_code=status, error=error
            )
            if ok:
                break
            if attempt + 1 < tries:
                time.sleep(pause * 2**attempt)
        else:
            state.failures += 1
            delay = min(_setting("GONGKAI_PUSH_MAX_BACKOFF", 3600), pause * 30 * 2 ** min(state.failures, 12))
            state.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            state.save(update_fields=["failures", "next_attempt_at"])
            outcome.failed, outcome.retry_at = True, state.next_attempt_at
            log.warning("harvest push to %s failed (%s); next attempt at %s", url, error, state.next_attempt_at)
            return
        with transaction.atomic():
            state.last_acked, state.failures, state.next_attempt_at = batch[-1].pk, 0, None
            state.save(update_fields=["last_acked", "failures", "next_attempt_at"])
        outcome.sent += len(batch)
