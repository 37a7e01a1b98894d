"""Screening follows content, not page views: a change of an entry's text or attachments queues its scan, a
change of the unit's word list rescans the unit's unpublished entries, and the publication gate scans what is
still stale itself (2019 Regulation Art. 17: 保密审查 before publication)."""

from __future__ import annotations

import io
import random
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from gongkai.catalog import services as catalog
from gongkai.catalog.models import EntryStatus
from gongkai.core.errors import ValidationFailed
from gongkai.screening import services
from gongkai.screening.models import ScanResult, ScanStatus, Target
from tests.screening.builders import resident_id


def text_result(entry: Any) -> ScanResult:
    return ScanResult.objects.get(entry=entry, target=Target.TEXT, is_current=True)


def test_editing_the_text_scans_it_without_anyone_opening_a_page(draft, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = draft(body="<p>正文</p>")
    assert text_result(entry).status == ScanStatus.CLEAN
    number = resident_id(random.Random(90))
    with django_capture_on_commit_callbacks(execute=True):
        catalog.update_draft(actor=people["drafter"], entry=entry, body=f"<p>张三 身份证号 {number}</p>")
    result = text_result(entry)
    assert result.status == ScanStatus.FOUND and result.high_count == 1 and result.trigger == "edit"
    assert result.findings.get().kind == "id_card"


def test_the_scan_is_a_background_task_queued_on_commit(draft, people, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    entry = draft()
    assert not DBTaskResult.objects.exists()  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):
        catalog.update_draft(actor=people["drafter"], entry=entry, title="新的标题")
    task = DBTaskResult.objects.get()
    assert task.task_path == "gongkai.screening.tasks.scan_submitted_entry"
    assert task.args_kwargs["args"] == [entry.pk, "edit"]
    assert not ScanResult.objects.exists()  # the worker scans, not the request


def test_attaching_and_removing_files_rescans(draft, people, django_capture_on_commit_callbacks):
    entry = draft()
    data = f"姓名,身份证号\n张三,{resident_id(random.Random(91))}\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        attachment = catalog.add_attachment(
            actor=people["drafter"], entry=entry, name="名单.csv", stream=io.BytesIO(data)
        )
    found = ScanResult.objects.get(entry=entry, attachment=attachment, is_current=True)
    assert found.status == ScanStatus.FOUND and found.high_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        catalog.remove_attachment(actor=people["drafter"], attachment=attachment)
    assert not ScanResult.objects.filter(entry=entry, target=Target.ATTACHMENT, is_current=True).exists()


def test_a_new_word_rescans_the_units_unfinished_entries(
    draft, publish, tree, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        waiting = draft(body="<p>关于城东棚户区改造的通知</p>")
        reviewed = catalog.submit_for_review(actor=people["drafter"], entry=draft(body="<p>城东棚户区改造</p>"))
        street = draft(
            body="<p>城东棚户区改造</p>",
            unit=tree.street,
            publisher=tree.street,
            actor=people["street_drafter"],
            category=tree.street.categories.get(slug="notices"),
        )
    published = publish(draft(body="<p>城东棚户区改造</p>"))
    published_scans = ScanResult.objects.filter(entry=published).count()
    assert all(text_result(e).status == ScanStatus.CLEAN for e in (waiting, reviewed, street))
    with django_capture_on_commit_callbacks(execute=True):
        word = services.add_sensitive_word(actor=people["admin"], unit=tree.town, word="棚户区改造")
    for entry in (waiting, reviewed):
        result = text_result(entry)
        assert result.status == ScanStatus.FOUND and result.trigger == "words", entry.status
    assert text_result(street).status == ScanStatus.CLEAN  # another unit's list
    # Published entries are rescanned (with alerts) by ``rescan_published``, not by every word edit.
    assert ScanResult.objects.filter(entry=published).count() == published_scans
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_sensitive_word(actor=people["admin"], word=word)
    assert text_result(waiting).status == ScanStatus.CLEAN


def test_signing_with_a_stale_scan_scans_and_blocks(draft, tree, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = catalog.submit_for_review(actor=people["drafter"], entry=draft(body="<p>城东棚户区改造方案</p>"))
    entry = catalog.review_pass(actor=people["reviewer"], entry=entry)
    clean = text_result(entry)
    # The word is added and its rescan is lost (no on-commit run): the stored verdict is now stale.
    services.add_sensitive_word(actor=people["admin"], unit=tree.town, word="棚户区改造")
    assert text_result(entry).pk == clean.pk
    with pytest.raises(ValidationFailed, match="高风险"):
        catalog.sign_and_publish(actor=people["signer"], entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SIGNOFF and entry.index_number is None
    fresh = text_result(entry)
    assert fresh.pk != clean.pk and fresh.trigger == "gate" and fresh.status == ScanStatus.FOUND


def test_the_page_shows_a_scan_still_due_and_does_not_run_it(draft, people):
    entry = catalog.submit_for_review(actor=people["drafter"], entry=draft())  # on-commit never runs here
    client = Client()
    client.force_login(people["reviewer"])
    html = client.get(reverse("staff:entry_detail", args=[entry.pk])).content.decode()
    assert "正在检查…" in html
    html = client.get(reverse("screening:entry", args=[entry.pk])).content.decode()
    assert "正在检查…" in html
    assert not ScanResult.objects.filter(entry=entry).exists()
