from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongkai.catalog import selectors
from gongkai.catalog.timeliness import lag_workdays, state
from gongkai.workdays.calendar import add_workdays

pytestmark = pytest.mark.usefixtures("calendar_until_next_year")


def test_lag_counts_like_a_statutory_period():
    assert lag_workdays(date(2025, 3, 3), date(2025, 3, 3)) == 0
    assert lag_workdays(date(2025, 3, 3), date(2025, 3, 4)) == 1
    assert lag_workdays(date(2025, 9, 26), date(2025, 10, 11)) == 6


@pytest.mark.parametrize(
    "elapsed,expected", [(0, "ok"), (14, "ok"), (15, "warning"), (20, "warning"), (21, "overdue"), (None, "unknown")]
)
def test_states(elapsed, expected):
    assert state(elapsed) == expected


def test_dashboard_warns_at_15_and_flags_overdue_past_20(draft, people):
    today = timezone.localdate()
    fresh = draft(formed_date=today - timedelta(days=1))
    # Find formed dates exactly 15 and 21 working days back.
    d15 = next(today - timedelta(days=k) for k in range(15, 60) if lag_workdays(today - timedelta(days=k), today) == 15)
    d21 = next(today - timedelta(days=k) for k in range(21, 80) if lag_workdays(today - timedelta(days=k), today) == 21)
    warn = draft(formed_date=d15)
    late = draft(formed_date=d21)
    rows = {r.entry.pk: r for r in selectors.timeliness_warnings(people["admin"])}
    assert fresh.pk not in rows
    assert rows[warn.pk].state == "warning" and rows[warn.pk].elapsed == 15
    assert rows[late.pk].state == "overdue" and rows[late.pk].elapsed == 21
    # The drafter of another office does not see these drafts' warnings.
    assert not selectors.timeliness_warnings(people["other_drafter"])


def test_publication_stores_lag(draft, publish):
    today = timezone.localdate()
    formed = next(
        today - timedelta(days=k) for k in range(3, 30) if lag_workdays(today - timedelta(days=k), today) == 3
    )
    entry = publish(draft(formed_date=formed))
    assert entry.lag_workdays == 3
    assert add_workdays(formed, 3) <= today
