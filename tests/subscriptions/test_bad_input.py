"""Bad input on the public pages: a clear Chinese error naming the field, status 400 (429 over the rate
limit), the typed values kept in the form, never a 500, nothing written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client

from gongkai.subscriptions import tokens
from gongkai.subscriptions.models import Status, Subscription
from tests.factories import category

from .conftest import links

pytestmark = pytest.mark.django_db


def _post(client: Client, **data: str) -> tuple[int, str]:
    response = client.post("/subscribe/dongshan/", data)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    ("data", "label", "message"),
    [
        ({"email": "not-an-address", "target": "unit"}, "电子邮箱", "电子邮箱格式不正确"),
        ({"email": "", "target": "unit"}, "电子邮箱", "请填写电子邮箱"),
        ({"email": "a@example.com", "target": "category", "category": "999999"}, "目录类别", "目录类别不存在"),
        ({"email": "a@example.com", "target": "category", "category": "abc"}, "目录类别", "目录类别不存在"),
        ({"email": "a@example.com", "target": "category", "category": ""}, "目录类别", "请选择要订阅的目录类别"),
        ({"email": "a@example.com", "target": "query", "query": ""}, "检索词", "请填写要订阅的检索词"),
        ({"email": "a@example.com", "target": "query", "query": "！！！"}, "检索词", "没有可以检索的文字"),
        ({"email": "a@example.com", "target": "query", "query": "长" * 60}, "检索词", "检索词过长"),
        ({"email": "a@example.com", "target": "everything"}, "订阅内容", "请选择订阅内容"),
        ({"email": "a@example.com"}, "订阅内容", "请选择订阅内容"),
        ({"email": "a" * 250 + "@example.com", "target": "unit"}, "电子邮箱", "电子邮箱过长"),
    ],
)
def test_form_errors(client: Client, tree: Any, data: dict[str, str], label: str, message: str) -> None:
    status, html = _post(client, **data)
    assert status == 400
    assert message in html and label in html and "您已填写的内容都保留着" in html
    if data["email"]:
        assert f'value="{data["email"]}"' in html  # what was typed stays in the form
    assert not Subscription.objects.exists() and mail.outbox == []


def test_category_of_another_unit(client: Client, tree: Any) -> None:
    foreign = category(tree.street)
    status, html = _post(client, email="a@example.com", target="category", category=str(foreign.pk))
    assert status == 400 and "目录类别不存在" in html


def test_already_subscribed(client: Client, tree: Any, django_capture_on_commit_callbacks: Any) -> None:
    status, html = _post(client, email="a@example.com", target="unit")
    assert status == 302
    status, html = _post(client, email="A@Example.com", target="unit")
    assert status == 400 and "确认邮件刚刚发送到该邮箱" in html and 'value="A@Example.com"' in html
    Subscription.objects.update(status=Status.ACTIVE)
    status, html = _post(client, email="a@example.com ", target="unit")
    assert status == 400 and "该邮箱已经订阅了这项内容" in html and "电子邮箱" in html
    assert Subscription.objects.count() == 1


def test_expired_pending_link_can_be_sent_again(
    client: Client, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, email="a@example.com", target="unit")[0] == 302
    Subscription.objects.update(created_at=Subscription.objects.get().created_at - timedelta(hours=73))
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, email="a@example.com", target="unit")[0] == 302
    assert Subscription.objects.count() == 1 and len(mail.outbox) == 2
    # A mail lost or refused: after a quarter of an hour the same request sends a new one.
    Subscription.objects.update(created_at=Subscription.objects.get().created_at - timedelta(minutes=16))
    assert _post(client, email="a@example.com", target="unit")[0] == 302
    assert Subscription.objects.count() == 1 and len(mail.outbox) == 3


def test_a_mail_server_that_refuses_is_no_500(client: Client, tree: Any, monkeypatch: Any) -> None:
    def refuse(self: Any, *args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert _post(client, email="a@example.com", target="unit")[0] == 302
    assert Subscription.objects.get().status == Status.PENDING and mail.outbox == []


def test_forged_and_expired_tokens(client: Client, tree: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, email="a@example.com", target="unit")[0] == 302
    (confirm,) = links(mail.outbox[0], "confirm")
    token = confirm.rstrip("/").rsplit("/", 1)[1]
    for url in (
        f"/subscribe/confirm/{token[:-2]}xx/",
        "/subscribe/confirm/garbage/",
        f"/subscribe/unsubscribe/{token}/",  # a confirmation token is no unsubscribe token (salt per purpose)
        "/subscribe/unsubscribe/garbage/",
    ):
        for response in (client.get(url), client.post(url)):
            html = response.content.decode()
            if response.status_code == 405:
                continue
            assert response.status_code == 400, url
            assert "链接：链接无效" in html, url
    # Another row's id under a valid signature: refused (the token is bound to the address hash too).
    other = signing.dumps({"s": Subscription.objects.get().pk, "h": "0" * 16}, salt=tokens.CONFIRM_SALT)
    assert client.get(f"/subscribe/confirm/{other}/").status_code == 400
    with mock.patch("django.core.signing.time.time", return_value=signing.time.time() + 73 * 3600):
        response = client.get(confirm)
    assert response.status_code == 400 and "确认链接已过期" in response.content.decode()
    assert Subscription.objects.get().status == Status.PENDING
    assert client.get(confirm).status_code == 200  # still within 72 hours
    assert Subscription.objects.get().status == Status.ACTIVE


def test_confirm_after_unsubscribe(client: Client, tree: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, email="a@example.com", target="unit")[0] == 302
    (confirm,) = links(mail.outbox[0], "confirm")
    (unsubscribe,) = links(mail.outbox[0], "unsubscribe")
    assert client.post(unsubscribe).status_code == 200
    assert client.post(unsubscribe).status_code == 200  # twice is fine
    response = client.get(confirm)
    assert response.status_code == 400 and "已经退订" in response.content.decode()


def test_rate_limit(client: Client, tree: Any, settings: Any) -> None:
    settings.GONGKAI_RATE_LIMITS = {"subscribe": (2, 3600)}
    assert _post(client, email="bad", target="unit")[0] == 400
    assert _post(client, email="bad", target="unit")[0] == 400
    response = client.post("/subscribe/dongshan/", {"email": "c@example.com", "target": "unit"})
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] and 'value="c@example.com"' in html
    assert not Subscription.objects.exists()


def test_unknown_unit_is_404(client: Client, tree: Any) -> None:
    assert client.get("/subscribe/nowhere/").status_code == 404
    assert client.get("/subscribe/dongshan-mzb/").status_code == 404  # an office is not a unit
