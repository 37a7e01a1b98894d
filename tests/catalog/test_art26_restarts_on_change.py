"""《条例》第二十六条: information is published within 20 working days of the day it was formed *or changed*.
A correction that publishes a 变更 records the day the information changed; the period counts again from then,
and the version (not the original publication) is late past it. A typo fix leaves no change date."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.catalog import services
from gongkai.core.errors import ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.reports import annual
from gongkai.workdays.calendar import add_workdays
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("calendar_until_next_year")

FORMED = date(2025, 3, 3)


def published(draft, publish, today):
    today(date(2025, 3, 10))
    return publish(draft(formed_date=FORMED))


def test_art26_change_published_within_the_period_from_the_change(draft, publish, people, today):
    entry = published(draft, publish, today)
    changed = date(2025, 6, 2)
    today(add_workdays(changed, 20))
    services.edit_published(
        actor=people["admin"], entry=entry, reason="调整补助标准", changed_date=changed, title="新标准"
    )
    version = entry.versions.order_by("-number").first()
    assert version.changed_date == changed and version.lag_workdays == 20 and not version.published_late
    event = AuditEvent.objects.filter(action="entry.edit_published").latest("id")
    assert event.changes["changed_date"] == [None, "2025-06-02"] and event.changes["change_lag_workdays"] == [None, 20]


def test_art26_change_published_late_is_late_though_the_entry_was_on_time(draft, publish, people, today):
    entry = published(draft, publish, today)
    assert not entry.published_late  # 5 working days after it was formed
    today(add_workdays(date(2025, 6, 2), 21))
    services.edit_published(actor=people["admin"], entry=entry, reason="名单调整", changed_date="2025-06-02")
    version = entry.versions.order_by("-number").first()
    assert version.lag_workdays == 21 and version.published_late
    timeliness = annual.entry_statistics(entry.unit, 2025)["timeliness"]
    assert timeliness["changes"] == 1 and timeliness["changes_over_limit"] == 1


def test_a_typo_fix_records_no_change_date(draft, publish, people, today):
    entry = published(draft, publish, today)
    services.edit_published(actor=people["admin"], entry=entry, reason="更正错字", title="更正后的标题")
    version = entry.versions.order_by("-number").first()
    assert version.changed_date is None and version.lag_workdays is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("2025-13-01", "格式应为"), ("2030-01-01", "不能晚于今天"), ("2025-01-01", "不能早于成文日期")],
)
def test_bad_change_date_names_the_field_and_writes_no_version(draft, publish, people, today, value, message):
    entry = published(draft, publish, today)
    before = entry.versions.count()
    with pytest.raises(ValidationFailed) as exc:
        services.edit_published(actor=people["admin"], entry=entry, reason="变更", changed_date=value)
    assert exc.value.field == "changed_date" and message in exc.value.message
    assert entry.versions.count() == before


def test_the_staff_form_takes_the_change_date_and_the_page_shows_the_lag(client, draft, publish, people, today):
    entry = published(draft, publish, today)
    today(add_workdays(date(2025, 6, 3), 10))
    client.login(username=people["admin"].username, password=PASSWORD)
    form = client.get(reverse("staff:entry_edit", args=[entry.pk]))
    assert "信息变更日期" in form.content.decode()
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data.update({"reason": "调整标准", "changed_date": "2025-13-40", "formed_date": "2025-03-03"})
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
    bad = client.post(reverse("staff:entry_edit", args=[entry.pk]), data)
    assert bad.status_code == 200 and "信息变更日期格式应为 YYYY-MM-DD" in bad.content.decode()
    assert "调整标准" in bad.content.decode()  # what was typed is kept
    data["changed_date"] = "2025-06-03"
    done = client.post(reverse("staff:entry_edit", args=[entry.pk]), data, follow=True)
    assert done.status_code == 200
    page = client.get(reverse("staff:entry_detail", args=[entry.pk])).content.decode()
    assert "信息变更于 2025-06-03，10 个工作日后公开" in page and "超过第二十六条期限" not in page
