"""The catalog's bulk import (catalog.bulk): all or nothing, index numbers in order and never reused, one
audit event per entry plus one for the import, and the same version a staff publication stores."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.catalog import bulk, services
from gongkai.catalog.models import Category, Entry, EntryStatus, EntryVersion, IndexCounter
from gongkai.core import audit
from gongkai.core.errors import NotAllowed, RowProblem, RowsRejected
from gongkai.core.models import AuditEvent

NOTICES = "通知公告"


def row(n: int, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "row": n,
        "title": f"关于第{n}次农村人居环境整治的通知",
        "category": NOTICES,
        "formed_date": date(2025, 3, 3),
        "published_date": date(2025, 3, 5),
        "summary": "部署农村人居环境整治工作。",
        "body": "<p>各村：现将有关事项通知如下。</p>",
    }
    out.update(fields)
    return out


@pytest.fixture
def admin(people: dict[str, Any], today: Any) -> Any:
    today(date(2026, 1, 20))
    return people["admin"]


def test_one_bad_row_writes_nothing(tree: Any, admin: Any) -> None:
    audit_before = AuditEvent.objects.count()
    rows = [
        row(2),
        row(3, category="历史资料/2019年以前"),  # would be created
        row(4, title=""),
        row(5),
    ]
    with pytest.raises(RowsRejected) as exc:
        bulk.import_entries(actor=admin, unit=tree.town, rows=rows, create_categories=True)
    assert exc.value.problems == [RowProblem(4, "title", "标题不能为空")]
    assert not Entry.objects.filter(unit=tree.town).exists()
    assert not Category.objects.filter(unit=tree.town, name="历史资料").exists()
    assert not IndexCounter.objects.filter(unit=tree.town).exists()
    assert AuditEvent.objects.count() == audit_before


def test_every_problem_listed_in_row_and_field_order(tree: Any, admin: Any) -> None:
    rows = [
        row(2, title="长" * 201, formed_date=date(2026, 2, 1), published_date=None),
        row(3, category="不存在的栏目", document_number="文" * 81, validity="gone"),
        row(4, published_date=date(2025, 3, 1), index_number="X/1"),
        row(5, index_number="X/1", summary="概" * 2001),
        row(6, published_date=None, index_number="X/2"),
    ]
    problems = bulk.check_entries(unit=tree.town, rows=rows)
    assert [(p.row, p.field) for p in problems] == [
        (2, "title"),
        (2, "formed_date"),
        (3, "category"),
        (3, "document_number"),
        (3, "validity"),
        (4, "published_date"),
        (5, "index_number"),
        (5, "summary"),
        (6, "index_number"),
    ]
    assert "与第 4 行重复" in problems[6].message
    assert problems[8].message == "未发布的信息不能有索引号（索引号在发布时分配）"


def test_field_checks_are_those_of_a_single_entry(tree: Any, admin: Any) -> None:
    """The same function checks a row and a draft: the messages are the single-entry service's."""
    bad = {"title": "长" * 201, "formed_date": date(2026, 2, 1), "summary": "概" * 2001, "document_number": "文" * 81}
    single = services.field_errors(tree.town, bad)
    problems = bulk.check_entries(unit=tree.town, rows=[row(2, published_date=None, **bad)])
    assert {p.field: [p.message] for p in problems} == single
    retired = Category.objects.get(unit=tree.town, name=NOTICES)
    retired.is_retired = True
    retired.save()
    (problem,) = bulk.check_entries(unit=tree.town, rows=[row(2)])
    assert problem.message == services.field_errors(tree.town, {"category": retired})["category"][0]


def test_index_numbers_in_order_of_publication_and_never_reused(
    tree: Any, admin: Any, people: dict[str, Any], draft: Any, publish: Any, today: Any
) -> None:
    today(date(2025, 3, 4))
    first = publish(draft(formed_date=date(2025, 3, 3)))
    assert first.index_number == "QH0101/2025-00001"
    today(date(2026, 1, 20))
    rows = [
        row(2, published_date=date(2025, 9, 2)),
        row(3, published_date=date(2025, 3, 10), index_number="QH0101/2025-00003"),  # issued by the old system
        row(4, published_date=date(2025, 3, 5)),
        row(5, published_date=date(2024, 5, 7), formed_date=date(2024, 5, 6)),
        row(6, published_date=date(2025, 6, 1)),
        row(7, published_date=None),
    ]
    done = bulk.import_entries(actor=admin, unit=tree.town, rows=rows)
    assert (done.created, done.published, done.drafts) == (6, 5, 1)
    numbers = {e.title: e.index_number for e in Entry.objects.filter(unit=tree.town).exclude(pk=first.pk)}
    assert numbers == {
        row(4)["title"]: "QH0101/2025-00002",
        row(3)["title"]: "QH0101/2025-00003",
        row(6)["title"]: "QH0101/2025-00004",  # 00003 is taken: skipped, not reused
        row(2)["title"]: "QH0101/2025-00005",
        row(5)["title"]: "QH0101/2024-00001",
        row(7)["title"]: None,
    }
    later = services.create_draft(
        actor=people["drafter"], unit=tree.town, title="导入之后的通知", category=first.category,
        publisher=tree.office, formed_date=date(2026, 1, 19), summary="概述", body="<p>正文</p>",
    )  # fmt: skip
    assert publish(later).index_number == "QH0101/2026-00001"
    today(date(2025, 12, 30))  # a publication back in 2025 continues after the imported numbers
    late = publish(draft(formed_date=date(2025, 12, 29)))
    assert late.index_number == "QH0101/2025-00006"


