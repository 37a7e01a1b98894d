"""Charts as plain SVG with Chinese labels. Every bar carries its label and its number in text, and bars
differ by position, not by colour, so a chart reads the same printed in black and white."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from . import spec

FONT = "GK Sans, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, SimHei, sans-serif"
BAR = "#2f5d8a"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="12">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="14" font-weight="bold">'
        f"{escape(title)}</text>" + "".join(body) + "</svg>"
    )


def horizontal_bars(title: str, items: list[tuple[str, int]], *, suffix: str = "") -> str:
    """One bar per item, label on the left, number (and suffix) at the bar's end."""
    width, label_w, row_h = 640, 220, 24
    height = 40 + row_h * max(len(items), 1) + 10
    peak = max((v for _, v in items), default=0) or 1
    span = width - label_w - 70
    body: list[str] = []
    if not items:
        body.append(f'<text x="{width / 2:.0f}" y="55" text-anchor="middle">本年无数据</text>')
    for i, (label, value) in enumerate(items):
        y = 36 + i * row_h
        w = span * value / peak
        text = label if len(label) <= 16 else label[:15] + "…"
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(text)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{BAR}"/>')
        body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{value}{escape(suffix)}</text>')
    return _svg(width, height, title, body)


def vertical_bars(title: str, items: list[tuple[str, int]]) -> str:
    width, height, top, bottom, left = 640, 260, 36, 40, 30
    n = max(len(items), 1)
    slot = (width - left - 10) / n
    peak = max((v for _, v in items), default=0) or 1
    plot_h = height - top - bottom
    base = height - bottom
    body = [f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#000"/>']
    for i, (label, value) in enumerate(items):
        x = left + i * slot
        h = plot_h * value / peak
        body.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"/>'
        )
        body.append(f'<text x="{x + slot / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle">{value}</text>')
        body.append(f'<text x="{x + slot / 2:.1f}" y="{base + 16}" text-anchor="middle">{escape(label)}</text>')
    return _svg(width, height, title, body)


def category_chart(data: dict[str, Any]) -> str:
    items = [(c["category"], c["count"]) for c in data["entries"]["by_category"]]
    body = horizontal_bars(f"{data['year']}年主动公开信息类别分布（条）", items)
    # The percentage is part of the text so the chart needs no legend.
    for c in data["entries"]["by_category"]:
        body = body.replace(f">{c['count']}</text>", f">{c['count']}（{c['percent']}%）</text>", 1)
    return body


def monthly_chart(data: dict[str, Any]) -> str:
    items = [(f"{m}月", n) for m, n in enumerate(data["entries"]["by_month"], start=1)]
    return vertical_bars(f"{data['year']}年各月主动公开信息数量（条）", items)


def history_chart(data: dict[str, Any]) -> str:
    items = [(f"{h['year']}年", h["count"]) for h in data["entries"]["history"]]
    return vertical_bars("近年主动公开信息数量（条）", items)


def results_chart(data: dict[str, Any]) -> str:
    rows = data["applications"]["rows"]
    total = data["applications"]["columns"].index("total")
    groups: dict[str, int] = {}
    for key in spec.result_keys():
        group = key.split(".")[0]
        groups[group] = groups.get(group, 0) + rows[key][total]
    names = {
        "granted": "予以公开",
        "partly_granted": "部分公开",
        "withheld": "不予公开",
        "unable": "无法提供",
        "not_processed": "不予处理",
        "other": "其他处理",
    }
    items = [(names[g], n) for g, n in groups.items()]
    return horizontal_bars(f"{data['year']}年政府信息公开申请办理结果（件）", items)


def all_charts(data: dict[str, Any]) -> dict[str, str]:
    return {
        "category": category_chart(data),
        "monthly": monthly_chart(data),
        "history": history_chart(data),
        "results": results_chart(data),
    }
