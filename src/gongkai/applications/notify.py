"""E-mail to the applicant at each step of the case: received (Art. 31), 补正 needed (Art. 30), answer period
extended (Art. 33(2)), transferred, answered (Arts. 35–36).

The Regulation asks that the applicant be told of 补正 and of an extension; the letters remain the legal notice
(they are numbered, signed and delivered by the way the applicant chose). This mail is the courtesy on top that the
best FOI platforms give: the applicant who left an address learns of each step the same day, with a link to the
tracking page. Only to an address the applicant gave, and never the query code (it is kept hashed).

``queue`` runs inside the step's transaction and only writes a row (unique per case and step, so a retried request
sends one mail); once the transaction commits, ``applicant_mail_queued`` fires and ``receivers`` hands the row to
the worker, which renders and sends it (``send``) outside any transaction. A mail server that is down marks the row
失败; ``gongkai remind`` sends again what is still waiting or failed, up to ``GONGKAI_APPLICANT_MAIL_TRIES`` times.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone

from .choices import EventKind
from .models import ApplicantMail, Application

log = logging.getLogger(__name__)

Kind = ApplicantMail.Kind
State = ApplicantMail.State

#: Sent after the step's transaction commits, with ``mail_id`` and ``unit_id``; ``receivers`` enqueues the task.
applicant_mail_queued = Signal()

SUBJECTS: dict[str, str] = {
    Kind.RECEIVED: "您的政府信息公开申请已收到",
    Kind.CORRECTION: "您的政府信息公开申请需要补正",
    Kind.EXTENDED: "您的政府信息公开申请答复期限已延长",
    Kind.TRANSFERRED: "您的政府信息公开申请已转送其他机关",
    Kind.REPLIED: "您的政府信息公开申请已答复",
}

#: The ledger event whose details (补正事项 and 期限, 延长天数, 转送机关) a mail quotes.
EVENT_OF: dict[str, str] = {
    Kind.CORRECTION: EventKind.CORRECTION_REQUESTED,
    Kind.EXTENDED: EventKind.EXTENSION,
    Kind.TRANSFERRED: EventKind.TRANSFERRED,
}

#: A row still 待发送 this long after it was written lost its task (worker down, queue cleared): send it again.
STALE_AFTER = timedelta(minutes=15)


_paused: ContextVar[bool] = ContextVar("gongkai_applicant_mail_paused", default=False)


@contextmanager
def mail_paused() -> Iterator[None]:
    """No progress mails for the steps inside the block: seeding history (``gongkai demo``), whose applicants are
    invented and whose steps are back-dated, tells no one."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_APPLICANT_MAIL", True)) and not _paused.get()


def queue(app: Application, kind: str) -> ApplicantMail | None:
    """In the step's transaction: note that the applicant is to be told of ``kind``; nothing if no address."""
    if not enabled() or not (app.email or "").strip():
        return None
    mail, created = ApplicantMail.objects.get_or_create(application=app, kind=kind)
    if created:
        transaction.on_commit(
            partial(applicant_mail_queued.send, sender=ApplicantMail, mail_id=mail.pk, unit_id=app.unit_id)
        )
    return mail


def track_url(app: Application) -> str:
    return f"{settings.GONGKAI_PUBLIC_URL}/apply/track/?tracking={app.tracking_number}"


def compose(mail: ApplicantMail) -> tuple[str, str]:
    """Subject and plain-text body, in the applicant's words; personal data only as far as the applicant gave it."""
    app = mail.application
    event = None
    if mail.kind in EVENT_OF:
        event = app.events.filter(kind=EVENT_OF[mail.kind]).order_by("-on", "-id").first()
    reply = getattr(app, "reply", None) if mail.kind == Kind.REPLIED else None
    forward = app.transfers.select_related("unit").first() if mail.kind == Kind.TRANSFERRED else None
    context: dict[str, Any] = {
        "app": app,
        "unit": app.unit,
        "event": event,
        "data": (event.data or {}) if event else {},
        "reply": reply,
        "forward": forward,
        "due_date": app.due_date if not app.is_closed else None,
        "track_url": track_url(app),
    }
    subject = f"{SUBJECTS[mail.kind]}（{app.tracking_number}）"
    body = render_to_string(f"applications/mail/{mail.kind}.txt", context).strip() + "\n"
    return subject, body


def send(mail_id: int) -> str:
    """Send one mail (the worker's task). Never raises for a mail error: the row says 失败 and why."""
    mail = ApplicantMail.objects.select_related("application", "application__unit").filter(pk=mail_id).first()
    if mail is None:
        return "gone"
    if mail.state == State.SENT:
        return "already sent"
    address = (mail.application.email or "").strip()
    if not address:
        ApplicantMail.objects.filter(pk=mail.pk).update(state=State.FAILED, error="申请人未留电子邮箱")
        return "no address"
    subject, body = compose(mail)
    message = EmailMessage(subject, body, to=[address])
    try:
        message.send()
    except Exception as exc:  # SMTP refused, connection lost, bad address: kept, retried by `gongkai remind`
        log.warning("mail %s to the applicant of %s failed: %s", mail.pk, mail.application.tracking_number, exc)
        ApplicantMail.objects.filter(pk=mail.pk).update(
            state=State.FAILED, attempts=F("attempts") + 1, error=f"{type(exc).__name__}: {exc}"[:300]
        )
        return "failed"
    ApplicantMail.objects.filter(pk=mail.pk).update(
        state=State.SENT, attempts=F("attempts") + 1, sent_at=timezone.now(), error=""
    )
    return "sent"


def resend_due(now: Any = None) -> int:
    """``gongkai remind``: send again each mail that failed (fewer than the allowed tries) or whose task was lost."""
    now = now or timezone.now()
    tries = int(getattr(settings, "GONGKAI_APPLICANT_MAIL_TRIES", 3))
    due = ApplicantMail.objects.filter(
        Q(state=State.FAILED, attempts__lt=tries) | Q(state=State.QUEUED, created_at__lt=now - STALE_AFTER)
    ).values_list("pk", flat=True)
    return sum(send(pk) == "sent" for pk in list(due))
