"""Scheduled availability probes (国办秘函〔2019〕19号 站点无法访问: monitored over the availability check's
window in checks.yaml, at least 20 probes a day, a probe failing when the site does not open within its timeout).
``gongkai probe-site`` runs one probe per call and is meant for cron or a systemd timer (every hour gives 24 a
day); the self-inspection counts them with its own."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from gongkai.core.errors import ValidationFailed

from . import scoring, selectors
from .checks import probe
from .models import SiteProbe


def probe_site(url: str) -> SiteProbe:
    """Open ``url`` once with the availability check's timeout, record the result, prune old probes."""
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")) or len(url) > 500:
        raise ValidationFailed({"url": [f"探测网址“{url[:80]}”应以 http:// 或 https:// 开头，且不超过 500 个字符"]})
    timeout = scoring.sheet().by_id("availability").threshold("timeout").value
    ok, error, seconds = probe(url, timeout)  # outside any transaction: it waits up to the timeout
    with transaction.atomic():
        row = SiteProbe.objects.create(url=url, ok=ok, error=error[:300], seconds=round(seconds, 3))
        SiteProbe.objects.filter(at__lt=timezone.now() - selectors.PROBE_KEEP).delete()
    return row


def probes_today(url: str) -> tuple[int, int]:
    """(probes, failures) of ``url`` since the start of today."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = list(SiteProbe.objects.filter(url=url, at__gte=start).values_list("ok", flat=True))
    return len(rows), rows.count(False)
