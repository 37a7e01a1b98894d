"""WeChat 公众号 articles (政府新媒体, 《政府信息公开条例》第二十三条; "公众微信平台公开20条"): an entry, or a week's
digest, as ONE self-contained HTML file that survives pasting into the 公众号 editor — inline ``style``
attributes only (the editor drops ``<style>``, ``<link>`` and scripts), every image a ``data:`` URI (the
editor cannot fetch our server's images), the QR code to the entry's page as a PNG. The article's address,
once it is out, is recorded with ``services.mark_posted``."""

from __future__ import annotations

import base64
import io
import re
from datetime import date, timedelta
from html import escape

from django.core.files.storage import default_storage

from gongkai.catalog import gates
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import Org

from .common import check_publishable, masked_body, public_url, with_relations

STYLES = {
    "p": "margin:0 0 12px;line-height:1.8;font-size:16px;text-indent:2em;text-align:justify;color:#222;",
    "h1": "font-size:20px;font-weight:bold;margin:16px 0 8px;color:#000;",
    "h2": "font-size:18px;font-weight:bold;margin:16px 0 8px;color:#000;",
    "h3": "font-size:17px;font-weight:bold;margin:12px 0 6px;color:#000;",
    "h4": "font-size:16px;font-weight:bold;margin:12px 0 6px;color:#000;",
    "table": "width:100%;border-collapse:collapse;margin:8px 0;font-size:14px;",
    "th": "border:1px solid #999;padding:4px 6px;background:#f2f2f2;font-weight:bold;",
    "td": "border:1px solid #999;padding:4px 6px;vertical-align:top;",
    "ul": "margin:0 0 12px 1.5em;padding:0;font-size:16px;line-height:1.8;",
    "ol": "margin:0 0 12px 1.5em;padding:0;font-size:16px;line-height:1.8;",
    "li": "margin:0 0 4px;",
    "a": "color:#1e5aa8;text-decoration:underline;",
    "blockquote": "margin:8px 0;padding:8px 12px;border-left:3px solid #b00000;background:#faf5f5;",
    "img": "max-width:100%;height:auto;display:block;margin:8px auto;",
}
TAG_RE = re.compile(r"<(" + "|".join(STYLES) + r")(\s[^>]*)?>", re.IGNORECASE)
IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
SRC_RE = re.compile(r"""\ssrc\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}


def _data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def qr_png_uri(url: str) -> str:
    import qrcode

    image = qrcode.make(url, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out)
    return _data_uri(out.getvalue(), "image/png")


def _inline_images(html: str, entry: Entry) -> str:
    """Every ``<img>`` becomes a data: URI of the entry's own attachment it names; any other image (from
    another server) is dropped with a note, since the editor would fetch it from there."""
    images = {a.original_name: a for a in entry.attachments.filter(replaced_at__isnull=True, kind__in=IMAGE_TYPES)}

    def replace(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = SRC_RE.search(tag)
        target = src.group(2) if src else ""
        if target.startswith("data:image/"):
            return tag
        name = target.rsplit("/", 1)[-1]
        att = images.get(name) or next((a for a in images.values() if name and str(a.file.name).endswith(name)), None)
        if att is None:
            return '<span style="color:#666;">［图片见网站原文］</span>'
        with default_storage.open(str(att.file.name), "rb") as fh:
            uri = _data_uri(fh.read(), IMAGE_TYPES[att.kind])
        alt = escape(att.original_name)
        return f'<img src="{uri}" alt="{alt}">'

    return IMG_RE.sub(replace, html)


def _styled(html: str) -> str:
    def add(match: re.Match[str]) -> str:
        tag, attrs = match.group(1).lower(), match.group(2) or ""
        attrs = re.sub(r"""\sstyle\s*=\s*(["']).*?\1""", "", attrs, flags=re.IGNORECASE | re.DOTALL)
        closing = "/" if attrs.rstrip().endswith("/") else ""
        attrs = attrs.rstrip().rstrip("/")
        return f'<{tag}{attrs} style="{STYLES[tag]}"{closing}>'

    return TAG_RE.sub(add, html)


def _meta_line(entry: Entry) -> str:
    parts = [f"索引号：{entry.index_number}", f"发布机构：{entry.publisher.name}"]
    if entry.document_number:
        parts.append(f"文号：{entry.document_number}")
    parts.append(f"发布日期：{entry.published_date:%Y年%m月%d日}")
    return "　".join(escape(p) for p in parts)


def _article(entry: Entry, *, with_qr: bool) -> str:
    url = public_url(entry)
    body = _styled(_inline_images(masked_body(entry), entry))
    qr = ""
    if with_qr:
        qr = (
            '<p style="text-align:center;margin:16px 0 4px;">'
            f'<img src="{qr_png_uri(url)}" alt="原文二维码" style="width:160px;height:160px;"></p>'
            '<p style="text-align:center;font-size:13px;color:#666;margin:0 0 12px;">长按识别二维码，查看原文和附件</p>'
        )
    return (
        '<section style="margin:0 0 24px;">'
        f'<h1 style="{STYLES["h1"]}text-align:center;">{escape(entry.title)}</h1>'
        '<p style="font-size:13px;color:#666;text-align:center;margin:0 0 16px;line-height:1.6;">'
        f"{_meta_line(entry)}</p>"
        f"{body}"
        f'<p style="font-size:13px;color:#666;margin:12px 0 0;word-break:break-all;">原文网址：{escape(url)}</p>'
        f"{qr}</section>"
    )


def _page(title: str, content: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>"
        '<body style="margin:0;padding:0;background:#fff;">'
        '<section style="max-width:677px;margin:0 auto;padding:16px;font-family:-apple-system,'
        "'PingFang SC','Microsoft YaHei',sans-serif;color:#222;\">"
        f"{content}</section></body></html>\n"
    )


def article_html(entry: Entry) -> str:
    check_publishable(entry, "导出为公众号文章")
    return _page(entry.title, _article(entry, with_qr=True))


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def digest_entries(unit: Org, day: date) -> list[Entry]:
    start, end = week_of(day)
    qs = Entry.objects.filter(
        unit=unit, status=EntryStatus.PUBLISHED, published_date__gte=start, published_date__lte=end
    )
    return [e for e in with_relations(qs).order_by("published_at", "pk") if not gates.blocking_reasons(e)]


def digest_html(unit: Org, day: date) -> str:
    """The week's (Monday to Sunday around ``day``) published entries of ``unit`` as one article."""
    start, end = week_of(day)
    entries = digest_entries(unit, day)
    if not entries:
        raise ValidationFailed({"week": [f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}这周没有发布信息"]})
    title = f"{unit.name}本周政务公开（{start:%m月%d日}—{end:%m月%d日}）"
    items = "".join(
        f'<li style="{STYLES["li"]}"><a href="{escape(public_url(e))}" style="{STYLES["a"]}">{escape(e.title)}</a>'
        f'<span style="color:#666;font-size:13px;">（{e.published_date:%m月%d日}，'
        f"索引号 {escape(e.index_number or '')}）</span></li>"
        for e in entries
    )
    head = (
        f'<h1 style="{STYLES["h1"]}text-align:center;">{escape(title)}</h1>'
        f'<p style="{STYLES["p"]}">本周共发布政府信息 {len(entries)} 条，目录如下，全文附后。</p>'
        f'<ol style="{STYLES["ol"]}">{items}</ol>'
    )
    return _page(title, head + "".join(_article(e, with_qr=False) for e in entries))
