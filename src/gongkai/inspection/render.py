"""The inspection result as JSON for machines and as a standalone Chinese HTML page for people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

#: The standalone page's CSS: a file opened from disk or printed, never served under the app pages' CSP; kept out
#: of the template so that no template carries inline code (tests/core/test_headers.py).
REPORT_CSS = Path(__file__).parent / "data" / "report.css"


def to_json(results: list[dict[str, Any]]) -> str:
    return json.dumps({"units": results, "veto": any(r["vetoes"] for r in results)}, ensure_ascii=False, indent=2)


def to_html(results: list[dict[str, Any]]) -> str:
    style = mark_safe(f"<style>\n{REPORT_CSS.read_text(encoding='utf-8')}</style>")  # our own CSS, no user input
    return render_to_string("inspection/report_document.html", {"results": results, "style": style})
