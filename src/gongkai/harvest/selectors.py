"""Reads of the change log for harvesters: the JSON feed (``/api/v1/harvest/records``) and OAI-PMH (``/oai``).

Both page by the change sequence with a signed resumption token that carries the filters and the last
sequence served, so a harvest resumed from any token gets exactly the changes after it — two changes in the
same microsecond included — and a token from the last page, kept, later yields what changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from gongkai.catalog.models import Entry
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import UNIT_KINDS, Org

from .models import HarvestChange, PushAttempt, PushState

PAGE_SIZE = 100
TOKEN_SALT = "gongkai.harvest.token"


class BadToken(ValidationFailed):
    """A resumption token that was not issued here, was altered, or belongs to another kind of request."""

    code = "bad_token"


@dataclass(frozen=True)
class Window:
    """What a harvest asks for: changes after ``after`` (a sequence) within [since, until], of one unit."""

    since: datetime | None = None
    until: datetime | None = None
    org: str | None = None
    after: int = 0

    def token(self, after: int, kind: str) -> str:
        payload = {
            "k": kind,
            "a": after,
            "f": self.since.isoformat() if self.since else None,
            "u": self.until.isoformat() if self.until else None,
            "o": self.org,
        }
        return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def parse_token(token: str, kind: str) -> Window:
    """The window a token stands for; ``BadToken`` (field ``cursor``) if it is not one of ours."""
    try:
        data = signing.loads(token.strip(), salt=TOKEN_SALT)
        if not isinstance(data, dict) or data.get("k") != kind:
            raise ValueError(kind)
        return Window(
            since=datetime.fromisoformat(data["f"]) if data.get("f") else None,
            until=datetime.fromisoformat(data["u"]) if data.get("u") else None,
            org=data.get("o"),
            after=int(data["a"]),
        )
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        raise BadToken({"cursor": ["续取令牌无效：请原样使用上一页返回的令牌"]}) from None


def parse_moment(
    value: str | None, field: str, label: str, *, end: bool = False, zone: tzinfo | None = None
) -> datetime | None:
    """An ISO 8601 date or datetime; a date alone means the start (or for ``until`` the end) of that day,
    a time without zone means Beijing time (the site's zone) unless ``zone`` says otherwise (OAI: UTC)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
            moment = timezone.make_aware(moment, zone) - (timedelta(microseconds=1) if end else timedelta(0))
        else:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, zone)
        if not 1949 <= moment.year <= 2100:
            raise ValueError(text)
    except (ValueError, OverflowError):
        raise ValidationFailed(
            {field: [f"{label}（{field}）格式不正确或超出 1949—2100 年，应为 ISO 8601 日期或时间，如 2025-03-01"]}
        ) from None
    return moment


def check_window(since: datetime | None, until: datetime | None) -> None:
    if since and until and until < since:
        raise ValidationFailed({"until": ["截止时间（until）不能早于起始时间（from）"]})


def resolve_unit(code: str | None, field: str = "org") -> Org | None:
    if code is None or not code.strip():
        return None
    unit = Org.objects.filter(code=code.strip(), kind__in=UNIT_KINDS).first()
    if unit is None:
        raise ValidationFailed({field: [f"没有单位代码为“{code.strip()[:40]}”的公开主体（单位代码见 /api/v1/orgs）"]})
    return unit


def changes(window: Window) -> QuerySet[HarvestChange]:
    """Every change in the window after its sequence, in sequence order."""
    qs = HarvestChange.objects.filter(id__gt=window.after)
    if window.org:
        unit = resolve_unit(window.org)
        qs = qs.filter(unit=unit)
    if window.since:
        qs = qs.filter(changed_at__gte=window.since)
    if window.until:
        qs = qs.filter(changed_at__lte=window.until)
    return qs.order_by("id")


def latest_changes(window: Window) -> QuerySet[HarvestChange]:
    """Like ``changes`` but one per entry, its latest: OAI-PMH serves an item's current state."""
    newest = HarvestChange.objects.filter(entry_id=OuterRef("entry_id")).order_by("-id").values("id")[:1]
    return changes(window).filter(id=Subquery(newest))


def latest_of(index_number: str) -> HarvestChange | None:
    """The current state of the entry with this index number, if it was ever public."""
    entry_id = Entry.objects.filter(index_number=index_number).values_list("pk", flat=True).first()
    if entry_id is None:
        return None
    return HarvestChange.objects.filter(entry_id=entry_id).order_by("-id").first()


def out(change: HarvestChange) -> dict[str, Any]:
    """A change as the feed and the push carry it: the sequence and kind of change, then the record."""
    return {
        "seq": change.pk,
        "change": change.kind,
        "changed_at": change.changed_at.isoformat(),
        **change.record,
    }


@dataclass
class Page:
    items: list[HarvestChange]
    has_more: bool
    last_seq: int


def page(window: Window, qs: QuerySet[HarvestChange], size: int | None = None) -> Page:
    size = size or PAGE_SIZE
    rows = list(qs[: size + 1])
    items = rows[:size]
    return Page(items=items, has_more=len(rows) > size, last_seq=items[-1].pk if items else window.after)


# ---- the push endpoint's state, for the system administrator's 汇聚推送 page ----------------------------------


@dataclass(frozen=True)
class PushStatus:
    configured: bool
    endpoint: str  # scheme, host and path only: a token in the query or a password in the address is not shown
    last_acked: int
    latest: int
    backlog: int  # changes logged and not yet acknowledged by the endpoint
    failures: int  # consecutive failed rounds
    next_attempt_at: datetime | None
    busy: bool  # a worker holds the endpoint right now
    last_success: Any  # PushAttempt | None
    attempts: list[Any]  # the latest PushAttempt rows, newest first


def redacted(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}" + ("?…" if parts.query else "")


def push_status(recent: int = 20) -> PushStatus:
    url = getattr(settings, "GONGKAI_PUSH_URL", "")
    state = PushState.objects.filter(url=url).first() if url else None
    last_acked = state.last_acked if state else 0
    latest = HarvestChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    attempts = list(PushAttempt.objects.filter(url=url).order_by("-id")[:recent]) if url else []
    return PushStatus(
        configured=bool(url),
        endpoint=redacted(url) if url else "",
        last_acked=last_acked,
        latest=latest,
        backlog=HarvestChange.objects.filter(id__gt=last_acked).count() if url else 0,
        failures=state.failures if state else 0,
        next_attempt_at=state.next_attempt_at if state else None,
        busy=bool(state and state.lease_until and state.lease_until > timezone.now()),
        last_success=PushAttempt.objects.filter(url=url, ok=True).order_by("-id").first() if url else None,
        attempts=attempts,
    )
