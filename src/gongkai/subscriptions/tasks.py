"""Background work of the subscriptions app (run by ``gongkai worker``)."""

from __future__ import annotations

import logging

from django_tasks import task

from gongkai.core import priorities

from . import crypto, digest, mail
from .models import Status, Subscription

log = logging.getLogger(__name__)


@task(priority=priorities.BULK)
def send_digests() -> int:
    """The daily digest (``gongkai send-digests --enqueue`` queues it; cron may also run the command directly)."""
    return digest.send_digests().mails


@task(priority=priorities.INTERACTIVE)
def send_confirmation(subscription_id: int) -> str:
    """The double opt-in mail of a pending subscription. Only the row's id is queued; the address is decrypted
    here. A mail server that refuses is logged: the citizen may ask again after ``services.RESEND_AFTER``."""
    sub = Subscription.objects.select_related("unit").filter(pk=subscription_id, status=Status.PENDING).first()
    if sub is None:
        return "not pending"
    try:
        mail.send_confirmation(sub, crypto.decrypt(sub.email_encrypted))
    except Exception:
        log.exception("订阅确认邮件发送失败（订阅 %s）", subscription_id)
        return "failed"
    return "sent"
