"""Password resets that hold 三员 (issue 17 item 2; GB/T 22239-2019 8.1.4.2 三权分立, 8.1.4.1 身份鉴别).

A 系统管理员 manages accounts but must not read applicants' personal data. When the administrator chose a
temporary password, they could log in as a unit's officer and open a case. Now:

1. ``request_reset`` (the system administrator): no password is chosen or shown. The account's current password
   keeps working until the reset takes effect. A reset waits for a second person when the account sees
   applicants' personal data (``orgs.permissions.sees_personal_data``) or when the code is to be printed.
2. ``confirm_reset`` (the second person: a 公开办管理员 of the holder's unit or of a unit above it, or an 审计员;
   never the requester or the holder): the code is made. From then the old password and sessions no longer work.
3. The code reaches only the holder: by e-mail to the address on the account, or on two printed halves — the
   requester gets one when asking, the confirmer the other when confirming — so neither can use it alone.
4. ``use_reset`` (the holder, not logged in, at ``/staff/password/reset/``): account name, code and a new password
   of their own. Once; within ``GONGKAI_RESET_CODE_HOURS``; ``GONGKAI_RESET_CODE_TRIES`` wrong codes void it.

The holder and the unit's administrators are told by e-mail when a reset takes effect; every step is audited with
who reset whom and who confirmed. Sending mail happens after the transaction commits.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.orgs.models import Membership, Org, Role
from gongkai.orgs.permissions import can_manage_accounts, grants, has_role, require, sees_personal_data

from . import passwords
from .models import PasswordReset, PasswordState
from .services import random_letters

log = logging.getLogger(__name__)

State = PasswordReset.State
Delivery = PasswordReset.Delivery

HALF = 6  # characters per printed half; the whole code is two halves (about 59 bits)

WRONG_CODE = "账号或重置码不正确，或重置码已失效；请核对后重试，或请系统管理员重新发起重置"


def _digest(code: str) -> str:
    key = hashlib.sha256(f"gongkai.password-reset:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, normalize(code).encode(), hashlib.sha256).hexdigest()


def normalize(code: str) -> str:
    """What the holder typed, as the code was made: upper case, without the spaces and dashes of the print."""
    return "".join(ch for ch in (code or "").upper() if ch.isascii() and ch.isalnum())


def _half() -> str:
    return random_letters(HALF)


def _grouped(text: str) -> str:
    return "-".join(text[i : i + 3] for i in range(0, len(text), 3))


@dataclass(frozen=True)
class Outcome:
    """What a step shows its actor: the reset, and for a printed reset this actor's half (shown once)."""

    reset: PasswordReset
    half: str = ""
    mailed: bool = False
    #: The e-mail to the holder could not be sent: the reset is void and the page says to print instead.
    undelivered: bool = False


# ---- who may do what ----------------------------------------------------------------------------------------


def _units_of(user: Any) -> list[Org]:
    ids = Membership.objects.filter(user=user, org__is_active=True).values_list("org_id", flat=True)
    return [org.unit() for org in Org.objects.filter(pk__in=ids).select_related("parent")]


def can_confirm(actor: Any, reset: PasswordReset) -> bool:
    """The second person: an 审计员, or a 公开办管理员 of the holder's unit or a unit above it; never the one who
    asked, never the holder."""
    if actor.pk in (reset.issued_by_id, reset.user_id):
        return False
    if has_role(actor, Role.AUDITOR):
        return True
    admin_of = [g for g in grants(actor) if g.role == Role.UNIT_ADMIN]
    return any(g.covers_unit_subtree(unit) for unit in _units_of(reset.user) for g in admin_of)


def needs_second_person(user: Any, delivery: str) -> bool:
    return delivery == Delivery.PRINT or sees_personal_data(user)


def unit_admins(user: Any) -> list[Any]:
    """The 公开办管理员 of the holder's units (told of each reset by e-mail), without the holder."""
    units = [u.pk for u in _units_of(user)]
    ids = Membership.objects.filter(org_id__in=units, role=Role.UNIT_ADMIN).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(pk=user.pk))


# ---- the steps ----------------------------------------------------------------------------------------------


