"""Checks on entry fields, shared by the single-entry services (services.py) and the bulk import (bulk.py).

Each returns the cleaned value and the Chinese message of what is wrong with it, or None, so that one caller
can raise on the first form and the other collect every row's problems. Art. 12 lists what a catalog entry
must carry (索引、名称、内容概述、生成日期).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.orgs.models import Org

from .models import Category, Validity
from .text import normalize_document_number, plain, sanitize_html


def clean_title(value: Any) -> tuple[str, str | None]:
    title = plain(str(value or ""))
    if not title:
        return title, "标题不能为空"
    if len(title) > 200:
        return title, f"标题不能超过 200 个字（现为 {len(title)} 个字）"
    return title, None


def category_error(unit: Org, category: Any) -> str | None:
    if not isinstance(category, Category):
        return "请选择目录类别"
    if category.unit_id != unit.pk:
        return "目录类别不属于本单位"
    if category.is_retired:
        return f"目录类别“{category.name}”已停用"
    return None


def formed_date_error(formed: date | None, as_of: date) -> str | None:
    if formed is None:
        return "成文日期不能为空"
    if isinstance(formed, date) and formed > as_of:
        return "成文日期不能晚于今天"
    return None


def clean_summary(value: Any) -> tuple[str, str | None]:
    summary = plain(str(value or ""))
    return summary, "内容概述不能超过 2000 个字" if len(summary) > 2000 else None


def clean_body(value: Any) -> str:
    return sanitize_html(str(value or ""))


def clean_document_number(value: Any) -> tuple[str, str | None]:
    number = normalize_document_number(str(value or ""))
    return number, "文号不能超过 80 个字" if len(number) > 80 else None


_VALIDITIES = frozenset(Validity.values)


def validity_error(validity: Any) -> str | None:
    return None if validity in _VALIDITIES else "有效性取值无效"
