"""``gongkai demo`` at its real default size: everything written through the services, search complete, no
task left in the queue, and the history the reports and queues need (issue 14)."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.applications import selectors as app_selectors
from gongkai.applications.choices import AppealKind, ApplicantType, Channel, EventKind
from gongkai.applications.models import Application, ClockEvent, FeeNotice
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.catalog.text import html_to_text
from gongkai.core import audit
from gongkai.core.models import AuditEvent
from gongkai.ops.demo.data import COUNTY
from gongkai.orgs.models import Org
from gongkai.orgs.services import create_org
from gongkai.reports import spec
from gongkai.reports.annual import annual_report_data
from gongkai.reports.bulletin import bulletin_data
from gongkai.screening.scanning import current_results, open_high_findings
from gongkai.search.backends import get_backend

# Real commits, so the after-commit signals run inside the demo's deferral blocks as they do in production.
# pytest-django runs the transactional tests last, after others have flushed the rows migrations load, so the
# demo's rules (result codes, letter templates) are loaded here. (No serialized rollback: after a flush the
# content types come back with new ids, and restoring the serialized ones then collides with them.)
pytestmark = pytest.mark.django_db(transaction=True)


PUBLIC = (EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)


@pytest.fixture
def demo(settings: Any) -> str:
    call_command("applications", "load-rules", verbosity=0)
    # The flush after earlier transactional tests empties the model tables, not SQLite's FTS5 table: start
    # from an empty index, as a fresh install does.
    get_backend().clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo(demo: str, client: Any) -> None:
    today = timezone.localdate()
    y0, y1 = today.year - 1, today.year
    assert "演示数据已载入" in demo and "进度查询示例" in demo

    # No backlog: nothing was queued, not even a screening scan.
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == []

    # Every published entry is in the search index; 低保 finds exactly the entries that contain it.
    published = list(Entry.objects.filter(status=EntryStatus.PUBLISHED))
    assert len(published) >= 280
    expected = {
        e.pk
        for e in published
        if "低保" in " ".join((e.title, e.summary, html_to_text(e.body), e.topic_words, e.document_number))
    }
    assert len(expected) >= 24  # every quarter's list in each of the three units
    api = client.get("/api/v1/search", {"q": "低保"}, HTTP_HOST="127.0.0.1").json()
    assert api["count"] == len(expected)
    page = client.get("/search/", {"q": "低保"}, HTTP_HOST="127.0.0.1").content.decode()
    assert f"找到 {len(expected)} 条信息" in page

    # Every entry has its audit trail, through the right people; the chain holds.
    trail: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in AuditEvent.objects.filter(object_type="catalog.entry").order_by("id"):
        trail[event.object_id].append(event)
    lifecycle = ("entry.submit", "entry.review_pass", "entry.publish")
    for entry in Entry.objects.select_related("unit"):
        events = trail[str(entry.pk)]
        assert events[0].action == "entry.create", entry.title
        if entry.status in PUBLIC:
            steps = [(e.action, e.actor_name) for e in events if e.action in lifecycle]
            slug = entry.unit.slug
            assert steps[0][0] == "entry.submit" and steps[0][1] in (f"{slug}_clerk", f"{slug}_admin")
            assert steps[1:] == [("entry.review_pass", f"{slug}_review"), ("entry.publish", f"{slug}_sign")]
            assert entry.versions.filter(number=1, reason="首次发布").exists()
    assert audit.verify() == []
    assert Entry.objects.filter(versions__number=2).exists()  # edits and validity changes made new versions

    # Index numbers: per unit and year, 1..n in publication order.
    serials: dict[tuple[int, int], list[tuple[Any, Any]]] = defaultdict(list)
    for entry in Entry.objects.filter(status__in=PUBLIC):
        assert entry.index_year == timezone.localtime(entry.published_at).year
        serials[(entry.unit_id, entry.index_year)].append((entry.published_at, entry.index_serial))
    assert {year for _unit, year in serials} == {y0, y1}
    for rows in serials.values():
        assert [s for _at, s in sorted(rows)] == list(range(1, len(rows) + 1))

    # Work in progress in every queue of every unit; journey 1's list waits in review with its ID numbers.
    for slug in ("dongshan", "xiling", "chengguan"):
        states = set(Entry.objects.filter(unit__slug=slug).values_list("status", flat=True))
        assert {EntryStatus.DRAFT, EntryStatus.RETURNED, EntryStatus.REVIEW, EntryStatus.SIGNOFF} <= states
    listing = Entry.objects.get(title__contains="城乡低保新增对象公示", status=EntryStatus.REVIEW)
    assert open_high_findings(current_results(listing)) >= 12

    # Applications: every channel, applicant type and result row, the clock events, fees, appeals.
    town = Org.objects.get(slug="dongshan")
    cases = Application.objects.filter(unit=town)
    assert 38 <= cases.count() <= 45
    assert set(cases.values_list("channel", flat=True)) == set(Channel.values)
    assert set(cases.values_list("applicant_type", flat=True)) == set(ApplicantType.values)
    kinds = set(ClockEvent.objects.filter(application__unit=town).values_list("kind", flat=True))
    assert set(EventKind.values) <= kinds  # 补正, consultation, extension, fee, transfer, …
    assert FeeNotice.objects.filter(application__unit=town, paid_on__isnull=False).exists()
    assert FeeNotice.objects.filter(application__unit=town, lapsed_on__isnull=False).exists()
    appeals = set(town.applications.values_list("appeals__kind", flat=True))
    assert set(AppealKind.values) <= appeals
    year_end = cases.get(received_on=date(y0, 12, 31))
    assert year_end.reply.replied_on == date(y1, 1, 16)
    # Journey 2's case can be tracked with the number and code the command prints.
    printed = re.search(r"申请编号 (\S+)，查询码 (\S+)", demo)
    assert printed is not None
    tracked = app_selectors.find_by_tracking(*printed.groups())
    assert tracked is not None and tracked.reply.result_id == "partly_granted"
    assert tracked.appeals.filter(kind=AppealKind.RECONSIDERATION).exists()

    # The annual reports have real tables 三 and 四 in both years, and they balance.
    reports = {y: annual_report_data(town, y) for y in (y0, y1)}
    for data in reports.values():
        rows = data["applications"]["rows"]
        assert rows["new"][-1] > 0 and rows["total_handled"][-1] > 0
        assert sum(g["total"] for g in data["appeals"].values()) > 0
        assert data["checks"] == []
    for key in spec.result_keys():  # all 22 rows of table 三 are used over the two years
        assert sum(reports[y]["applications"]["rows"][key][-1] for y in (y0, y1)) > 0, key
    carried = reports[y0]["applications"]["rows"]["carried_over"]
    assert carried == reports[y1]["applications"]["rows"]["carried_in"] and carried[-1] >= 1

    # Open cases for the queue and the dashboard, seen by the township's 公开办.
    admin = get_user_model().objects.get(username="dongshan_admin")
    board = app_selectors.dashboard(app_selectors.handled_cases(admin))
    assert board.pending and board.due_soon and board.overdue
    assert board.awaiting_correction and board.in_consultation and board.awaiting_fee

    # The county bulletin has publications and a late reply to report.
    county = Org.objects.get(code="QH0001")
    quarters = [bulletin_data(county, f"{y1}-Q{q}") for q in (1, 2, 3, 4)]
    assert all(row["published"] for b in quarters for row in b["rows"])
    assert any(row["late_replies"] for b in quarters for row in b["rows"])

    # Running it again changes nothing.
    again = io.StringIO()
    call_command("demo", stdout=again)
    assert "已存在" in again.getvalue()


@pytest.mark.django_db
def test_an_interrupted_load_is_not_taken_for_a_demo() -> None:
    """Each service call commits on its own: a load killed half way leaves the county, and says so."""
    create_org(actor=None, **COUNTY)
    with pytest.raises(CommandError, match="没有完成"):
        call_command("demo", stdout=io.StringIO())