def request_reset(*, actor: Any, user: Any, delivery: str, reason: str) -> Outcome:
    """The system administrator asks for a reset of ``user``'s password (step 1)."""
    require(can_manage_accounts(actor), "只有系统管理员可以发起密码重置")
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["请写明重置原因（如：本人遗忘密码并当面申请）"]
    elif len(reason) > 200:
        errors["reason"] = ["重置原因不超过 200 字"]
    if delivery not in Delivery.values:
        errors["delivery"] = ["请选择重置码的交付方式"]
    elif delivery == Delivery.EMAIL and not (user.email or "").strip():
        errors["delivery"] = ["该账号没有登记电子邮箱，请选择打印两联交本人"]
    if errors:
        raise ValidationFailed(errors)
    if user.pk == actor.pk:
        raise NotAllowed("不能重置自己的密码，请在“修改密码”中修改")
    if not user.is_active:
        raise NotAllowed("该账号已停用，不能重置密码")
    half = _half() if delivery == Delivery.PRINT else ""
    with transaction.atomic():
        _void_open(user)
        reset = PasswordReset.objects.create(
            user=user,
            issued_by=actor,
            delivery=delivery,
            reason=reason,
            state=State.AWAITING,
            code_hash=half,  # a printed reset keeps the requester's half until the confirmer adds theirs
        )
        audit.record(
            Action.AUTH_PASSWORD_RESET,
            actor=actor,
            obj=user,
            comment=reason,
            changes={"username": user.username, "delivery": delivery, "reset": reset.pk},
        )
        code = ""
        if not needs_second_person(user, delivery):
            code = _issue(reset, actor=actor, code=_half() + _half())
    return _delivered(Outcome(reset, half=_grouped(half) if half else ""), code)


def confirm_reset(*, actor: Any, reset: PasswordReset) -> Outcome:
    """The second person confirms (step 2): the code is made and, for e-mail, sent to the holder."""
    with transaction.atomic():
        reset = PasswordReset.objects.select_for_update().select_related("user", "issued_by").get(pk=reset.pk)
        require(
            can_confirm(actor, reset), "只有该账号所在单位（或上级）的公开办管理员或审计员可以确认，且不能是发起人本人"
        )
        if reset.state != State.AWAITING:
            raise ValidationFailed({"reset": [f"该重置已{reset.get_state_display()}，不需要再确认"]})
        mine = _half() if reset.delivery == Delivery.PRINT else ""
        code = reset.code_hash + mine if reset.delivery == Delivery.PRINT else _half() + _half()
        code = _issue(reset, actor=actor, code=code, confirmed=True)
    return _delivered(Outcome(reset, half=_grouped(mine) if mine else ""), code)


def _delivered(outcome: Outcome, code: str) -> Outcome:
    """After the commit: tell the holder (with ``code`` for e-mail delivery) and the unit's admins. If the holder's
    code could not be mailed, the reset is void — nobody has the code — and the page says so."""
    if outcome.reset.state != State.ISSUED:
        return outcome
    sent = _tell(outcome.reset.pk, code)
    if outcome.reset.delivery != Delivery.EMAIL:
        return outcome
    if not sent:
        PasswordReset.objects.filter(pk=outcome.reset.pk, state=State.ISSUED).update(state=State.VOID)
        outcome.reset.state = State.VOID
        return Outcome(outcome.reset, undelivered=True)
    return Outcome(outcome.reset, mailed=True)


def _issue(reset: PasswordReset, *, actor: Any, code: str, confirmed: bool = False) -> str:
    """In the caller's transaction: the code's digest replaces any half kept; the old password and every session
    stop working (the session hash follows the password). Returns the code to mail (empty for a printed reset),
    which the caller sends once the transaction has committed (``_delivered``)."""
    now = timezone.now()
    user = reset.user
    reset.code_hash = _digest(code)
    reset.state = State.ISSUED
    reset.expires_at = now + timedelta(hours=settings.GONGKAI_RESET_CODE_HOURS)
    if confirmed:
        reset.confirmed_by = actor
        reset.confirmed_at = now
    reset.save(update_fields=["code_hash", "state", "expires_at", "confirmed_by", "confirmed_at"])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    if confirmed:
        audit.record(
            Action.AUTH_PASSWORD_RESET_CONFIRM,
            actor=actor,
            obj=user,
            changes={"username": user.username, "reset": reset.pk, "issued_by": reset.issued_by.username},
        )
    return _grouped(code) if reset.delivery == Delivery.EMAIL else ""


