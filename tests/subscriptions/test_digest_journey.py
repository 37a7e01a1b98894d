"""Subscribe to a category → confirmation mail → confirm → an entry published in it (through the catalog
services) → the digest lists it with its link and an unsubscribe link; after unsubscribing, nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongkai.catalog.public_urls import entry_absolute
from gongkai.subscriptions import digest, tasks
from gongkai.subscriptions.models import Status
from gongkai.worker import taskinfo
from tests.factories import category

from .conftest import links, subscribe_and_confirm

pytestmark = pytest.mark.django_db


def test_category_digest_then_unsubscribe(
    client: Client,
    tree: Any,
    draft: Any,
    publish: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    notices = category(tree.town)
    page = client.get(f"/subscribe/dongshan/?category={notices.pk}")
    assert page.status_code == 200 and f'<option value="{notices.pk}" selected>' in page.content.decode()

    sub = subscribe_and_confirm(
        client, django_capture_on_commit_callbacks, "Citizen@Example.com", target="category", category=str(notices.pk)
    )
    assert sub.status == Status.ACTIVE and sub.category == notices
    subscribe_and_confirm(client, django_capture_on_commit_callbacks, "neighbour@example.com", target="unit")

    entry = publish(draft(title="关于东山镇春季防火的通告", category=notices))
    elsewhere = publish(draft(title="东山镇财政预算公开", category=category(tree.town, "budget")))

    out = digest.send_digests()
    assert out.mails == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    first = by_to["Citizen@Example.com"]
    assert "关于东山镇春季防火的通告" in first.body and entry_absolute(entry) in first.body
    assert elsewhere.title not in first.body  # another category of the unit
    assert timezone.localdate(entry.published_at).isoformat() in first.body  # the day in China (Asia/Shanghai)
    assert links(first, "unsubscribe") and first.extra_headers["List-Unsubscribe"].startswith("<http://testserver/")
    assert elsewhere.title in by_to["neighbour@example.com"].body  # the whole-unit subscriber gets both

    # Nothing new since the mark: no second mail, even on a later day.
    mail.outbox.clear()
    assert digest.send_digests(timezone.now() + timedelta(days=1)).mails == 0

    (unsubscribe,) = links(first, "unsubscribe")[:1]
    assert "确认退订" in client.get(unsubscribe).content.decode()
    done = client.post(unsubscribe)
    assert done.status_code == 200 and "已退订" in done.content.decode()
    sub.refresh_from_db()
    assert sub.status == Status.UNSUBSCRIBED and sub.unsubscribed_at is not None

    publish(draft(title="关于东山镇夏季防汛的通告", category=notices))
    out = digest.send_digests(timezone.now() + timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["neighbour@example.com"]]  # the other subscriber still gets it
    assert out.mails == 1


def test_pending_subscription_gets_nothing(
    client: Client, tree: Any, draft: Any, publish: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/subscribe/dongshan/", {"email": "later@example.com", "target": "unit"}).status_code == 302
    mail.outbox.clear()
    publish(draft())
    assert digest.send_digests().mails == 0 and mail.outbox == []


def test_one_mail_per_address_per_day(
    client: Client, tree: Any, draft: Any, publish: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notices = category(tree.town)
    subscribe_and_confirm(client, django_capture_on_commit_callbacks, "a@example.com", target="unit")
    subscribe_and_confirm(
        client, django_capture_on_commit_callbacks, "A@example.com", target="category", category=str(notices.pk)
    )
    publish(draft(category=notices))
    assert digest.send_digests().mails == 1  # both subscriptions of the address in one mail
    (message,) = mail.outbox
    assert message.body.count("退订此项") == 2
    publish(draft(category=notices))
    assert digest.send_digests().mails == 0  # already mailed today; the entry waits for tomorrow
    assert digest.send_digests(timezone.now() + timedelta(days=1)).mails == 1


def test_send_digests_command_and_task(
    client: Client, tree: Any, draft: Any, publish: Any, django_capture_on_commit_callbacks: Any
) -> None:
    out = StringIO()
    call_command("send-digests", stdout=out)
    assert "汇总邮件 0 封" in out.getvalue()
    subscribe_and_confirm(client, django_capture_on_commit_callbacks, "t@example.com", target="unit")
    publish(draft())
    call_command("send-digests", "--enqueue", stdout=out)  # the tests' task backend runs it at once
    assert "已加入后台任务" in out.getvalue() and len(mail.outbox) == 1
    assert taskinfo.KINDS[tasks.send_digests.module_path].label == "发送邮件订阅每日汇总"
    assert tasks.send_digests.call() == 0  # already mailed today
