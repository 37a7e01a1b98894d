"""Every write to a subscription: subscribe (a pending row; the view queues its confirmation mail), confirm,
unsubscribe. No staff act here (the citizen is anonymous, so no ``actor=``); each is one transaction with one
audit event that names the unit and the row, never the address. Mail goes out after commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.catalog.models import Category
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import Org, OrgKind
from gongkai.search import selectors as search_selectors

from . import crypto, tokens
from .models import QUERY_MAX_CHARS, Status, Subscription

ALREADY = "该邮箱已经订阅了这项内容，无需重复订阅"
NO_VILLAGE = "村（社区）不存在或不属于本单位，请从列表中选择"
PENDING = "确认邮件刚刚发送到该邮箱，请查收并点击其中的链接；如果 15 分钟后仍未收到（也请看看垃圾邮件），可以再次提交"
#: A pending row younger than this is refused as "mail just sent"; older, it gets a new mail (the first may have
#: been lost, or the mail server was down). The per-address rate limit bounds the mails either way.
RESEND_AFTER = timedelta(minutes=15)


def _check(email: str, unit: Org, category: Category | None, query: str, village: Org | None) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    email = (email or "").strip()
    if not email:
        errors["email"] = ["请填写电子邮箱"]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [f"电子邮箱格式不正确（{email[:60]}），应形如 name@example.com"]
    if category is not None and (category.unit_id != unit.pk or category.is_retired):
        errors["category"] = ["目录类别不存在或已停用，请从列表中选择本单位的类别"]
    if village is not None and (village.kind != OrgKind.VILLAGE or village.unit().pk != unit.pk):
        errors["village"] = [NO_VILLAGE]
    query = (query or "").replace("\x00", "").strip()
    if village is not None and (category is not None or query):
        errors["village"] = ["订阅村（社区）时不选类别、不填检索词：每项订阅只能选择一种内容"]
    if category is not None and query:
        errors["query"] = ["订阅目录类别时不填检索词：每项订阅只能选择一种内容"]
    elif query:
        if len(query) > QUERY_MAX_CHARS:
            errors["query"] = [f"检索词过长（{len(query)} 个字），请不超过 {QUERY_MAX_CHARS} 个字"]
        else:
            try:
                phrases = search_selectors.parse_query(query)
            except ValidationFailed as exc:
                errors["query"] = [exc.message]
            else:
                if not phrases:
                    errors["query"] = ["检索词中没有可以检索的文字，请换一个检索词"]
    if errors:
        raise ValidationFailed(errors)
    return email, query


def subscribe(
    *, email: str, unit: Org, category: Category | None = None, query: str = "", village: Org | None = None
) -> Subscription:
    """A pending subscription (double opt-in); the caller queues the confirmation mail once this has committed
    (``tasks.send_confirmation``: the worker decrypts the address from the row, so the queue holds no address).

    An address already subscribed (active, or pending with a link still valid) to the same thing is refused
    on the ``email`` field; a pending row whose link expired is reused and gets a new mail."""
    email, query = _check(email, unit, category, query, village)
    hashes = crypto.email_hashes(email)  # under the current key and any old key still kept (crypto)
    now = timezone.now()
    with transaction.atomic():
        # An address already on file keeps its hash, even one made under an old key: one digest per address.
        known = Subscription.objects.filter(email_hash__in=hashes).values_list("email_hash", flat=True).first()
        digest = known or hashes[0]
        live = (
            Subscription.objects.select_for_update()
            .filter(email_hash__in=hashes, unit=unit, category=category, village=village, query=query)
            .exclude(status=Status.UNSUBSCRIBED)
            .first()
        )
        if live is not None and live.status == Status.ACTIVE:
            raise ValidationFailed({"email": [ALREADY]})
        if live is not None and now - live.created_at < RESEND_AFTER:
            raise ValidationFailed({"email": [PENDING]})
        if live is not None:
            sub = live
            sub.created_at = now
            sub.email_encrypted = crypto.encrypt(email)
            sub.save(update_fields=["created_at", "email_encrypted"])
        else:
            sub = Subscription(
                unit=unit,
                category=category,
                village=village,
                query=query,
                email_hash=digest,
                email_encrypted=crypto.encrypt(email),
                status=Status.PENDING,
                created_at=now,
            )
            try:
                with transaction.atomic():
                    sub.save(force_insert=True)
            except IntegrityError:  # a concurrent request for the same address and target won
                raise ValidationFailed({"email": [ALREADY]}) from None
        audit.record(
            Action.SUBSCRIPTION_CREATE,
            obj=sub,
            org_code=unit.code,
            to_state=sub.status,
            comment=sub.target_label,
        )
    return sub


def _locked(sub_id: object) -> Subscription:
    sub = Subscription.objects.select_for_update().filter(pk=sub_id).first() if isinstance(sub_id, int) else None
    if sub is None:
        raise ValidationFailed({"token": [tokens.FORGED]})
    return sub


def confirm(*, token: str) -> Subscription:
    data = tokens.read(token, salt=tokens.CONFIRM_SALT, max_age=tokens.CONFIRM_MAX_AGE)
    with transaction.atomic():
        sub = _locked(data.get("s"))
        if sub.email_hash[:16] != data.get("h"):
            raise ValidationFailed({"token": [tokens.FORGED]})
        if sub.status == Status.UNSUBSCRIBED:
            raise ValidationFailed({"token": ["该订阅已经退订，如需继续接收请重新订阅"]})
        if sub.status == Status.ACTIVE:
            return sub  # a second click on the same link: already done
        before = sub.status
        sub.status = Status.ACTIVE
        sub.confirmed_at = timezone.now()
        sub.save(update_fields=["status", "confirmed_at"])
        audit.record(
            Action.SUBSCRIPTION_CONFIRM,
            obj=sub,
            org_code=sub.unit.code,
            from_state=before,
            to_state=sub.status,
            comment=sub.target_label,
        )
    return sub


def unsubscribe(*, token: str) -> list[Subscription]:
    """One subscription (the link under each section) or every live one of the address (the header's link).
    Unsubscribing twice is not an error: the second click shows the same result."""
    data = tokens.read(token, salt=tokens.UNSUBSCRIBE_SALT)
    now = timezone.now()
    with transaction.atomic():
        if "a" in data:
            prefix = str(data["a"])
            if len(prefix) != 32:
                raise ValidationFailed({"token": [tokens.FORGED]})
            subs = list(
                Subscription.objects.select_for_update(of=("self",))  # not the outer-joined category
                .filter(email_hash__startswith=prefix)
                .select_related("unit", "category")
            )
            if not subs:
                raise ValidationFailed({"token": [tokens.FORGED]})
        else:
            sub = _locked(data.get("s"))
            if sub.email_hash[:16] != data.get("h"):
                raise ValidationFailed({"token": [tokens.FORGED]})
            subs = [sub]
        changed = [s for s in subs if s.status != Status.UNSUBSCRIBED]
        for sub in changed:
            sub.status = Status.UNSUBSCRIBED
            sub.unsubscribed_at = now
        Subscription.objects.bulk_update(changed, ["status", "unsubscribed_at"])
        if changed:
            audit.record(
                Action.SUBSCRIPTION_UNSUBSCRIBE,
                obj=changed[0],
                org_code=changed[0].unit.code,
                to_state=Status.UNSUBSCRIBED,
                comment="、".join(f"{s.unit.name}{s.target_label}" for s in changed)[:500],
                changes={"subscriptions": [s.pk for s in changed]},
            )
    return subs


def mark_sent(*, ids: list[int], until: datetime) -> None:
    """The digest's high-water mark, after its mail went out (a short transaction of its own)."""
    with transaction.atomic():
        Subscription.objects.filter(pk__in=ids).update(last_sent_at=until)
