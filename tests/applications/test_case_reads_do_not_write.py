"""Reading a case changes nothing: the staff case list, the case page, a letter's page and files, the
notices and the letter templates, opened with GET, leave every table as it was (the audit log included)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.urls import reverse

from gongkai.applications import handling, letters, reminders, replies
from gongkai.applications.models import Application, Letter, Notice
from gongkai.core.models import AuditChainHead, AuditEvent


def snapshot() -> dict[str, Any]:
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    return {
        "counts": counts,
        "audit": (AuditEvent.objects.count(), list(AuditChainHead.objects.values_list("last_hash", flat=True))),
        "cases": list(Application.objects.order_by("pk").values()),
        "letters": list(Letter.objects.order_by("pk").values()),
        "notices": list(Notice.objects.order_by("pk").values()),
    }


def test_case_pages_read_only(receive, people, tree, client, today, django_capture_on_commit_callbacks):
    today(date(2025, 3, 26))
    drafter = people["drafter"]
    answered = receive(date(2025, 3, 3))
    replies.reply(actor=drafter, application=answered, result="granted", on=date(2025, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):  # the worker renders it: DOCX and PDF exist
        done = letters.generate(actor=drafter, application=answered, kind="grant", on=date(2025, 3, 10))
    waiting = letters.generate(actor=drafter, application=answered, kind="grant", on=date(2025, 3, 11))
    replies.record_appeal(actor=drafter, application=answered, kind="reconsideration", filed_on=date(2025, 3, 20))
    consulting = receive(date(2025, 3, 20))
    handling.start_consultation(
        actor=drafter, application=consulting, on=date(2025, 3, 21), party="third_party", who="东山建材有限公司"
    )
    receive(date(2025, 2, 5))  # overdue: a reminder for it
    reminders.send_reminders(date(2025, 3, 26))
    done.refresh_from_db()
    assert done.docx and done.pdf and Notice.objects.filter(user=people["admin"]).exists()

    staff_pages = [
        reverse("applications_staff:list"),
        reverse("applications_staff:list") + "?show=overdue",
        reverse("applications_staff:list") + "?q=王建国",
        reverse("applications_staff:detail", args=[answered.pk]),
        reverse("applications_staff:detail", args=[consulting.pk]),
        reverse("applications_staff:letter_page", args=[answered.pk, done.pk]),
        reverse("applications_staff:letter_page", args=[answered.pk, waiting.pk]),
        reverse("applications_staff:letter", args=[answered.pk, done.pk, "docx"]),
        reverse("applications_staff:letter", args=[answered.pk, done.pk, "pdf"]),
        reverse("applications_staff:notices"),
        reverse("applications_staff:templates"),
        reverse("applications_staff:template_edit", args=["grant"]),
    ]
    supervisor_pages = [
        reverse("applications_staff:list"),
        reverse("applications_staff:detail", args=[answered.pk]),
    ]
    for who, pages in (("admin", staff_pages), ("drafter", staff_pages[:10]), ("supervisor", supervisor_pages)):
        client.force_login(people[who])
        before = snapshot()
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            if response.streaming:
                b"".join(response.streaming_content)
        after = snapshot()
        assert after["counts"] == before["counts"], who
        assert after == before, who
