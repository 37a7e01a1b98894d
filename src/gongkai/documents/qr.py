"""QR codes as inline SVG, made on the server: no image request, no external service, prints sharply.

Used by the public pages (portal) and the printed posters (channels); moved down from portal so both floors
share it.
"""

from __future__ import annotations

import qrcode
import qrcode.constants
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Any of the eight masks gives a valid code; fixing one skips qrcode's trial of all eight, which is
#: ten times the cost of the rest (it matters when a build renders a million entry pages).
MASK = 2


def qr_svg(url: str, label: str = "本页二维码") -> SafeString:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=MASK)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    svg = (
        f'<svg role="img" aria-label="{escape(label)}" class="qr" viewBox="0 0 {size} {size}" '
        f'xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{"".join(parts)}"/></svg>'
    )
    return mark_safe(svg)
