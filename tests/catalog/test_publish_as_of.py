"""``publish_as_of``: sign-off with a historical publication moment, for seeding history (``gongkai demo``)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gongkai.catalog import services
from gongkai.catalog.models import EntryStatus
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent

TZ = ZoneInfo("Asia/Shanghai")


def ready(draft, people, **fields):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft(**fields))
    return services.review_pass(actor=people["reviewer"], entry=entry)


def test_back_dated_publication_is_an_ordinary_one_on_that_day(draft, people):
    entry = ready(draft, people, formed_date=date(2025, 3, 3))
    when = datetime(2025, 3, 5, 10, 30, tzinfo=TZ)
    entry = services.publish_as_of(actor=people["signer"], entry=entry, published_at=when)
    assert entry.status == EntryStatus.PUBLISHED
    assert entry.published_at == when and entry.published_date == date(2025, 3, 5)
    assert entry.index_number == "QH0101/2025-00001" and entry.lag_workdays == 2
    assert [v.reason for v in entry.versions.all()] == ["首次发布"]
    event = AuditEvent.objects.get(action="entry.publish", object_id=str(entry.pk))
    assert event.actor_name == "town_signer"
    assert event.changes["published_at"] == [None, when.isoformat()]  # a back-dated publication says so
    assert event.changes["index_number"] == [None, "QH0101/2025-00001"]


def test_oldest_first_keeps_index_numbers_in_publication_order(draft, people):
    first = ready(draft, people, formed_date=date(2025, 3, 3))
    second = ready(draft, people, formed_date=date(2025, 3, 3))
    services.publish_as_of(actor=people["signer"], entry=first, published_at=datetime(2025, 4, 1, 9, tzinfo=TZ))
    with pytest.raises(ValidationFailed, match="从早到晚"):
        services.publish_as_of(actor=people["signer"], entry=second, published_at=datetime(2025, 3, 20, 9, tzinfo=TZ))
    second = services.publish_as_of(
        actor=people["signer"], entry=second, published_at=datetime(2025, 4, 2, 9, tzinfo=TZ)
    )
    assert second.index_number == "QH0101/2025-00002"


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (datetime(2025, 3, 5, 10), "时区"),
        (timezone.now() + timedelta(hours=1), "晚于现在"),
        (datetime(2025, 3, 1, 10, tzinfo=TZ), "成文日期晚于发布日期"),
    ],
)
def test_refuses_naive_future_and_before_formed(draft, people, when, message):
    entry = ready(draft, people, formed_date=date(2025, 3, 3))
    with pytest.raises(ValidationFailed, match=message):
        services.publish_as_of(actor=people["signer"], entry=entry, published_at=when)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SIGNOFF and entry.index_number is None


def test_still_only_the_signer(draft, people):
    entry = ready(draft, people, formed_date=date(2025, 3, 3))
    with pytest.raises(NotAllowed):
        services.publish_as_of(actor=people["drafter"], entry=entry, published_at=datetime(2025, 3, 5, 10, tzinfo=TZ))
