"""When the working-day calendar changes, every open case's deadline is recomputed from its ledger; a numbered
letter is queued for rendering; a progress mail to the applicant is queued for sending."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from gongkai.workdays.calendar import calendar
from gongkai.workdays.services import calendar_changed

from .clock import recompute_open
from .letters import letter_numbered
from .notify import applicant_mail_queued
from .tasks import render_letter, send_applicant_mail

log = logging.getLogger(__name__)


@receiver(calendar_changed, dispatch_uid="applications.recompute_open_cases")
def recompute_on_calendar_change(sender: Any, years: set[int] | None = None, **kwargs: Any) -> None:
    # The calendar caches year tables for a minute; drop them so this recomputation sees the change.
    calendar.invalidate()
    changed = recompute_open(set(years or ()))
    log.info("calendar changed (%s): %d open applications got a new deadline", sorted(years or ()), changed)


@receiver(letter_numbered, dispatch_uid="applications.render_letter")
def queue_letter_rendering(sender: Any, letter_id: int, unit_id: int | None = None, **kwargs: Any) -> None:
    try:
        render_letter.enqueue(letter_id, unit_id=unit_id)
    except Exception:
        # The letter stays "正在生成" and its page offers 重新生成; the numbering itself has committed.
        log.exception("could not queue the rendering of letter %s", letter_id)


@receiver(applicant_mail_queued, dispatch_uid="applications.send_applicant_mail")
def queue_applicant_mail(sender: Any, mail_id: int, unit_id: int | None = None, **kwargs: Any) -> None:
    try:
        send_applicant_mail.enqueue(mail_id, unit_id=unit_id)
    except Exception:
        # The row stays 待发送; `gongkai remind` sends it (notify.resend_due). The step itself has committed.
        log.exception("could not queue applicant mail %s", mail_id)
