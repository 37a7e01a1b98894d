"""Posters for the public boards (公开栏, 《政府信息公开条例》第二十三条 "公共查阅室、资料索取点、信息公告栏、
电子信息屏"; 《村民委员会组织法》第三十条 村务公开栏): an entry as an A4 or A3 PDF in large type — the unit, the
title, 索引号 and dates, the masked body with its tables laid out for print, a QR code back to the entry's
public page, and the posting period. A village's monthly board sheet puts a month's entries on one poster.

Rendered with WeasyPrint and the CJK subsets (``documents.pdf``), never inside a transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from gongkai.catalog.models import Entry, EntryStatus
from gongkai.core.errors import ValidationFailed
from gongkai.documents.fonts import SANS_STACK, SERIF_STACK
from gongkai.documents.pdf import render_pdf
from gongkai.documents.qr import qr_svg
from gongkai.orgs.models import Org

from . import config
from .common import Period, add_months, check_publishable, masked_body, public_url, with_relations

#: Paper sizes in PDF points (1/72 in): what pypdf reads back as the page's MediaBox.
SIZES: dict[str, tuple[int, int]] = {"A4": (595, 842), "A3": (842, 1191)}
#: Type sizes per paper: body at least 三号 (16 pt) on A4, larger on A3, read from across a square.
TYPE: dict[str, dict[str, int]] = {
    "A4": {"body": 16, "title": 26, "unit": 20, "meta": 16, "qr_mm": 38, "margin_mm": 15},
    "A3": {"body": 22, "title": 36, "unit": 28, "meta": 20, "qr_mm": 55, "margin_mm": 20},
}


def check_size(size: str) -> str:
    size = (size or "").strip().upper()
    if size not in SIZES:
        raise ValidationFailed({"size": [f"纸张尺寸“{size}”不支持，请选择 A4 或 A3"]})
    return size


def posting_period(start: date | None = None, end: date | None = None) -> Period:
    """From ``start`` (today) to ``end`` (default: one board period later, ``board_posting`` in
    ``data/channels.yaml``: 村务公开至少每季度一次, so a poster stays up until the next one)."""
    start = start or timezone.localdate()
    if end is None:
        end = add_months(start, config.get("board_posting").value) - timedelta(days=1)
    if end < start:
        raise ValidationFailed({"until": ["张贴截止日期不能早于张贴日期"]})
    return Period(start, end)


def poster_css(size: str) -> str:
    size = check_size(size)
    t = TYPE[size]
    return f"""
