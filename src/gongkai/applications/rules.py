"""Loading the rules kept as data: result codes (table 三 rows) and default letter templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
RESULT_CODES_FILE = DATA_DIR / "result_codes.yaml"
LETTER_TEMPLATES_FILE = DATA_DIR / "letter_templates.yaml"


def read_result_codes(path: Path = RESULT_CODES_FILE) -> list[dict[str, Any]]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(rows, list)
    return rows


def read_letter_templates(path: Path = LETTER_TEMPLATES_FILE) -> dict[str, dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def load_result_codes(model: Any) -> int:
    """Upsert the YAML rows into ``model`` (the real or the migration's historical ResultCode)."""
    for order, row in enumerate(read_result_codes(), start=1):
        model.objects.update_or_create(
            key=row["key"],
            defaults={
                "group": row["group"],
                "group_label": row["group_label"],
                "label": row["label"],
                "short_label": row["short_label"],
                "article": row["article"],
                "letter_kind": row["letter"],
                "wording": row["wording"].strip(),
                "needs": row.get("needs", ""),
                "sort_order": order,
            },
        )
    return order


def load_letter_templates(model: Any, *, overwrite: bool = False) -> int:
    """Create the platform-default templates; keep an administrator's edits unless ``overwrite``."""
    count = 0
    for kind, row in read_letter_templates().items():
        defaults = {
            "title": row["title"],
            "body": row["body"].strip(),
            "number_prefix": row.get("prefix", ""),
            "salutation": row.get("salutation", "{申请人}："),
        }
        if overwrite:
            model.objects.update_or_create(kind=kind, unit=None, defaults=defaults)
        else:
            model.objects.get_or_create(kind=kind, unit=None, defaults=defaults)
        count += 1
    return count