def test_a_number_the_platform_already_uses_is_refused(tree: Any, admin: Any, draft: Any, publish: Any) -> None:
    taken = publish(draft(formed_date=date(2025, 3, 3))).index_number
    with pytest.raises(RowsRejected) as exc:
        bulk.import_entries(actor=admin, unit=tree.town, rows=[row(2, index_number=taken)])
    assert exc.value.problems[0].message == f"索引号 {taken} 已被平台上的其他信息使用"


def test_one_audit_event_per_entry_and_one_for_the_import(tree: Any, admin: Any) -> None:
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    done = bulk.import_entries(
        actor=admin,
        unit=tree.town,
        rows=[row(2), row(3, published_date=None), row(4, category="历史资料")],
        create_categories=True,
        source="旧网站.csv",
    )
    events = list(AuditEvent.objects.filter(id__gt=before).order_by("id"))
    entries = list(Entry.objects.filter(unit=tree.town).order_by("id"))
    assert [e.action for e in events] == ["category.create", "entry.create", "entry.create", "entry.create",
                                          "entry.import"]  # fmt: skip
    per_entry = [e for e in events if e.action == "entry.create"]
    assert [e.object_id for e in per_entry] == [str(e.pk) for e in entries]
    assert {e.to_state for e in per_entry} == {EntryStatus.PUBLISHED, EntryStatus.DRAFT}
    assert all(e.actor_id == admin.pk and e.org_code == tree.town.code for e in per_entry)
    assert "旧网站.csv 第 2 行" in next(e.comment for e in per_entry if e.object_id == str(entries[0].pk))
    summary = events[-1]
    assert summary.object_type == "orgs.org" and summary.object_id == str(tree.town.pk)
    assert summary.changes == {"file": "旧网站.csv", "rows": 3, "published": 2, "categories_created": ["历史资料"]}
    assert done.categories_created == ["历史资料"]
    assert audit.verify() == []  # the batch is chained like single appends


def test_version_is_the_one_a_staff_publication_stores(
    tree: Any, admin: Any, people: dict[str, Any], today: Any
) -> None:
    fields = {
        "title": "关于做好2025年防汛工作的通知",
        "formed_date": date(2025, 6, 3),
        "summary": "部署防汛工作。",
        "body": '<p onclick="x()">各村：<script>x</script>做好防汛。</p>',
        "document_number": "东政发[2025]7号",
    }
    today(date(2025, 6, 9))
    staff = services.create_draft(
        actor=admin, unit=tree.town, publisher=tree.town, category=Category.objects.get(unit=tree.town, name=NOTICES),
        **fields,
    )  # fmt: skip
    staff = services.submit_for_review(actor=admin, entry=staff)
    staff = services.review_pass(actor=people["reviewer"], entry=staff)
    staff = services.sign_and_publish(actor=people["signer"], entry=staff)
    today(date(2026, 1, 20))
    bulk.import_entries(
        actor=admin, unit=tree.town, rows=[row(2, published_date=date(2025, 6, 9), **fields | {"title": "导入的"})]
    )
    imported = Entry.objects.get(unit=tree.town, title="导入的")
    mine, theirs = EntryVersion.objects.get(entry=imported), EntryVersion.objects.get(entry=staff)
    assert mine.number == theirs.number == 1
    assert set(mine.snapshot) == set(theirs.snapshot) == set(services.SNAPSHOT_FIELDS)
    differ = {k for k in mine.snapshot if mine.snapshot[k] != theirs.snapshot[k]}
    assert differ == {"title", "index_number"}
    assert mine.snapshot["index_number"] == imported.index_number
    # Art. 26: working days after 3 June (Tuesday) up to and including Monday 9 June
    assert (imported.published_date, imported.lag_workdays) == (staff.published_date, staff.lag_workdays)
    assert (imported.published_date, imported.lag_workdays) == (date(2025, 6, 9), 4)
    assert mine.reason == bulk.REASON and mine.created_by == admin


def test_drafts_have_no_number_and_no_version(tree: Any, admin: Any) -> None:
    bulk.import_entries(actor=admin, unit=tree.town, rows=[row(2, published_date=None)])
    entry = Entry.objects.get(unit=tree.town)
    assert (entry.status, entry.index_number, entry.published_at) == (EntryStatus.DRAFT, None, None)
    assert not entry.versions.exists()


def test_only_the_unit_admin_imports(tree: Any, people: dict[str, Any], admin: Any) -> None:
    for actor, unit in ((people["drafter"], tree.town), (people["street_admin"], tree.town), (admin, tree.office)):
        with pytest.raises(NotAllowed):
            bulk.import_entries(actor=actor, unit=unit, rows=[row(2)])
    assert not Entry.objects.exists()
