"""Cleaning what officers type: rich-text bodies, document numbers, plain fields."""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "h5",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
    "img",
    "hr",
    "span",
    "div",
    "pre",
    "code",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"lang"},
}


def sanitize_html(html: str) -> str:
    """Keep structure and links; drop scripts, event handlers, styles and dangerous URL schemes."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_to_text(html: str) -> str:
    """Plain text of a body, for summaries, search and scanning."""
    text = nh3.clean(re.sub(r"(?i)<(br|/p|/div|/li|/tr|/h[2-6])\s*/?>", "\n", html or ""), tags=set())
    text = (
        text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'")
        .replace("&amp;", "&")
    )
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def plain(value: str) -> str:
    """A single-line plain-text field: tags stripped as text, whitespace collapsed."""
    return re.sub(r"\s+", " ", value or "").strip()


_YEAR_BRACKETS = re.compile(r"[\[［【〔﹝（(〈<《{｛]\s*((?:19|20)\d{2})\s*[\]］】〕﹞）)〉>》}｝]")


def normalize_document_number(value: str) -> str:
    """``X政发[2025]3号`` → ``X政发〔2025〕3号`` (GB/T 9704 uses 六角括号 around the year)."""
    value = plain(value)
    value = _YEAR_BRACKETS.sub(r"〔\1〕", value)
    return value.replace(" 号", "号")
