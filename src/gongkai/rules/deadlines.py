"""The annual report deadline (《条例》第四十九条) as one function, for the staff reminder and the public page.

The Regulation sets 31 March for a county government's report (rule ``report_government``) and 31 January
for departments; it sets no date for townships and streets, whose county usually imposes 31 January (rule
``report_township``). A deployment may set its own date, written MM-DD, in ``GONGKAI_ANNUAL_REPORT_DEADLINE``
(townships, streets) or ``GONGKAI_COUNTY_REPORT_DEADLINE`` (the county); a malformed one is ignored and
reported by ``gongkai check`` (rules.W001).
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

from .periods import get

SETTINGS = {False: "GONGKAI_ANNUAL_REPORT_DEADLINE", True: "GONGKAI_COUNTY_REPORT_DEADLINE"}


def _setting(county: bool) -> str:
    key = SETTINGS[county]
    return str(getattr(settings, key, None) or os.environ.get(key) or "")


def configured(county: bool) -> tuple[int, int] | None:
    """The deployment's own (month, day), or None when unset or malformed."""
    text = _setting(county)
    if not text:
        return None
    try:
        month, day = (int(x) for x in text.split("-"))
        date(2001, month, day)  # must exist every year: 02-29 is refused
    except ValueError:
        return None
    return month, day


def annual_report_deadline(year: int, *, county: bool) -> date:
    """The last day to publish the report on ``year`` (a day of ``year + 1``)."""
    own = configured(county)
    if own:
        return date(year + 1, *own)
    return get("report_government" if county else "report_township", on=date(year + 1, 1, 1)).date_in(year + 1)


@register()
def deadline_settings(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    return [
        Warning(
            f"{SETTINGS[county]}={_setting(county)!r} 不是有效的月-日，"
            "年度报告截止日按《条例》第四十九条的默认值计算。",
            hint="请写作 MM-DD，如 01-31（不能是 02-29）。",
            id="rules.W001",
        )
        for county in (False, True)
        if _setting(county) and configured(county) is None
    ]
