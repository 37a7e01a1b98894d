"""LED screens (电子显示屏, 《政府信息公开条例》第二十三条 "电子信息屏"; "利用显示屏…对一些需要及时公示的，立刻进行
公示"): each screen reads a plain-text feed ``/led/{slug}.txt`` (and ``.json``), a static file of the built
site written by the portal builder on every publish and withdrawal. The feed holds the unit's current
notices, newest first, one page per notice cut to the screen's line length and line count (the screen
rotates through the pages). A notice is current from its publication until its 失效/废止日期, or — without
one — for ``led_notice`` days (``data/channels.yaml``); withdrawn and no longer valid entries drop out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from gongkai.catalog import gates
from gongkai.catalog.models import Entry, EntryStatus, Validity
from gongkai.core.errors import NotFound, ValidationFailed

from . import config
from .models import Screen

ELLIPSIS = "…"
TXT = "text/plain; charset=utf-8"
JSON = "application/json; charset=utf-8"


def feed_url(slug: str, ext: str) -> str:
    return f"/led/{slug}.{ext}"


@dataclass(frozen=True)
class Notice:
    entry_id: int
    index_number: str
    lines: list[str]
    expires: date


def cut(text: str, line_length: int, line_count: int) -> list[str]:
    """``text`` in lines of at most ``line_length`` characters, at most ``line_count`` lines; what does not
    fit ends in "…" on the last line."""
    if line_length <= 0 or line_count <= 0:
        raise ValidationFailed({"line_length": ["显示屏的每行字数和行数必须大于 0"]})
    text = " ".join(text.split())
    lines = [text[i : i + line_length] for i in range(0, len(text), line_length)] or [""]
    if len(lines) > line_count:
        lines = lines[:line_count]
        lines[-1] = lines[-1][: line_length - 1] + ELLIPSIS
    return lines


def notice_end(entry: Entry) -> date:
    if entry.invalid_date is not None:
        return entry.invalid_date
    assert entry.published_date is not None
    return entry.published_date + timedelta(days=config.get("led_notice").value - 1)


def current_entries(unit_id: int, today: date) -> list[Entry]:
    window = today - timedelta(days=config.get("led_notice").value - 1)
    qs = (
        Entry.objects.filter(unit_id=unit_id, status=EntryStatus.PUBLISHED, validity=Validity.VALID)
        .filter(Q(published_date__gte=window) | Q(invalid_date__gte=today))
        .filter(published_date__lte=today)
        .select_related("unit", "publisher", "category")
        .order_by("-published_at", "-pk")
    )
    return [e for e in qs[:200] if notice_end(e) >= today and not gates.blocking_reasons(e)]


def notices(screen: Screen, today: date | None = None) -> list[Notice]:
    today = today or timezone.localdate()
    out = []
    for entry in current_entries(screen.unit_id, today):
        text = f"【{entry.publisher.display_name}】{entry.title}（{entry.published_date:%m月%d日}发布）"
        out.append(
            Notice(
                entry.pk, entry.index_number or "", cut(text, screen.line_length, screen.line_count), notice_end(entry)
            )
        )
    return out


def get_screen(slug: str) -> Screen:
    screen = Screen.objects.filter(slug=(slug or "").strip().lower()).first()
    if screen is None:
        raise NotFound(f"没有标识为“{slug}”的电子显示屏", field="screen")
    if screen.line_length <= 0 or screen.line_count <= 0:
        raise ValidationFailed({"line_length": [f"显示屏“{screen.name}”的每行字数或行数为 0，请先修改设置"]})
    return screen


def feed_text(screen: Screen, today: date | None = None) -> str:
    """Pages separated by a blank line; a screen with nothing current shows the unit's name."""
    pages = ["\n".join(n.lines) for n in notices(screen, today)]
    if not pages:
        pages = ["\n".join(cut(f"{screen.unit.name}：暂无公告", screen.line_length, screen.line_count))]
    return "\n\n".join(pages) + "\n"


def feed_json(screen: Screen, today: date | None = None) -> str:
    today = today or timezone.localdate()
    data = {
        "screen": screen.slug,
        "name": screen.name,
        "unit": screen.unit.name,
        "line_length": screen.line_length,
        "line_count": screen.line_count,
        "generated_on": today.isoformat(),
        "pages": [
            {"entry": n.entry_id, "index_number": n.index_number, "lines": n.lines, "expires": n.expires.isoformat()}
            for n in notices(screen, today)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def feed_files(unit_id: int | None = None, today: date | None = None) -> list[tuple[str, bytes, str]]:
    """(url, body, content type) of every active screen's feed (of one unit): what the builder writes."""
    screens = Screen.objects.filter(is_active=True, line_length__gt=0, line_count__gt=0).select_related("unit")
    if unit_id is not None:
        screens = screens.filter(unit_id=unit_id)
    out = []
    for screen in screens:
        out.append((feed_url(screen.slug, "txt"), feed_text(screen, today).encode("utf-8"), TXT))
        out.append((feed_url(screen.slug, "json"), feed_json(screen, today).encode("utf-8"), JSON))
    return out


def retired_feed_urls(unit_id: int) -> list[str]:
    """Feeds of the unit's screens taken out of use: the builder removes their files."""
    slugs = Screen.objects.filter(unit_id=unit_id, is_active=False).values_list("slug", flat=True)
    return [feed_url(s, ext) for s in slugs for ext in ("txt", "json")]
