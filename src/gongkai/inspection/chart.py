"""The score history of one unit as a small inline SVG (one point per month: the month's last run), for the
county's overview and the unit's page. Presentation attributes only (no ``style``): the staff CSP allows it."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 360, 120, 28


def history_svg(points: list[tuple[str, int, bool]], label: str) -> SafeString:
    """``points``: (YYYY-MM, score 0–100, vetoed) oldest first. A vetoed month is a red square."""
    title = escape(label)
    if not points:
        return mark_safe(
            f'<svg role="img" aria-label="{title}：暂无自查记录" width="{WIDTH}" height="{HEIGHT // 2}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT // 2}"><text x="4" y="20" font-size="12">暂无自查记录</text></svg>'
        )
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(1, len(points) - 1)

    def xy(i: int, score: int) -> tuple[float, float]:
        return PAD + i * step, PAD + inner_h * (1 - score / 100)

    coords = [xy(i, s) for i, (_, s, _) in enumerate(points)]
    parts = [
        f'<svg role="img" aria-labelledby="t{id(points)}" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="t{id(points)}">{title}：'
        + "，".join(f"{m} {s}分{'（单项否决）' if v else ''}" for m, s, v in points)
        + "</title>",
        f'<line x1="{PAD}" y1="{PAD + inner_h}" x2="{PAD + inner_w}" y2="{PAD + inner_h}" stroke="#999"/>',
    ]
    for score in (60, 100):
        _, y = xy(0, score)
        parts.append(f'<line x1="{PAD}" y1="{y:.1f}" x2="{PAD + inner_w}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="2" y="{y + 4:.1f}" font-size="10" fill="#555">{score}</text>')
    if len(coords) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    for (x, y), (month, _score, vetoed) in zip(coords, points, strict=True):
        if vetoed:
            parts.append(f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#b3261e"/>')
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1f5fa8"/>')
        label = escape(month[2:])
        text = f'<text x="{x:.1f}" y="{HEIGHT - 6}" font-size="10" text-anchor="middle" fill="#555">'
        parts.append(text + label + "</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # built above from numbers and escaped text
