"""The inspection result as JSON for machines and as a standalone Chinese HTML page for people."""

from __future__ import annotations

import json
from typing import Any

from django.template.loader import render_to_string


def to_json(results: list[dict[str, Any]]) -> str:
    return json.dumps({"units": results, "veto": any(r["vetoes"] for r in results)}, ensure_ascii=False, indent=2)


def to_html(results: list[dict[str, Any]]) -> str:
    return render_to_string("inspection/report_document.html", {"results": results})
