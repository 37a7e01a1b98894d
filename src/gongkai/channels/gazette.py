"""The printed gazette (政府公报, 《政府信息公开条例》第二十三条; "扩大公报发放范围，免费发放到全镇农户"): a monthly or
quarterly A4 booklet of a unit's entries published in the period, with a table of contents and every
entry's 索引号, for households without the internet. Rendered outside any transaction; the print run is
recorded by ``services.record_gazette``."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from gongkai.catalog import gates
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.core.errors import ValidationFailed
from gongkai.documents.fonts import SANS_STACK, SERIF_STACK
from gongkai.documents.pdf import render_pdf
from gongkai.orgs.models import Org

from . import config
from .common import Period, add_months, masked_body, public_url, with_relations

PERIOD_RE = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


def parse_period(text: str) -> Period:
    """``2026-11`` (a month) or ``2026-Q4`` (a quarter)."""
    raw = (text or "").strip().upper()
    match = PERIOD_RE.match(raw)
    if not match:
        raise ValidationFailed({"period": [f"期间“{text}”格式不对，请写作 2026-11（月）或 2026-Q4（季度）"]})
    year = int(match.group(1))
    if not 2008 <= year <= 2100:
        raise ValidationFailed({"period": [f"年份 {year} 超出范围"]})
    if match.group(2):
        start = date(year, int(match.group(2)), 1)
        months = 1
    else:
        start = date(year, (int(match.group(3)) - 1) * 3 + 1, 1)
        months = 3
    return Period(start, add_months(start, months) - timedelta(days=1))


def period_label(period: Period) -> str:
    if period.start.month == period.end.month:
        return f"{period.start.year}年第{period.start.month}期（{period.start.month}月）"
    quarter = (period.start.month - 1) // 3 + 1
    return f"{period.start.year}年第{'一二三四'[quarter - 1]}季度"


def period_entries(unit: Org, period: Period) -> QuerySet[Entry]:
    """The unit's entries published in the period and still published, oldest first (the gazette's order)."""
    qs = Entry.objects.filter(
        unit=unit,
        status=EntryStatus.PUBLISHED,
        published_date__gte=period.start,
        published_date__lte=period.end,
    )
    return with_relations(qs).order_by("published_at", "pk")


GAZETTE_CSS = f"""
@page {{ size: A4; margin: 25mm 22mm 25mm 22mm;
        @bottom-center {{ content: "— " counter(page) " —"; font-family: {SERIF_STACK}; font-size: 12pt; }} }}
@page cover {{ @bottom-center {{ content: none; }} }}
html {{ font-family: {SERIF_STACK}; font-size: 14pt; line-height: 1.7; color: #000; }}
.cover {{ page: cover; text-align: center; padding-top: 60mm; break-after: page; }}
.cover .unit {{ font-family: {SANS_STACK}; font-weight: 700; font-size: 30pt; color: #b00000; margin: 0; }}
.cover .name {{ font-weight: 700; font-size: 40pt; letter-spacing: 0.3em; color: #b00000; margin: 10mm 0; }}
.cover .issue {{ font-size: 18pt; }}
.cover .note {{ font-size: 12pt; margin-top: 60mm; }}
.toc {{ break-after: page; }}
.toc h2 {{ text-align: center; font-family: {SANS_STACK}; font-size: 20pt; }}
.toc ol {{ list-style: none; padding: 0; margin: 0; }}
.toc li {{ margin: 0 0 4pt; }}
.toc li a {{ color: #000; text-decoration: none; }}
.toc li .page {{ float: right; margin-left: 8pt; }}
.toc li .page::after {{ content: target-counter(attr(data-href), page); }}
.toc .idx {{ font-size: 11pt; color: #333; display: block; }}
article {{ break-before: page; }}
article h1 {{ font-size: 20pt; text-align: center; line-height: 1.4; margin: 0 0 8pt; }}
.meta {{ font-size: 11pt; text-align: center; margin: 0 0 10pt; color: #222; }}
.body {{ overflow-wrap: break-word; }}
.body p {{ margin: 0 0 4pt; text-indent: 2em; text-align: justify; }}
.body table {{ width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 12pt; }}
.body td, .body th {{ border: 0.5pt solid #000; padding: 2pt 3pt; vertical-align: top; }}
.body img {{ max-width: 100%; height: auto; }}
.url {{ font-size: 10pt; overflow-wrap: anywhere; margin-top: 6pt; color: #333; }}
"""


def gazette_html(unit: Org, period: Period, entries: list[Entry] | None = None) -> str:
    if entries is None:
        entries = list(period_entries(unit, period))
    limit = config.get("gazette_max_entries").value
    if len(entries) > limit:
        raise ValidationFailed(
            {"period": [f"该期间有 {len(entries)} 条信息，超过一期公报的上限 {limit} 条，请按月编印"]}
        )
    items: list[dict[str, Any]] = []
    skipped = 0
    for entry in entries:
        if gates.blocking_reasons(entry):  # an unmasked finding since publication: not printed
            skipped += 1
            continue
        items.append(
            {
                "entry": entry,
                "anchor": f"e{entry.pk}",
                "body": mark_safe(masked_body(entry)),
                "url": public_url(entry),
            }
        )
    context = {"unit": unit, "period": period, "label": period_label(period), "items": items, "skipped": skipped}
    return render_to_string("channels/gazette.html", context)


def render_gazette(unit: Org, period: Period, entries: list[Entry] | None = None) -> bytes:
    return render_pdf(gazette_html(unit, period, entries), css=GAZETTE_CSS, families=("GK Serif", "GK Sans"))
