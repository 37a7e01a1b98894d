"""What every channel shares: which entry it may carry (the publication gate), how an entry is found by
the number people type, the masked body the site shows, and month arithmetic for periods."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from gongkai.catalog import gates
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.catalog.public_urls import entry_absolute
from gongkai.catalog.text import sanitize_html
from gongkai.core.errors import NotFound, ValidationFailed


def with_relations(qs: QuerySet[Entry]) -> QuerySet[Entry]:
    return qs.select_related("unit", "publisher", "category")


def find_entry(ref: str) -> Entry:
    """The entry whose 索引号 is ``ref``, or whose id it is (the commands' ENTRY argument)."""
    ref = (ref or "").strip()
    if not ref:
        raise ValidationFailed({"entry": ["请填写信息的索引号或编号"]})
    entry = with_relations(Entry.objects.filter(index_number=ref)).first()
    if entry is None and ref.isdigit():
        entry = with_relations(Entry.objects.filter(pk=int(ref))).first()
    if entry is None:
        raise NotFound(f"没有找到索引号或编号为“{ref}”的信息", field="entry")
    return entry


def check_publishable(entry: Entry, what: str) -> None:
    """Refuse an entry no channel may carry: not published (or withdrawn), or one the publication gates
    block today — an unmasked high-risk screening finding (《政府信息公开条例》第十七条 保密审查) found since
    it was published. The same gates ``sign_and_publish`` runs (``catalog.gates``; screening registers one)."""
    if entry.status != EntryStatus.PUBLISHED:
        raise ValidationFailed({"entry": [f"只有已发布的信息可以{what}（当前状态：{entry.get_status_display()}）"]})
    reasons = gates.blocking_reasons(entry)
    if reasons:
        raise ValidationFailed({"entry": [f"该信息未通过保密审查，不能{what}：" + "；".join(reasons)]})


def masked_body(entry: Entry) -> str:
    """The body as the public site shows it: the stored (masked) body, cleaned again."""
    return sanitize_html(entry.body)


def public_url(entry: Entry) -> str:
    return entry_absolute(entry)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """A posting or gazette period: both ends inclusive."""

    start: date
    end: date

    @property
    def text(self) -> str:
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"
