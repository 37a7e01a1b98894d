"""A small database-backed rate limit for the public form and the tracking lookup.

The database (not the per-process cache) holds the counters, so the limit holds across all workers.
Addresses are stored only as a salted hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateBucket

#: scope → (requests allowed, window in seconds). Override with ``GONGKAI_APPLY_RATE_LIMITS``.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {"submit": (5, 3600), "track": (20, 600), "api_submit": (5, 3600)}


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


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "GONGKAI_APPLY_RATE_LIMITS", {})}


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
