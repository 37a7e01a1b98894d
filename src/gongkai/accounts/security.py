"""The staff login around Django's own: lockout, second factor, forced password change.

- ``LockoutBackend`` is axes' lockout check, ``LockoutHandler`` adds the account-wide and address-wide locks
  to axes' (account, address) one (``selectors``), and ``lockout_response`` is the Chinese answer (HTTP 429).
- ``StaffGateMiddleware`` holds a freshly logged-in session at the TOTP step (when the user has a device
  or a role that requires one) and then at the change-password page (first login, reset, expiry).
- Signal receivers write login, logout, failed login and lockout into the audit chain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.orgs.permissions import has_role

from . import passwords, selectors

#: Session key: password accepted, second factor still owed.
OTP_PENDING = "gongkai_otp_pending"


# --------------------------------------------------------------------------- lockout


class LockoutBackend(AxesStandaloneBackend):
    """axes' pre-authentication lockout check.

    axes refuses ``authenticate()`` calls without a request; those come only from code (the shell,
    the test client's ``login``), never from a client on the network, so there is no address or
    attempt to count and we let the next backend decide."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, counting the two wider locks too.

    axes counts failures per (account, address) pair (``AXES_LOCKOUT_PARAMETERS``). When the account as a
    whole or the address as a whole is over its own limit (``selectors.account_locked``/``address_locked``),
    the pair is reported at the pair limit, so axes refuses the login, answers with ``lockout_response`` and
    sends ``user_locked_out`` exactly as for a pair lock."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        limit = int(settings.AXES_FAILURE_LIMIT)
        if failures >= limit:
            return failures
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if selectors.account_locked(username) or selectors.address_locked(address):
            return limit
        return failures


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_hint() -> str:
    """The login page's warning, from the same settings the lock applies (GONGKAI_LOGIN_FAILURE_LIMIT,
    GONGKAI_LOCKOUT_MINUTES), so the page never promises another number than the lock applies."""
    return (
        f"在同一地址连续 {settings.AXES_FAILURE_LIMIT} 次输错密码，将暂停从该地址登录此账号 {lockout_minutes()} 分钟。"
    )


def lockout_message(reason: selectors.LockReason | None = "pair") -> str:
    """Which lock refused the login, in Chinese: the pair, the whole account or the whole address."""
    minutes = lockout_minutes()
    if reason == "account":
        what = f"该账号近期从多个地址登录失败的次数过多，已被整体锁定 {minutes} 分钟。"
    elif reason == "address":
        what = f"您所在的地址近期对多个账号登录失败的次数过多，已被锁定 {minutes} 分钟。"
    else:
        what = (
            f"从您所在的地址登录该账号已连续失败 {settings.AXES_FAILURE_LIMIT} 次，"
            f"已暂停从此地址登录该账号 {minutes} 分钟。"
        )
    return f"登录失败次数过多：{what}请稍后再试，或联系系统管理员解锁。"


def _reason(request: HttpRequest, username: str | None) -> selectors.LockReason | None:
    address = getattr(request, "axes_ip_address", None) or _address(request)
    return selectors.lock_reason(username, address)


#: Django's user name is at most 150 characters.
USERNAME_MAX = 150


class LoginView(auth_views.LoginView):
    """Django's login page with the lockout rule printed from the settings that enforce it."""

    template_name = "staff/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "lockout_hint": lockout_hint()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """A try within the growing delay after a failure (``selectors.pair_wait``) is refused before the password
        is checked, and does not count as another failure: the form comes back with the name typed kept."""
        typed = str(request.POST.get("username", ""))
        if len(typed) > USERNAME_MAX:
            # No account has such a name, and the failure record (axes, 255 characters) could not hold it.
            return self._refused(typed, f"用户名最多 {USERNAME_MAX} 个字符，请检查后重新输入。", 400)
        address = getattr(request, "axes_ip_address", None) or _address(request)  # the address axes counts
        wait = selectors.pair_wait(typed or None, address)
        if wait <= 0:
            return super().post(request, *args, **kwargs)
        message = f"刚才的密码不正确，请等待 {wait} 秒后再登录。连续输错的次数越多，需要等待的时间越长。"
        response = self._refused(typed, message, 429)
        response["Retry-After"] = str(wait)
        return response

    def _refused(self, typed: str, message: str, status: int) -> HttpResponse:
        """The login page again without checking the password: an unbound form (a bound one would authenticate
        when the page shows its errors, and count a failure), with the name as typed."""
        form = AuthenticationForm(self.request, initial={"username": typed[:USERNAME_MAX]})
        context = self.get_context_data(form=form)
        context["lockout"] = message
        return render(self.request, self.template_name, context, status=status)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The login page again, with the lockout explained in Chinese, as 429 Too Many Requests."""
    form = AuthenticationForm(request)
    context = {
        "form": form,
        "lockout": lockout_message(_reason(request, request.POST.get("username") or None) or "pair"),
        "lockout_hint": lockout_hint(),
        "next": request.POST.get("next", ""),
    }
    return render(request, "staff/login.html", context, status=429)


# --------------------------------------------------------------------------- second factor


def otp_required(user: Any) -> bool:
    return has_role(user, *settings.GONGKAI_OTP_REQUIRED_ROLES)


def confirmed_device(user: Any) -> Any:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def otp_owed(user: Any) -> bool:
    """After the password: does this user also have to show a TOTP code?"""
    return otp_required(user) or confirmed_device(user) is not None


# --------------------------------------------------------------------------- gate


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("staff:login"),
        reverse("staff:logout"),
        reverse("staff:otp_verify"),
        reverse("staff:otp_setup"),
        reverse("staff:password_change"),
        settings.STATIC_URL,
    )


def safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse("staff:dashboard")


class StaffGateMiddleware:
    """Until the second factor is shown and an owed password change is made, a logged-in session reaches
    only the pages that do those two things (and logout). API clients get 403 rather than a redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_exempt_paths()):
            target = None
            if request.session.get(OTP_PENDING):
                target = "staff:otp_verify" if confirmed_device(user) else "staff:otp_setup"
            elif passwords.change_reason(user):
                target = "staff:password_change"
            if target:
                if request.path.startswith("/api/"):
                    return HttpResponse("请先在工作台完成身份验证或修改密码", status=403, content_type="text/plain")
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
        return self.get_response(request)


# --------------------------------------------------------------------------- audit of authentication


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in, dispatch_uid="gongkai_audit_login")
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit.record(Action.AUTH_LOGIN, actor=user, obj=user, address=_address(request))
    # Only an interactive login (a POSTed form) owes the second factor: code that logs a user in
    # directly (tests, the shell) has no browser to ask, and no network client can reach that path.
    if request is not None and request.method == "POST" and otp_owed(user):
        request.session[OTP_PENDING] = True


@receiver(user_logged_out, dispatch_uid="gongkai_audit_logout")
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(Action.AUTH_LOGOUT, actor=user, obj=user, address=_address(request))


@receiver(user_login_failed, dispatch_uid="gongkai_audit_login_failed")
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    # Django has already masked the password in ``credentials``; the username is what was typed.
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        Action.AUTH_LOGIN_FAILED,
        object_type="auth.user",
        object_id=username[:64],
        success=False,
        address=_address(request),
        changes={"username": username},
    )


@receiver(user_locked_out, dispatch_uid="gongkai_audit_lockout")
def _on_locked_out(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kw: Any) -> None:
    audit.record(
        Action.AUTH_LOCKOUT,
        object_type="auth.user",
        object_id=(username or "")[:64],
        success=False,
        address=ip_address or _address(request),
        comment=lockout_message(_reason(request, username) or "pair"),
        changes={"username": username or "", "ip_address": ip_address or ""},
    )
