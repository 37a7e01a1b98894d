"""The mails: confirmation (double opt-in) and the daily digest. Every mail carries an unsubscribe link in
its text and a ``List-Unsubscribe`` header (RFC 2369, with RFC 8058 one-click POST)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from gongkai.catalog.models import Entry
from gongkai.catalog.public_urls import absolute, entry_absolute

from . import tokens
from .models import Subscription


def confirm_url(sub: Subscription) -> str:
    return absolute(reverse("subscriptions:confirm", args=[tokens.confirm_token(sub.pk, sub.email_hash)]))


def unsubscribe_url(sub: Subscription) -> str:
    return absolute(reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(sub.pk, sub.email_hash)]))


def unsubscribe_all_url(email_hash: str) -> str:
    return absolute(reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_all_token(email_hash)]))


def _headers(unsubscribe: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send(to: str, subject: str, template: str, context: dict[str, Any], unsubscribe: str) -> None:
    body = render_to_string(template, {**context, "site_url": settings.GONGKAI_PUBLIC_URL})
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=_headers(unsubscribe)).send()


def send_confirmation(sub: Subscription, to: str) -> None:
    unsubscribe = unsubscribe_url(sub)
    _send(
        to,
        f"请确认订阅：{sub.unit.name}政府信息公开",
        "subscriptions/mail/confirm.txt",
        {"sub": sub, "confirm_url": confirm_url(sub), "unsubscribe_url": unsubscribe, "hours": 72},
        unsubscribe,
    )


@dataclass
class Section:
    subscription: Subscription
    entries: Sequence[Entry]

    @property
    def links(self) -> list[tuple[Entry, str]]:
        return [(e, entry_absolute(e)) for e in self.entries]

    @property
    def unsubscribe_url(self) -> str:
        return unsubscribe_url(self.subscription)


def send_digest(to: str, email_hash: str, sections: Sequence[Section]) -> None:
    total = sum(len(s.entries) for s in sections)
    unsubscribe_all = unsubscribe_all_url(email_hash)
    _send(
        to,
        f"政府信息公开订阅：{total} 条新信息",
        "subscriptions/mail/digest.txt",
        {"sections": sections, "total": total, "unsubscribe_all_url": unsubscribe_all},
        unsubscribe_all,
    )
