"""Staff pages for account security: change password, TOTP step and enrolment, lockouts, audit log.

They live in ``core`` (not ``staff``) because they belong to the security baseline, not to the daily
disclosure work; ``staff/urls.py`` routes to them under ``/staff/``.
"""

from __future__ import annotations

import base64
import csv
import io
import time as clock
from datetime import date, datetime, time
from typing import Any

import qrcode
import qrcode.image.svg
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from gongkai.core import audit, ratelimit
from gongkai.core.audit_actions import Action, grouped_choices
from gongkai.core.cells import safe_row
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.middleware import client_address
from gongkai.core.models import AuditEvent
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Role

from . import passwords, resets, selectors, services
from .security import OTP_PENDING, USERNAME_MAX, confirmed_device, otp_required, safe_next

# --------------------------------------------------------------------------- password


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    reason = passwords.change_reason(request.user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        new1, new2 = request.POST.get("new_password1", ""), request.POST.get("new_password2", "")
        try:
            if new1 != new2:
                raise ValidationFailed({"new_password2": ["两次输入的新密码不一致"]})
            passwords.change_own_password(
                user=request.user, old_password=request.POST.get("old_password", ""), new_password=new1
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            # The session ends with the old password: the user logs in again with the new one.
            logout(request)
            messages.success(request, "密码已修改，请使用新密码重新登录。")
            return HttpResponseRedirect(reverse("staff:login"))
    return render(
        request,
        "staff/password_change.html",
        {"reason": reason, "errors": errors, "help": passwords.ComplexityValidator().get_help_text()},
        status=400 if errors else 200,
    )


# --------------------------------------------------------------------------- second factor


def _finish_otp(request: HttpRequest, device: TOTPDevice, action: Action) -> HttpResponse:
    otp_login(request, device)
    request.session.pop(OTP_PENDING, None)
    user: Any = request.user  # authenticated here: the view is login_required
    audit.record(action, actor=user, obj=user)
    return HttpResponseRedirect(safe_next(request, request.POST.get("next") or request.GET.get("next")))


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(reverse("staff:otp_setup"))
    error = ""
    if request.method == "POST":
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(request.POST.get("token", "").strip()):
            return _finish_otp(request, device, Action.AUTH_OTP_VERIFY)
        error = "动态验证码不正确或已过期，请查看验证器中最新的 6 位数字" if allowed else "尝试次数过多，请稍后再试"
        user: Any = request.user
        audit.record(Action.AUTH_OTP_VERIFY, actor=user, obj=user, success=False)
    return render(
        request,
        "staff/otp_verify.html",
        {"error": error, "next": request.GET.get("next", "")},
        status=400 if error else 200,
    )


def _qr_data_uri(text: str) -> str:
    # An <img> with a data: URI, not inline <svg>: CSP allows data: images but no inline styles.
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


#: Salt of the signed form field that carries a secret from the enrolment page to its confirmation.
ENROL_SALT = "gongkai.accounts.otp_setup"
#: How long the shown QR code stays good for: scan it and type the code within this time.
ENROL_MAX_AGE = 15 * 60


def _pending_secret(user: Any, signed: str) -> str | None:
    """The hex key the enrolment page showed ``user``, if ``signed`` is that page's field and recent."""
    try:
        data = signing.loads(signed, salt=ENROL_SALT, max_age=ENROL_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk or not isinstance(data.get("key"), str):
        return None
    return str(data["key"])


def _totp_matches(device: TOTPDevice, token: str) -> bool:
    if not token.isdigit():
        return False
    check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    check.time = clock.time()
    if not check.verify(int(token), device.tolerance):
        return False
    device.last_t = check.t()  # the code just used cannot log in again
    return True


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator. The page shows a fresh secret and stores nothing: the secret travels in a
    signed form field, and the device is saved (confirmed) only by the POST that proves the user's
    authenticator produces its codes. A GET never writes."""
    user: Any = request.user
    if confirmed_device(user) is not None and not request.session.get(OTP_PENDING):
        return render(request, "staff/otp_setup.html", {"enrolled": True})
    if confirmed_device(user) is not None:
        return HttpResponseRedirect(reverse("staff:otp_verify"))
    error = code_error = ""
    key = None
    # An account issued a one-time code (`gongkai user add --role sysadmin`) binds only with that code too.
    code_needed = selectors.open_enrolment_code(user) is not None
    if request.method == "POST":
        key = _pending_secret(user, request.POST.get("pending", ""))
        if key is None:
            error = "二维码已过期，请用验证器扫描下方新的二维码后重新输入"
    device = TOTPDevice(user=user, name="验证器", confirmed=True, key=key or random_hex(20))
    enrol_code = request.POST.get("enrol_code", "")
    problem = selectors.enrolment_code_problem(user, enrol_code) if code_needed else None
    if request.method == "POST" and problem is not None:
        try:
            services.refuse_enrolment_code(actor=user, user=user, problem=problem)
        except ValidationFailed as exc:
            code_error = exc.errors["enrol_code"][0]
    elif request.method == "POST" and key is not None:
        if _totp_matches(device, request.POST.get("token", "").strip()):
            try:
                with transaction.atomic():
                    if confirmed_device(user) is not None:  # a second tab confirmed first
                        return HttpResponseRedirect(reverse("staff:otp_verify"))
                    if code_needed:
                        services.use_enrolment_code(actor=user, user=user, code=enrol_code)
                    TOTPDevice.objects.filter(user=user, confirmed=False).delete()  # left by earlier versions
                    device.save()
            except ValidationFailed as exc:  # the code was spent by a concurrent request
                code_error = exc.errors["enrol_code"][0]
            else:
                return _finish_otp(request, device, Action.AUTH_OTP_ENROL)
        else:
            error = "动态验证码不正确，请确认已扫描下方二维码，并输入验证器显示的 6 位数字"
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return render(
        request,
        "staff/otp_setup.html",
        {
            "qr": _qr_data_uri(device.config_url),
            "secret": secret,
            "pending": signing.dumps({"user": user.pk, "key": device.key}, salt=ENROL_SALT),
            "required": otp_required(user),
            "error": error,
            "code_needed": code_needed,
            "code_error": code_error,
            "enrol_code": "" if code_error else enrol_code,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if error or code_error else 200,
    )


# --------------------------------------------------------------------------- lockouts (system administrator)


#: The lockouts page's name for each lock (selectors.LockReason).
LOCK_LABELS = {"pair": "已锁定（该账号从此地址）", "account": "已锁定（整个账号）", "address": "已锁定（整个地址）"}


def _lock_label(attempt: AccessAttempt) -> str:
    reason = selectors.lock_reason(attempt.username, attempt.ip_address)
    return LOCK_LABELS[reason] if reason else ""


@login_required
def lockouts(request: HttpRequest) -> HttpResponse:
    perms.require(perms.can_manage_accounts(request.user), "只有系统管理员可以查看和解除登录锁定")
    attempts = list(AccessAttempt.objects.order_by("-attempt_time")[:200])
    rows = [{"attempt": a, "locked": _lock_label(a)} for a in attempts]
    context = {
        "rows": rows,
        "limit": settings.AXES_FAILURE_LIMIT,
        "account_limit": settings.GONGKAI_LOGIN_ACCOUNT_FAILURE_LIMIT,
        "address_limit": settings.GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT,
    }
    return render(request, "staff/lockouts.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_accounts(request.user), "只有系统管理员可以解除登录锁定")
    attempt = AccessAttempt.objects.filter(pk=pk).first()
    if attempt is None:
        messages.info(request, "该记录已不存在（可能已自动解锁）。")
        return HttpResponseRedirect(reverse("staff:lockouts"))
    with transaction.atomic():
        if attempt.username:
            axes_reset(username=attempt.username)
        if attempt.ip_address:
            axes_reset(ip=attempt.ip_address)
        audit.record(
            Action.AUTH_UNLOCK,
            actor=request.user,
            object_type="auth.user",
            object_id=(attempt.username or attempt.ip_address or "")[:64],
            changes={"username": attempt.username or "", "ip_address": attempt.ip_address or ""},
        )
    messages.success(request, f"已解除锁定：{attempt.username or attempt.ip_address}")
    return HttpResponseRedirect(reverse("staff:lockouts"))


# --------------------------------------------------------------------------- audit log (auditor)


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered_events(query: Any) -> tuple[QuerySet[AuditEvent], dict[str, Any], dict[str, str]]:
    """The events the filter form (``query``: the page's GET, or the export's POST) asks for."""
    params = {k: str(query.get(k, "")).strip() for k in ("from", "to", "user", "action")}
    errors: dict[str, str] = {}
    events = AuditEvent.objects.all()
    tz = timezone.get_current_timezone()
    start, end = _parse_day(params["from"]), _parse_day(params["to"])
    if params["from"] and start is None:
        errors["from"] = "开始日期格式应为 年-月-日，如 2025-03-01"
    if params["to"] and end is None:
        errors["to"] = "结束日期格式应为 年-月-日，如 2025-03-31"
    if start:
        events = events.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        events = events.filter(created_at__lte=datetime.combine(end, time.max, tzinfo=tz))
    if len(params["user"]) > USERNAME_MAX:  # no account has such a name; SQLite refuses a LIKE pattern this long
        errors["user"] = f"操作人最多 {USERNAME_MAX} 个字符，请缩短后再查"
    elif params["user"]:
        events = events.filter(actor_name__icontains=params["user"])
    if params["action"]:
        events = events.filter(Q(action=params["action"]) | Q(action__startswith=params["action"] + "."))
    return events, params, errors


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    perms.require(perms.can_read_audit(request.user), "只有审计员可以查看审计日志")
    events, params, errors = _filtered_events(request.GET)
    page = Paginator(events.order_by("-id"), 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in params.items() if v})
    # The filter lists every action by its Chinese name, grouped, from the enum: no DISTINCT over the log.
    return render(
        request,
        "staff/audit_log.html",
        {"page": page, "params": params, "errors": errors, "action_groups": grouped_choices(), "query": query},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_POST
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered log as CSV. A POST (the log page's 导出 CSV button, with its filters): the export is
    itself an audited event, and a GET never writes."""
    perms.require(perms.can_read_audit(request.user), "只有审计员可以导出审计日志")
    events, params, errors = _filtered_events(request.POST)
    if errors:  # back to the log page, which shows what is wrong with the filter, rather than exporting everything
        kept = {k: v[: USERNAME_MAX + 1] for k, v in params.items() if v}  # still refused there; a short URL
        return redirect(f"{reverse('staff:audit_log')}?{urlencode(kept)}")
    # The export contains account names and addresses: the export itself is an audited event.
    audit.record(Action.AUDIT_EXPORT, actor=request.user, object_type="core.auditevent", changes={"filters": params})
    writer = csv.writer(_Echo())
    # 动作 is the Chinese name, 动作代码 the stored code (what the chain hashes and `gongkai audit` prints).
    # 变更字段 names the changed fields without their values, as the viewer does.
    header = [
        "编号",
        "时间",
        "操作人",
        "地址",
        "动作",
        "动作代码",
        "对象类型",
        "对象",
        "单位",
        "结果",
        "原状态",
        "新状态",
        "说明",
        "变更字段",
    ]

    def rows() -> Any:
        yield "\ufeff" + writer.writerow(header)  # BOM: Excel opens UTF-8 correctly
        for e in events.order_by("id").iterator(chunk_size=2000):
            # safe_row: a login name typed by anyone (e.g. =HYPERLINK(…)) must not become a formula.
            yield writer.writerow(
                safe_row(
                    [
                        e.id,
                        timezone.localtime(e.created_at).isoformat(timespec="seconds"),
                        e.actor_name,
                        e.address or "",
                        e.get_action_display(),
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.org_code,
                        e.get_outcome_display(),
                        e.from_state_display(),
                        e.to_state_display(),
                        e.comment,
                        "、".join(e.changed_fields()),  # names only: the auditor reads no business content
                    ]
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
    return response


# --------------------------------------------------------------------------- password reset (system administrator)


@login_required
def reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    """The system administrator asks for a reset of one account (resets.request_reset): no password is chosen."""
    perms.require(perms.can_manage_accounts(request.user), "只有系统管理员可以重置密码")
    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None:
        raise NotAllowed("没有这个账号")
    errors: dict[str, list[str]] = {}
    values = {"delivery": "email" if target.email else "print", "reason": ""}
    if request.method == "POST":
        values = {"delivery": request.POST.get("delivery", ""), "reason": request.POST.get("reason", "")}
        try:
            done = resets.request_reset(
                actor=request.user, user=target, delivery=values["delivery"], reason=values["reason"]
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            return render(request, "staff/reset_done.html", _done(done, target, "requester"))
    context = {
        "target": target,
        "errors": errors,
        "values": values,
        "deliveries": resets.Delivery.choices,
        "second": perms.sees_personal_data(target),
    }
    return render(request, "staff/reset_password.html", context, status=400 if errors else 200)


@login_required
def resets_page(request: HttpRequest) -> HttpResponse:
    """密码重置: the system administrator finds an account by name and asks; a unit admin or the auditor sees the
    resets waiting for them to confirm; the system administrator sees the latest resets."""
    user: Any = request.user
    sysadmin = perms.can_manage_accounts(user)
    perms.require(sysadmin or perms.has_role(user, Role.UNIT_ADMIN, Role.AUDITOR), "您没有权限查看密码重置")
    error = ""
    name = ""
    if sysadmin and request.method == "POST":
        name = request.POST.get("username", "").strip()[:150]
        target = get_user_model().objects.filter(username=name).first() if name else None
        if target is not None:
            return HttpResponseRedirect(reverse("staff:reset_password", args=[target.pk]))
        error = f"账号：没有名为“{name}”的账号" if name else "账号：请填写要重置密码的账号"
    context = {
        "sysadmin": sysadmin,
        "waiting": resets.open_for(user),
        "recent": resets.recent() if sysadmin else [],
        "error": error,
        "name": name,
    }
    return render(request, "staff/resets.html", context, status=400 if error else 200)


@login_required
@require_POST
def confirm_reset(request: HttpRequest, pk: int) -> HttpResponse:
    reset = resets.PasswordReset.objects.filter(pk=pk).select_related("user").first()
    if reset is None or not resets.can_confirm(request.user, reset):
        raise NotAllowed("没有这项待确认的密码重置，或您不能确认它")
    try:
        done = resets.confirm_reset(actor=request.user, reset=reset)
    except ValidationFailed as exc:
        messages.info(request, "；".join(m for ms in exc.errors.values() for m in ms))
        return HttpResponseRedirect(reverse("staff:resets"))
    return render(request, "staff/reset_done.html", _done(done, reset.user, "confirmer"))


def _done(done: resets.Outcome, target: Any, by: str) -> dict[str, Any]:
    return {"done": done, "target": target, "by": by, "hours": settings.GONGKAI_RESET_CODE_HOURS}


def password_reset_use(request: HttpRequest) -> HttpResponse:
    """The holder, not logged in: account, one-time code and a new password of their own (resets.use_reset)."""
    errors: dict[str, list[str]] = {}
    status = 200
    source = request.POST if request.method == "POST" else request.GET
    username = source.get("username", "").strip()[:150]
    if request.method == "POST":
        verdict = ratelimit.hit("password_reset", client_address(request))
        if not verdict.allowed:
            errors, status = {"code": [verdict.message]}, 429
        else:
            try:
                resets.use_reset(
                    username=username,
                    code=request.POST.get("code", ""),
                    new_password=request.POST.get("new_password1", ""),
                    new_password2=request.POST.get("new_password2", ""),
                )
            except ValidationFailed as exc:
                errors, status = exc.errors, 400
            else:
                messages.success(request, "新密码已设置，请用新密码登录。")
                return HttpResponseRedirect(reverse("staff:login"))
    context = {"errors": errors, "username": username, "help": passwords.ComplexityValidator().get_help_text()}
    return render(request, "staff/password_reset_use.html", context, status=status)
