"""Write-API tokens for the unit's disclosure office: issue (shown once), list, revoke.

The county's integration partner (a document system, a 政务 platform) gets a token that acts as one named
staff member inside one unit, with that member's roles (``gongkai.api.tokens``). The same services as the
``gongkai apitoken`` command, with the acting administrator recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.api.models import ApiToken
from gongkai.api.tokens import issue_token, revoke_token
from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Membership, Org

from .forms import apply_errors


class TokenForm(forms.Form):
    user = forms.TypedChoiceField(
        label="代表的工作人员",
        coerce=int,
        help_text="令牌以此人的身份、按此人在本单位的角色操作（如信息员只能新建草稿、提交审查）。",
        error_messages={"required": "请选择令牌代表的工作人员", "invalid_choice": "请从列表中选择本单位的工作人员"},
    )
    name = forms.CharField(
        label="用途",
        max_length=100,
        widget=forms.TextInput(attrs={"size": 40, "placeholder": "如：县政务服务平台同步"}),
        error_messages={"required": "请填写令牌用途（如：某业务系统同步）", "max_length": "用途最多 100 个字"},
    )


def _staff_of(unit: Org) -> list[Any]:
    """Active users holding a role that acts inside this unit (its own offices included)."""
    ids = Membership.objects.filter(org__in=unit.subtree()).values("user")
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")
    return [u for u in users if perms.unit_roles(u, unit)]


def _label(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full}（{user.get_username()}）" if full else user.get_username()


def _form(data: Any, staff: list[Any]) -> TokenForm:
    form = TokenForm(data)
    form.fields["user"].choices = [("", "（请选择）")] + [(u.pk, _label(u)) for u in staff]  # type: ignore[attr-defined]
    return form


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    units = perms.managed_units(request.user)
    if not units:
        return render(request, "staff/api_tokens.html", {"units": []}, status=403)
    wanted = request.POST.get("unit") or request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == wanted), units[0])
    staff = _staff_of(unit)
    form = _form(request.POST if request.method == "POST" else None, staff)
    issued = None
    if request.method == "POST" and form.is_valid():
        user = next(u for u in staff if u.pk == form.cleaned_data["user"])
        try:
            token, raw = issue_token(actor=request.user, user=user, unit=unit, name=form.cleaned_data["name"])
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            issued = {"token": token, "raw": raw}
            form = _form(None, staff)  # an empty form for the next one
    tokens = ApiToken.objects.filter(unit=unit).select_related("user").order_by("revoked_at", "-created_at")
    response = render(
        request,
        "staff/api_tokens.html",
        {"units": units, "unit": unit, "tokens": tokens, "form": form, "issued": issued},
        status=400 if request.method == "POST" and not issued else 200,
    )
    if issued:
        response["Cache-Control"] = "no-store"  # the token is on this page once: keep it out of every cache
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("unit"), pk=pk)
    if not perms.can_manage_unit(request.user, token.unit):
        raise Http404("没有找到该令牌")
    if token.revoked_at:
        messages.info(request, f"令牌 {token.prefix}… 已经吊销过了。")
    else:
        try:
            revoke_token(actor=request.user, token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已吊销令牌 {token.prefix}…（{token.name}），使用它的系统将无法再写入。")
    return redirect(f"/staff/api-tokens/?unit={token.unit_id}")