@page {{ size: {size}; margin: {t["margin_mm"]}mm; }}
html {{ font-family: {SERIF_STACK}; font-size: {t["body"]}pt; line-height: 1.6; color: #000; }}
body {{ margin: 0; }}
.unit {{ font-family: {SANS_STACK}; font-weight: 700; font-size: {t["unit"]}pt; text-align: center;
        color: #b00000; border-bottom: 2.5pt solid #b00000; padding-bottom: 4pt; margin: 0 0 10pt; }}
h1 {{ font-weight: 700; font-size: {t["title"]}pt; line-height: 1.35; text-align: center; margin: 0 0 10pt; }}
h2 {{ font-family: {SANS_STACK}; font-weight: 700; font-size: {t["title"] - 4}pt; margin: 12pt 0 6pt; }}
table.meta {{ width: 100%; table-layout: fixed; border-collapse: collapse; font-size: {t["meta"]}pt;
              margin: 0 0 10pt; }}
table.meta th {{ font-family: {SANS_STACK}; text-align: left; white-space: nowrap; width: 5.5em; }}
table.meta td {{ overflow-wrap: anywhere; }}
table.meta th, table.meta td {{ border: 0.75pt solid #000; padding: 2pt 5pt; }}
.body {{ overflow-wrap: anywhere; }}
.body p {{ margin: 0 0 4pt; text-indent: 2em; text-align: justify; }}
.body h1, .body h2, .body h3, .body h4 {{ font-size: {t["body"] + 4}pt; text-align: left; margin: 8pt 0 4pt; }}
.body table {{ width: 100%; table-layout: fixed; border-collapse: collapse; margin: 6pt 0; }}
.body td, .body th {{ border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; font-size: {t["body"]}pt; }}
.body th {{ font-family: {SANS_STACK}; }}
.body thead {{ display: table-header-group; }}
.body tr {{ break-inside: avoid; }}
.body img {{ max-width: 100%; height: auto; }}
.body ul, .body ol {{ margin: 0 0 4pt 1.5em; padding: 0; }}
.attachments {{ margin-top: 8pt; }}
.footer {{ margin-top: 14pt; border-top: 1.5pt solid #000; padding-top: 8pt; break-inside: avoid; }}
.footer::after {{ content: ""; display: block; clear: both; }}
.footer .qr {{ float: left; width: {t["qr_mm"]}mm; height: {t["qr_mm"]}mm; margin-right: 10pt; }}
.footer .qr svg {{ width: {t["qr_mm"]}mm; height: {t["qr_mm"]}mm; }}
.footer .text {{ margin-left: calc({t["qr_mm"]}mm + 10pt); overflow-wrap: anywhere; }}
.footer .period {{ font-family: {SANS_STACK}; font-weight: 700; }}
.sheet-entry {{ break-inside: auto; margin-bottom: 12pt; }}
.sheet-entry + .sheet-entry {{ border-top: 1pt dashed #000; padding-top: 8pt; }}
"""


def _entry_block(entry: Entry) -> dict[str, Any]:
    url = public_url(entry)
    meta = [
        ("索引号", entry.index_number or ""),
        ("发布机构", entry.publisher.name),
        ("文号", entry.document_number),
        ("成文日期", f"{entry.formed_date:%Y年%m月%d日}" if entry.formed_date else ""),
        ("发布日期", f"{entry.published_date:%Y年%m月%d日}" if entry.published_date else ""),
    ]
    return {
        "entry": entry,
        "meta": [(k, v) for k, v in meta if v],
        "body": mark_safe(masked_body(entry)),
        "attachments": [a.original_name for a in entry.attachments.filter(replaced_at__isnull=True)],
        "url": url,
    }


def poster_html(entries: Sequence[Entry], *, size: str, period: Period, title: str = "") -> str:
    """The poster's HTML (also the browser preview). One entry, or a board sheet of several."""
    size = check_size(size)
    if not entries:
        raise ValidationFailed({"entries": ["请至少选择一条已发布的信息"]})
    for entry in entries:
        check_publishable(entry, "制作公开栏海报")
    blocks = [_entry_block(e) for e in entries]
    single = len(blocks) == 1
    qr_url = blocks[0]["url"] if single else ""
    context = {
        "size": size,
        "unit": entries[0].unit,
        "blocks": blocks,
        "single": single,
        "title": title,
        "period": period,
        "qr": qr_svg(qr_url, "原文网址二维码") if qr_url else "",
        "qr_url": qr_url,
    }
    return render_to_string("channels/poster.html", context)


def qr_payload(entry: Entry) -> str:
    """What the poster's QR code encodes: the entry's public page."""
    return public_url(entry)


def render_poster(entry: Entry, *, size: str, period: Period | None = None) -> bytes:
    size = check_size(size)
    html = poster_html([entry], size=size, period=period or posting_period())
    return render_pdf(html, css=poster_css(size), families=("GK Serif", "GK Sans"))


def sheet_entries(org: Org, month: date) -> list[Entry]:
    """The month's published entries of ``org`` (a village: those published in its name) for its board."""
    start = month.replace(day=1)
    qs = Entry.objects.filter(
        status=EntryStatus.PUBLISHED,
        publisher__in=org.subtree(),
        published_date__gte=start,
        published_date__lt=add_months(start, 1),
    )
    entries = list(with_relations(qs).order_by("published_at", "pk"))
    if not entries:
        raise ValidationFailed({"month": [f"{org.name}{start:%Y年%m月}没有发布信息"]})
    return entries


def render_board_sheet(entries: Sequence[Entry], *, size: str, month: date, period: Period | None = None) -> bytes:
    """A village's monthly board sheet: the month's entries on one poster, each with its 索引号 and URL."""
    size = check_size(size)
    title = f"{entries[0].publisher.name if entries else ''}{month:%Y年%m月}公开事项"  # the village's name
    html = poster_html(entries, size=size, period=period or posting_period(), title=title)
    return render_pdf(html, css=poster_css(size), families=("GK Serif", "GK Sans"))
