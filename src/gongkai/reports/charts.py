"""Charts with Chinese labels: SVG for HTML and PDF, PNG (Pillow, the embedded CJK subset) for DOCX.

Every bar carries its label and its number in text, and bars differ by position, not by colour, so a chart
reads the same printed in black and white."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from gongkai.documents.fonts import face_file

from . import spec

FONT = "GK Sans, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, SimHei, sans-serif"
BAR = "#2f5d8a"
RESULT_GROUPS = {
    "granted": "予以公开",
    "partly_granted": "部分公开",
    "withheld": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}


@dataclass
class Chart:
    key: str
    title: str
    bars: list[tuple[str, int, str]]  # (label, value, text printed at the bar)
    horizontal: bool


def specs(data: dict[str, Any]) -> list[Chart]:
    year = data["year"]
    e = data["entries"]
    rows = data["applications"]["rows"]
    total = data["applications"]["columns"].index("total")
    groups: dict[str, int] = {}
    for key in spec.result_keys():
        group = key.split(".")[0]
        groups[group] = groups.get(group, 0) + rows[key][total]
    return [
        Chart(
            "category",
            f"{year}年主动公开信息类别分布（条）",
            [(c["category"], c["count"], f"{c['count']}（{c['percent']}%）") for c in e["by_category"]],
            True,
        ),
        Chart(
            "monthly",
            f"{year}年各月主动公开信息数量（条）",
            [(f"{m}月", n, str(n)) for m, n in enumerate(e["by_month"], 1)],
            False,
        ),
        Chart(
            "history",
            "近年主动公开信息数量（条）",
            [(f"{h['year']}年", h["count"], str(h["count"])) for h in e["history"]],
            False,
        ),
        Chart(
            "results",
            f"{year}年政府信息公开申请办理结果（件）",
            [(RESULT_GROUPS[g], n, str(n)) for g, n in groups.items()],
            True,
        ),
    ]


# --- geometry shared by both renderers ------------------------------------------------------------------------

WIDTH = 640


def _short(label: str) -> str:
    return label if len(label) <= 16 else label[:15] + "…"


Bar = tuple[str, tuple[float, float, float, float], tuple[float, float, str], str]


def _layout(chart: Chart) -> tuple[int, list[Bar]]:
    """Height and, per bar: label text+anchor, rectangle (x, y, w, h), value position and text anchor."""
    peak = max((v for _, v, _ in chart.bars), default=0) or 1
    out: list[Bar] = []
    if chart.horizontal:
        label_w, row_h = 220, 24
        height = 40 + row_h * max(len(chart.bars), 1) + 10
        span = WIDTH - label_w - 90
        for i, (label, value, text) in enumerate(chart.bars):
            y = 36 + i * row_h
            w = span * value / peak
            out.append((_short(label), (label_w, y + 3, w, row_h - 8), (label_w + w + 4, y + 15, text), "end"))
        return height, out
    height, top, bottom, left = 260, 36, 40, 30
    slot = (WIDTH - left - 10) / max(len(chart.bars), 1)
    base = height - bottom
    for i, (label, value, text) in enumerate(chart.bars):
        x = left + i * slot
        h = (height - top - bottom) * value / peak
        out.append((label, (x + slot * 0.15, base - h, slot * 0.7, h), (x + slot / 2, base - h - 4, text), "middle"))
    return height, out


def to_svg(chart: Chart) -> str:
    height, bars = _layout(chart)
    t = escape(chart.title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{t}" font-family="{FONT}" font-size="12"><title>{t}</title>',
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="{WIDTH / 2:.0f}" y="20" text-anchor="middle" font-size="14" font-weight="bold">{t}</text>',
    ]
    if not chart.bars or not any(v for _, v, _ in chart.bars):
        parts.append(f'<text x="{WIDTH / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle">本年无数据</text>')
    if not chart.horizontal:
        parts.append(f'<line x1="30" y1="{height - 40}" x2="{WIDTH - 10}" y2="{height - 40}" stroke="#000"/>')
    for label, (x, y, w, h), (vx, vy, text), _anchor in bars:
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{BAR}"/>')
        if chart.horizontal:
            parts.append(f'<text x="{x - 6:.1f}" y="{y + 12:.1f}" text-anchor="end">{escape(label)}</text>')
            parts.append(f'<text x="{vx:.1f}" y="{vy:.1f}">{escape(text)}</text>')
        else:
            parts.append(f'<text x="{vx:.1f}" y="{vy:.1f}" text-anchor="middle">{escape(text)}</text>')
            parts.append(f'<text x="{vx:.1f}" y="{height - 24}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


@functools.lru_cache(maxsize=8)
def _font(path: str, index: int, size: int) -> Any:
    """FreeType faces are parsed once per process, not twice per chart."""
    from PIL import ImageFont

    return ImageFont.truetype(path, size, index=index)


def to_png(chart: Chart, scale: int = 2) -> bytes:
    """The same chart drawn with Pillow (DOCX cannot show SVG everywhere)."""
    from PIL import Image, ImageDraw

    # The subset when built, otherwise the system Noto Sans (and its build queued): never built here.
    path, index = face_file("gk-sans")
    font = _font(str(path), index, 12 * scale)
    bold = _font(str(path), index, 14 * scale)
    height, bars = _layout(chart)
    img = Image.new("RGB", (WIDTH * scale, height * scale), "white")
    draw = ImageDraw.Draw(img)
    s = scale
    draw.text((WIDTH * s / 2, 20 * s), chart.title, fill="black", font=bold, anchor="ms")
    if not chart.bars or not any(v for _, v, _ in chart.bars):
        draw.text((WIDTH * s / 2, height * s / 2), "本年无数据", fill="black", font=font, anchor="ms")
    if not chart.horizontal:
        draw.line([(30 * s, (height - 40) * s), ((WIDTH - 10) * s, (height - 40) * s)], fill="black", width=s)
    for label, (x, y, w, h), (vx, vy, text), _anchor in bars:
        if w > 0 and h > 0:
            draw.rectangle([x * s, y * s, (x + w) * s, (y + h) * s], fill=BAR)
        if chart.horizontal:
            draw.text(((x - 6) * s, (y + 12) * s), label, fill="black", font=font, anchor="rs")
            draw.text((vx * s, vy * s), text, fill="black", font=font, anchor="ls")
        else:
            draw.text((vx * s, vy * s), text, fill="black", font=font, anchor="ms")
            draw.text((vx * s, (height - 24) * s), label, fill="black", font=font, anchor="ms")
    buffer = io.BytesIO()
    # zlib's default level: ``optimize=True`` made the file 5 % smaller and the DOCX export 0.2 s slower.
    img.save(buffer, format="PNG")
    return buffer.getvalue()


def all_charts(data: dict[str, Any]) -> dict[str, str]:
    return {chart.key: to_svg(chart) for chart in specs(data)}


def all_png(data: dict[str, Any]) -> dict[str, bytes]:
    return {chart.key: to_png(chart) for chart in specs(data)}
