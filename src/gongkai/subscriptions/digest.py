"""The daily digest: per address, one mail with the new entries of all its active subscriptions.

"New" is published after the row's ``last_sent_at`` (its high-water mark; before the first digest, its
``confirmed_at``) and up to the moment the run started. A unit subscription takes every entry of the unit, a
category subscription the category and its descendants, a query subscription what ``search.selectors.search``
finds for the query within the unit. An address already mailed today gets nothing more today (its new entries
wait for tomorrow's mail); nothing new, no mail. The mark moves only after the mail went out, in a short
transaction of its own, so a failed send is retried by the next run.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.catalog.models import Category, Entry, EntryStatus
from gongkai.search import selectors as search_selectors

from . import crypto, mail, services
from .models import Status, Subscription

log = logging.getLogger(__name__)
QUERY_LIMIT = 50  # newest matches looked at per query subscription and run


@dataclass
class Outcome:
    mails: int = 0
    entries: int = 0
    skipped_today: int = 0
    failed: int = 0


def _published(unit_id: int, since: datetime, until: datetime) -> QuerySet[Entry]:
    return Entry.objects.filter(
        unit_id=unit_id, status=EntryStatus.PUBLISHED, published_at__gt=since, published_at__lte=until
    ).select_related("unit")


def new_entries(sub: Subscription, until: datetime) -> list[Entry]:
    since = sub.last_sent_at or sub.confirmed_at or sub.created_at
    if sub.category is not None:
        cat = sub.category
        below = Category.objects.filter(path__startswith=f"{cat.path}{cat.pk}/").values_list("pk", flat=True)
        qs = _published(sub.unit_id, since, until).filter(category_id__in=[cat.pk, *below])
        return list(qs.order_by("-published_at", "-id"))
    if sub.village_id is not None:  # what the village publishes (村务公开)
        qs = _published(sub.unit_id, since, until).filter(publisher_id=sub.village_id)
        return list(qs.order_by("-published_at", "-id"))
    if sub.query:
        page = search_selectors.search(
            q=sub.query,
            filters=search_selectors.FilterValues(unit=sub.unit),
            order="newest",
            page_size=QUERY_LIMIT,
        )
        return [
            h.entry for h in page.hits if h.entry.published_at is not None and since < h.entry.published_at <= until
        ]
    return list(_published(sub.unit_id, since, until).order_by("-published_at", "-id"))


def send_digests(now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    by_address: dict[str, list[Subscription]] = defaultdict(list)
    active = Subscription.objects.filter(status=Status.ACTIVE).select_related("unit", "category", "village")
    for sub in active.order_by("email_hash", "unit__path", "id"):
        by_address[sub.email_hash].append(sub)
    out = Outcome()
    for email_hash, subs in by_address.items():
        if any(s.last_sent_at is not None and s.last_sent_at >= start_of_day for s in subs):
            out.skipped_today += 1
            continue
        try:
            sections = [mail.Section(s, found) for s in subs if (found := new_entries(s, now))]
            if not sections:
                continue
            mail.send_digest(crypto.decrypt(subs[0].email_encrypted), email_hash, sections)
        except Exception:  # one bad row, address or mail server hiccup must not stop the others
            log.exception("订阅汇总邮件发送失败（订阅 %s）", [s.pk for s in subs])
            out.failed += 1
            continue
        services.mark_sent(ids=[s.pk for s in subs], until=now)
        out.mails += 1
        out.entries += sum(len(s.entries) for s in sections)
    return out
