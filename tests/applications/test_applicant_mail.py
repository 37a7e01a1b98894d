"""Progress mails to the applicant who gave an e-mail address (issue 24): received (Art. 31), 补正 (Art. 30),
extended (Art. 33(2)), transferred, answered — each once, sent by the worker after the step commits, never with
the query code; a mail server that fails leaves the case untouched and the mail is sent again by `gongkai remind`."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongkai.applications import handling, intake, notify, replies
from gongkai.applications.models import ApplicantMail
from gongkai.applications.reminders import send_reminders
from gongkai.workdays.calendar import add_workdays

from .conftest import applicant


@pytest.fixture
def case(people, tree, today, django_capture_on_commit_callbacks, mailoutbox):
    """An online application confirmed as received; returns (case, query code)."""
    today(date(2025, 3, 3))
    app, code = intake.submit_online(unit=tree.town, data=applicant(email="Wang.JianGuo@Example.com"))
    assert mailoutbox == []  # submitted, not yet received: nothing to tell
    with django_capture_on_commit_callbacks(execute=True):
        app = intake.confirm_receipt(actor=people["drafter"], application=app, received_on=date(2025, 3, 3))
    return app, code


def test_receipt_mail_names_the_case_and_due_date_and_never_the_code(case, mailoutbox):
    app, code = case
    [mail] = mailoutbox
    assert mail.to == ["Wang.JianGuo@Example.com"]
    assert app.tracking_number in mail.subject and "已收到" in mail.subject
    assert f"{app.due_date.year}年{app.due_date.month}月{app.due_date.day}日" in mail.body
    assert app.due_date == add_workdays(date(2025, 3, 3), 20)
    assert f"/apply/track/?tracking={app.tracking_number}" in mail.body
    assert code not in mail.body and code not in mail.subject
    assert "&lt;" not in mail.body and "&#" not in mail.body  # plain text, not HTML-escaped
    row = ApplicantMail.objects.get(application=app)
    assert row.kind == "received" and row.state == "sent" and row.attempts == 1 and row.sent_at is not None


def test_correction_extension_and_reply_each_mail_once(
    case, people, today, django_capture_on_commit_callbacks, mailoutbox
):
    app, _ = case
    today(date(2025, 3, 20))
    with django_capture_on_commit_callbacks(execute=True):
        handling.request_correction(
            actor=people["drafter"], application=app, on=date(2025, 3, 5), items="请写明所需信息的年份和村名",
            due=date(2025, 3, 14),
        )  # fmt: skip
    assert "需要补正" in mailoutbox[-1].subject
    assert "请写明所需信息的年份和村名" in mailoutbox[-1].body and "2025-03-14" in mailoutbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        handling.record_correction(actor=people["drafter"], application=app, on=date(2025, 3, 10))
        app = handling.extend(
            actor=people["drafter"], application=app, on=date(2025, 3, 20), days=10, reason="需调取村档案核对",
            approved_by=people["signer"], notified_on=date(2025, 3, 20),
        )  # fmt: skip
    assert len(mailoutbox) == 3  # 收到补正 is the office's own step: no mail
    extended = mailoutbox[-1]
    assert "延长" in extended.subject and "10 个工作日" in extended.body and "需调取村档案核对" in extended.body
    assert f"{app.due_date.year}年{app.due_date.month}月{app.due_date.day}日" in extended.body
    with django_capture_on_commit_callbacks(execute=True):
        replies.reply(
            actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 20), content="予以公开"
        )
    assert "已答复" in mailoutbox[-1].subject and "予以公开" in mailoutbox[-1].body
    assert len(mailoutbox) == 4
    assert list(ApplicantMail.objects.filter(application=app).values_list("kind", "state")) == [
        ("received", "sent"),
        ("correction", "sent"),
        ("extended", "sent"),
        ("replied", "sent"),
    ]
    # The same step queued again (a retried request, a second worker) sends nothing more.
    assert notify.queue(app, notify.Kind.REPLIED).state == "sent"
    assert notify.send(ApplicantMail.objects.get(application=app, kind="replied").pk) == "already sent"
    assert len(mailoutbox) == 4


def test_transfer_mail_names_the_new_agency_and_number(
    receive, people, tree, today, django_capture_on_commit_callbacks, mailoutbox
):
    today(date(2025, 3, 5))
    app, _code = intake.submit_online(unit=tree.town, data=applicant())
    with django_capture_on_commit_callbacks(execute=True):
        new = intake.transfer(actor=people["drafter"], application=app, to_unit=tree.street, on=date(2025, 3, 5))
    [mail] = mailoutbox
    assert "转送" in mail.subject and tree.street.name in mail.body and new.tracking_number in mail.body


def test_no_address_no_mail(receive, django_capture_on_commit_callbacks, mailoutbox, today):
    today(date(2025, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        app = receive(date(2025, 3, 3), email="", delivery="post")
    assert mailoutbox == [] and not ApplicantMail.objects.filter(application=app).exists()


def test_a_failing_mail_server_leaves_the_case_and_is_retried_by_remind(
    people, tree, today, django_capture_on_commit_callbacks, mailoutbox, monkeypatch, settings
):
    today(date(2025, 3, 3))
    app, _ = intake.submit_online(unit=tree.town, data=applicant())

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as m:
        m.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            app = intake.confirm_receipt(actor=people["drafter"], application=app, received_on=date(2025, 3, 3))
    app.refresh_from_db()
    assert app.received_on == date(2025, 3, 3)  # the step stands
    row = ApplicantMail.objects.get(application=app)
    assert row.state == "failed" and row.attempts == 1 and "SMTPServerDisconnected" in row.error
    assert mailoutbox == []
    send_reminders(date(2025, 3, 4))
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2 and row.error == "" and len(mailoutbox) == 1
    # After the allowed tries a failed mail is left for the officer to see on the case page.
    settings.GONGKAI_APPLICANT_MAIL_TRIES = 2
    ApplicantMail.objects.filter(pk=row.pk).update(state="failed", attempts=2)
    assert notify.resend_due() == 0


def test_a_mail_whose_task_was_lost_is_sent_by_remind(people, tree, today, mailoutbox):
    today(date(2025, 3, 3))
    app, _ = intake.submit_online(unit=tree.town, data=applicant())
    # No on-commit callbacks: the row is written, its task never ran (worker down, queue cleared).
    intake.confirm_receipt(actor=people["drafter"], application=app, received_on=date(2025, 3, 3))
    row = ApplicantMail.objects.get(application=app)
    assert row.state == "queued" and mailoutbox == []
    assert notify.resend_due() == 0  # too fresh: its task may still be on its way
    assert notify.resend_due(timezone.now() + timedelta(minutes=20)) == 1
    assert len(mailoutbox) == 1


def test_switched_off(people, tree, today, settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.GONGKAI_APPLICANT_MAIL = False
    today(date(2025, 3, 3))
    app, _ = intake.submit_online(unit=tree.town, data=applicant())
    with django_capture_on_commit_callbacks(execute=True):
        intake.confirm_receipt(actor=people["drafter"], application=app, received_on=date(2025, 3, 3))
    assert mailoutbox == [] and not ApplicantMail.objects.exists()


def test_mail_link_prefills_the_tracking_number(client, case):
    app, _ = case
    page = client.get(f"/apply/track/?tracking={app.tracking_number}")
    assert page.status_code == 200
    assert f'value="{app.tracking_number}"' in page.content.decode()


def test_case_page_lists_the_mails(client, case, people):
    app, _ = case
    client.force_login(people["drafter"])
    page = client.get(f"/staff/applications/{app.pk}/").content.decode()
    assert "申请人邮件通知" in page and "已收到申请：已发送" in page
