"""QR codes of the public pages: the SVG maker lives in ``gongkai.documents.qr`` (posters print it too)."""

from __future__ import annotations

from gongkai.documents.qr import MASK, qr_svg

__all__ = ["MASK", "qr_svg"]
