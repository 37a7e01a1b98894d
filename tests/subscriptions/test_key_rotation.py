"""After SECRET_KEY is rotated (the old key in SECRET_KEY_FALLBACKS), an address subscribed before is still found:
subscribing again to the same thing is refused as already subscribed, a new subscription of that address joins its
existing digest (one mail, not two), and the links in mails sent before still unsubscribe."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from gongkai.core.errors import ValidationFailed
from gongkai.subscriptions import crypto, digest, services, tokens
from gongkai.subscriptions.models import Status, Subscription
from tests.factories import category

pytestmark = pytest.mark.django_db
ADDRESS = "Wang.Xiaoming@example.cn"


def _active(tree: Any, **target: Any) -> Subscription:
    sub = services.subscribe(email=ADDRESS, unit=tree.town, **target)
    return services.confirm(token=tokens.confirm_token(sub.pk, sub.email_hash))


def _rotate(settings: Any) -> None:
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-key-after-rotation-" * 2, [settings.SECRET_KEY]


def test_an_address_on_file_is_still_found_after_rotation(settings, tree, draft, publish):
    notices, budget = category(tree.town), category(tree.town, "budget")
    old = _active(tree, category=notices)
    old_unsubscribe = tokens.unsubscribe_token(old.pk, old.email_hash)
    _rotate(settings)
    assert crypto.email_hash(ADDRESS) != old.email_hash and old.email_hash in crypto.email_hashes(ADDRESS)

    with pytest.raises(ValidationFailed) as caught:
        services.subscribe(email=ADDRESS.lower(), unit=tree.town, category=notices)
    assert "email" in caught.value.errors

    new = _active(tree, category=budget)
    assert new.email_hash == old.email_hash  # the address keeps its hash: one digest
    publish(draft(title="关于东山镇春季防火的通告", category=notices))
    publish(draft(title="东山镇财政预算公开", category=budget))
    assert digest.send_digests().mails == 1
    [only] = mail.outbox
    assert "春季防火" in only.body and "财政预算" in only.body and only.to == [ADDRESS]

    services.unsubscribe(token=old_unsubscribe)  # a link from a mail sent before the rotation
    assert Subscription.objects.get(pk=old.pk).status == Status.UNSUBSCRIBED


def test_without_the_old_key_the_address_is_a_new_one(settings, tree):
    old = _active(tree, category=category(tree.town))
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" * 2  # the old key dropped entirely
    fresh = services.subscribe(email=ADDRESS, unit=tree.town, category=category(tree.town))
    assert fresh.pk != old.pk and fresh.email_hash == crypto.email_hash(ADDRESS) != old.email_hash