def use_reset(*, username: str, code: str, new_password: str, new_password2: str) -> Any:
    """The holder sets a new password with the code (step 4). Returns the user."""
    errors: dict[str, list[str]] = {}
    if not (username or "").strip():
        errors["username"] = ["请填写账号"]
    if not normalize(code):
        errors["code"] = ["请填写重置码"]
    if not new_password:
        errors["new_password1"] = ["请填写新密码"]
    elif new_password != new_password2:
        errors["new_password2"] = ["两次输入的新密码不一致"]
    if errors:
        raise ValidationFailed(errors)
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    digest = _digest(code)
    with transaction.atomic():
        reset = None
        if user is not None:
            reset = (
                PasswordReset.objects.select_for_update()
                .filter(user=user, state=State.ISSUED, expires_at__gt=timezone.now())
                .first()
            )
        if reset is None or not hmac.compare_digest(reset.code_hash, digest):
            if reset is not None:
                reset.wrong_tries += 1
                if reset.wrong_tries >= settings.GONGKAI_RESET_CODE_TRIES:
                    reset.state = State.VOID
                reset.save(update_fields=["wrong_tries", "state"])
            if user is not None:  # the auditor sees guessing at a named account, with or without an open reset
                audit.record(
                    Action.AUTH_PASSWORD_RESET_USE, actor=None, obj=user, success=False, comment="重置码不正确或已失效"
                )
            failed = ValidationFailed({"code": [WRONG_CODE]})
        else:
            failed = None
    if failed is not None:
        raise failed
    assert user is not None and reset is not None
    passwords.check_new_password(user, new_password)
    with transaction.atomic():
        reset = PasswordReset.objects.select_for_update().get(pk=reset.pk)
        if reset.state != State.ISSUED:
            raise ValidationFailed({"code": [WRONG_CODE]})
        reset.state = State.USED
        reset.used_at = timezone.now()
        reset.save(update_fields=["state", "used_at"])
        user.set_password(new_password)
        user.save(update_fields=["password"])
        PasswordState.objects.update_or_create(user=user, defaults={"changed_at": timezone.now(), "must_change": False})
        audit.record(Action.AUTH_PASSWORD_RESET_USE, actor=user, obj=user, changes={"reset": reset.pk})
    return user


def _void_open(user: Any) -> None:
    PasswordReset.objects.filter(user=user, state__in=(State.AWAITING, State.ISSUED)).update(state=State.VOID)


def open_for(actor: Any) -> list[PasswordReset]:
    """Resets waiting for a second person that ``actor`` may confirm (the confirmation list)."""
    rows = PasswordReset.objects.filter(state=State.AWAITING).select_related("user", "issued_by")
    return [r for r in rows if can_confirm(actor, r)]


def recent(limit: int = 50) -> list[PasswordReset]:
    """The system administrator's list: the latest resets with their state."""
    return list(PasswordReset.objects.select_related("user", "issued_by", "confirmed_by")[:limit])


# ---- mail (after commit) ------------------------------------------------------------------------------------


def _tell(reset_id: int, code: str) -> bool:
    """Mail the holder (the code, or news of a printed reset) and the unit's admins. False if the holder's
    mail failed."""
    reset = PasswordReset.objects.select_related("user", "issued_by", "confirmed_by").get(pk=reset_id)
    user = reset.user
    who = reset.issued_by.get_full_name() or reset.issued_by.username
    second = ""
    if reset.confirmed_by is not None:
        second = f"，经{reset.confirmed_by.get_full_name() or reset.confirmed_by.username}确认"
    url = f"{settings.GONGKAI_PUBLIC_URL}/staff/password/reset/?username={user.username}"
    hours = settings.GONGKAI_RESET_CODE_HOURS
    try:
        if user.email:
            if code:
                body = (
                    f"您的账号 {user.username} 的密码已由系统管理员{who}重置{second}（原因：{reset.reason}）。\n\n"
                    f"重置码：{code}\n请在 {hours} 小时内打开 {url} ，输入账号、重置码并设置新密码。"
                    "重置码只能使用一次，请勿告诉他人。\n\n原密码和已登录的会话已失效。如非本人申请，请立即联系本单位公开办。"
                )
            else:
                body = (
                    f"您的账号 {user.username} 的密码已由系统管理员{who}重置{second}（原因：{reset.reason}）。\n\n"
                    f"重置码分两联打印，由系统管理员和确认人分别交给您本人；请在 {hours} 小时内打开 {url} 设置新密码。"
                    "\n\n原密码和已登录的会话已失效。如非本人申请，请立即联系本单位公开办。"
                )
            send_mail("【政务公开平台】您的密码已重置", body, None, [user.email])
    except Exception:
        log.exception("could not mail the holder of password reset %s", reset_id)  # never the code
        holder_told = False
    else:
        holder_told = True
    try:
        admins = [a.email for a in unit_admins(user) if a.email]
        if admins:
            send_mail(
                f"【政务公开平台】账号 {user.username} 的密码已重置",
                f"账号 {user.username}（{user.get_full_name() or user.username}）的密码已由系统管理员{who}重置"
                f"{second}，原因：{reset.reason}。新密码由本人凭一次性重置码设置，系统管理员不知道新密码。",
                None,
                admins,
            )
    except Exception:
        log.exception("could not mail the unit administrators of password reset %s", reset_id)
    return holder_told
