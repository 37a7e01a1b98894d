"""A small database-backed rate limit per client address: the public application form, case tracking,
public search and the JSON API.

The database (not the per-process cache) holds the counters, so the limit holds across all workers.
Addresses are stored only as a salted hash. Limits are ``scope → (requests, window seconds)``, overridable
with the ``GONGKAI_RATE_LIMITS`` environment variable (``search=60/60,api=300/60``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from .limits import limits
from .middleware import client_address
from .models import RateBucket


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends

    @property
    def message(self) -> str:
        minutes = max(1, (self.retry_after + 59) // 60)
        return (
            f"您的操作过于频繁，请 {minutes} 分钟后再试。如有急事，可拨打本机关政府信息公开工作机构电话，"
            "或到政务服务窗口当面申请。"
        )


def json_429(verdict: Verdict) -> JsonResponse:
    """The API's 429: the usual error body, in Chinese, with Retry-After."""
    response = JsonResponse(
        {"error": {"code": "rate_limited", "message": verdict.message, "field": None}},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def hit_request(scope: str, request: HttpRequest) -> Verdict:
    return hit(scope, client_address(request))


def hit(scope: str, address: str | None) -> Verdict:
    allowed, window = limits()[scope]
    now = timezone.now()
    start_ts = int(now.timestamp()) // window * window
    start = now.replace(microsecond=0) - timedelta(seconds=int(now.timestamp()) - start_ts)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{address or '-'}".encode()).hexdigest()
    retry = start_ts + window - int(now.timestamp())
    with transaction.atomic():
        updated = RateBucket.objects.filter(key=digest, window_start=start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateBucket.objects.create(key=digest, window_start=start, count=1)
            except IntegrityError:
                RateBucket.objects.filter(key=digest, window_start=start).update(count=F("count") + 1)
        count = RateBucket.objects.filter(key=digest, window_start=start).values_list("count", flat=True).first()
    if now.second == 0:
        # Cheap housekeeping about once a minute: drop windows older than a day.
        RateBucket.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return Verdict(allowed=(count or 0) <= allowed, retry_after=max(1, retry))
