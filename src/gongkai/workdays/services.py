"""Changing the calendar: overrides and imported yearly notices. Every change is audited."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.dispatch import Signal

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed

from .models import CalendarOverride, CalendarYear

#: Sent after any calendar change, with ``years`` (a set of ints): deadline owners recompute.
calendar_changed = Signal()


def _parse_date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationFailed({field: [f"日期格式应为 YYYY-MM-DD，收到“{value}”"]}) from exc


def set_override(*, actor: Any, day: date, is_workday: bool, name: str = "") -> CalendarOverride:
    with transaction.atomic():
        existing = CalendarOverride.objects.filter(date=day).first()
        before = {"is_workday": existing.is_workday, "name": existing.name} if existing else {}
        obj, _ = CalendarOverride.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name})
        audit.record(
            Action.CALENDAR_OVERRIDE,
            actor=actor,
            obj=obj,
            changes=audit.diff(before, {"is_workday": is_workday, "name": name}),
        )
        transaction.on_commit(lambda: calendar_changed.send(sender=CalendarOverride, years={day.year}))
    return obj


def import_notice(*, actor: Any, data: dict[str, Any]) -> CalendarYear:
    """Load one year's official notice: holiday spans and make-up working days.

    ``data``: ``{"year": 2027, "notice": "...", "holidays": [{"name", "from", "to"}],
    "workdays": [{"date", "name"}]}``. Weekends not listed as make-up days stay off; weekdays not listed
    as holidays stay working days.
    """
    errors: dict[str, list[str]] = {}
    try:
        year = int(data.get("year", ""))
    except (TypeError, ValueError):
        raise ValidationFailed({"year": ["缺少年份（year）或年份不是整数"]}) from None
    rows: dict[date, tuple[bool, str]] = {}
    for i, span in enumerate(data.get("holidays") or [], start=1):
        name = str(span.get("name", "节假日"))
        start = _parse_date(span.get("from") or span.get("date"), f"holidays[{i}].from")
        end = _parse_date(span.get("to") or span.get("from") or span.get("date"), f"holidays[{i}].to")
        if end < start or (end - start).days > 15:
            errors.setdefault(f"holidays[{i}]", []).append(f"“{name}”的起止日期不合理")
            continue
        day = start
        while day <= end:
            rows[day] = (False, name)
            day += timedelta(days=1)
    for i, item in enumerate(data.get("workdays") or [], start=1):
        day = _parse_date(item.get("date") if isinstance(item, dict) else item, f"workdays[{i}]")
        if day in rows:
            errors.setdefault(f"workdays[{i}]", []).append(f"{day} 同时被列为假日和调休上班日")
        rows[day] = (True, str(item.get("name", "调休上班")) if isinstance(item, dict) else "调休上班")
    for day in rows:
        if (
            day.year != year
            and not (day.year == year + 1 and day.month == 1)
            and not (day.year == year - 1 and day.month == 12)
        ):
            errors.setdefault("holidays", []).append(f"{day} 不属于 {year} 年的放假安排")
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        for day, (work, name) in sorted(rows.items()):
            CalendarOverride.objects.update_or_create(date=day, defaults={"is_workday": work, "name": name})
        cal_year, _ = CalendarYear.objects.update_or_create(year=year, defaults={"notice": str(data.get("notice", ""))})
        audit.record(
            Action.CALENDAR_IMPORT,
            actor=actor,
            obj=cal_year,
            comment=str(data.get("notice", "")),
            changes={"days": len(rows)},
        )
        years = {d.year for d in rows} | {year}
        transaction.on_commit(lambda: calendar_changed.send(sender=CalendarYear, years=years))
    return cal_year


def load_notice_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = path.read_text(encoding="gb18030")
    except OSError as exc:
        raise ValidationFailed({"file": [f"无法读取文件：{exc.strerror}"]}) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed({"file": [f"文件不是合法的 YAML/JSON：{exc}"]}) from exc
    if not isinstance(data, dict):
        raise ValidationFailed({"file": ["文件内容应为一个对象（含 year、holidays、workdays）"]})
    return data
