"""Reads of the channels: boards and their postings, and the counts per channel the annual report's section
一 (主动公开情况) and the bulletin print ("全镇共设立公开栏31个，全年张贴公示N期"; "公众微信平台公开20条")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum

from gongkai.catalog.models import Entry, EntryStatus
from gongkai.orgs.models import Org

from . import permissions
from .models import Board, Channel, ChannelPost, GazetteIssue, Posting, Screen


def visible_boards(user: Any) -> QuerySet[Board]:
    return (
        Board.objects.filter(unit_id__in=permissions.readable_unit_ids(user))
        .select_related("org", "unit")
        .annotate(posting_count=Count("postings"))
        .order_by("unit__path", "org__path", "org__name", "name")
    )


def board_postings(board: Board) -> QuerySet[Posting]:
    return board.postings.select_related("created_by").prefetch_related("entries").order_by("-posted_on", "-pk")


def postable_entries(board: Board, limit: int = 200) -> QuerySet[Entry]:
    """Published entries of the board's unit, newest first: what the posting form offers."""
    return (
        Entry.objects.filter(unit_id=board.unit_id, status=EntryStatus.PUBLISHED)
        .select_related("publisher")
        .order_by("-published_at")[:limit]
    )


@dataclass(frozen=True)
class BoardCounts:
    boards: int
    postings: int

    @property
    def sentence(self) -> str:
        return f"共设立公开栏{self.boards}个，全年张贴公示{self.postings}期"


def board_counts(unit: Org | list[Org], year: int) -> BoardCounts:
    """Boards of the unit(s) (their own and their villages') in use by the end of ``year``, and the 期 posted
    in it."""
    units = unit if isinstance(unit, list) else [unit]
    end = date(year, 12, 31)
    boards = Board.objects.filter(unit__in=units, created_at__date__lte=end, is_active=True).count()
    postings = Posting.objects.filter(board__unit__in=units, posted_on__year=year).count()
    return BoardCounts(boards, postings)


#: The channels counted per entry and per year, in the order the report lists them.
CHANNELS = (
    ("website", "政府网站"),
    ("board", "公开栏"),
    (Channel.WECHAT.value, Channel.WECHAT.label),
    ("led", "电子显示屏"),
    ("gazette", "政府公报"),
)


def entry_channel_counts(entry: Entry) -> dict[str, int]:
    """How often ``entry`` went out on each channel: board postings, 公众号 articles, gazette issues; the
    website and (for a unit with an active screen) the LED feed carry every published entry once."""
    website = 1 if entry.published_at else 0
    has_screen = Screen.objects.filter(unit_id=entry.unit_id, is_active=True).exists()
    return {
        "website": website,
        "board": entry.board_postings.count(),
        Channel.WECHAT.value: entry.channel_posts.filter(channel=Channel.WECHAT).count(),
        "led": website if has_screen else 0,
        "gazette": entry.gazette_issues.count(),
    }


def year_channel_counts(unit: Org | list[Org], year: int) -> dict[str, int]:
    """Per channel, the number of the unit's (units') entries it carried in ``year`` (an entry posted twice
    counts once): the figures for section 一 of the annual report. A fixed number of queries."""
    units = unit if isinstance(unit, list) else [unit]
    published = Entry.objects.filter(unit__in=units, published_date__year=year).exclude(published_at=None)
    screen_units = Screen.objects.filter(unit__in=units, created_at__year__lte=year).values("unit")
    return {
        "website": published.count(),
        "board": Entry.objects.filter(board_postings__board__unit__in=units, board_postings__posted_on__year=year)
        .distinct()
        .count(),
        Channel.WECHAT.value: ChannelPost.objects.filter(
            entry__unit__in=units, channel=Channel.WECHAT, posted_at__year=year
        )
        .values("entry")
        .distinct()
        .count(),
        "led": published.filter(unit__in=screen_units).count(),
        "gazette": Entry.objects.filter(gazette_issues__unit__in=units, gazette_issues__start__year=year)
        .distinct()
        .count(),
    }


def year_summary(unit: Org, year: int) -> str:
    """One sentence for section 一: boards, postings and the entries each channel carried."""
    return units_summary([unit], year)


def units_summary(units: list[Org], year: int) -> str:
    """The same sentence over several units (a county report with its townships)."""
    units = [u for u in units if u.is_unit]
    counts = year_channel_counts(units, year)
    issues = GazetteIssue.objects.filter(unit__in=units, start__year=year).aggregate(
        n=Count("pk"), copies=Sum("copies")
    )
    parts = [board_counts(units, year).sentence]
    parts += [f"通过{label}公开信息{counts[key]}条" for key, label in CHANNELS if counts[key]]
    if issues["n"]:
        parts.append(f"编印政府公报{issues['n']}期共{issues['copies']}份")
    return "，".join(parts) + "。"


def screens_of(unit_ids: list[int]) -> QuerySet[Screen]:
    return Screen.objects.filter(unit_id__in=unit_ids).select_related("unit").order_by("unit__path", "slug")


def channel_posts(entry: Entry) -> QuerySet[ChannelPost]:
    return entry.channel_posts.select_related("created_by").order_by("-posted_at")
