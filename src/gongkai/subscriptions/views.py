"""Public pages (no login), after the /apply/ and /messages/ pattern: the subscription form of a unit, the
"check your mail" page, confirmation and unsubscription from the signed links.

Rate-limited per address (scope ``subscribe``), CSRF-protected, a honeypot field; every refusal is a Chinese
message next to the field with the typed values kept, status 400 (429 over the limit), never a 500. The
unsubscribe link shows one button; the same URL takes the mail client's RFC 8058 one-click POST, which carries
no CSRF token (the signed link is the credential), hence ``csrf_exempt`` there only.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from gongkai.catalog.models import Category
from gongkai.core import ratelimit
from gongkai.core.errors import ValidationFailed
from gongkai.core.middleware import client_address
from gongkai.orgs.models import UNIT_KINDS, Org, OrgKind

from . import services, tasks, tokens
from .forms import SubscribeForm

log = logging.getLogger(__name__)
_SESSION_SENT = "gk_subscription_sent"
HONEYPOT_MESSAGE = "提交未成功，请刷新页面后重新填写"
FIELD_LABELS = {"token": "链接"}


def _apply_errors(form: SubscribeForm, exc: ValidationFailed) -> None:
    for field, messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def _category(unit: Org, value: str) -> Category:
    found = (
        Category.objects.filter(pk=int(value), unit=unit, is_retired=False).first()
        if value.isdigit() and len(value) < 18
        else None
    )
    if found is None:
        raise ValidationFailed({"category": ["目录类别不存在或已停用，请从列表中选择本单位的类别"]})
    return found


def _subscribe(form: SubscribeForm, unit: Org) -> None:
    data = form.cleaned_data
    target = data["target"]
    category = None
    village = None
    query = ""
    if target == "category":
        if not data["category"]:
            raise ValidationFailed({"category": ["请选择要订阅的目录类别"]})
        category = _category(unit, data["category"])
    elif target == "village":
        if not data.get("village"):
            raise ValidationFailed({"village": ["请选择要订阅的村（社区）"]})
        village = _village(data["village"])
    elif target == "query":
        query = data["query"]
        if not query.strip():
            raise ValidationFailed({"query": ["请填写要订阅的检索词"]})
    sub = services.subscribe(email=data["email"], unit=unit, category=category, query=query, village=village)
    try:  # committed: the worker sends the confirmation (the request never waits on the mail server)
        tasks.send_confirmation.enqueue(sub.pk)
    except Exception:
        log.exception("could not queue the confirmation mail of subscription %s", sub.pk)


def _village(value: str) -> Org:
    """The chosen village; whether it belongs to the unit is the service's check (``services._check``)."""
    found = (
        Org.objects.filter(pk=int(value), kind=OrgKind.VILLAGE, is_active=True).first()
        if value.isdigit() and len(value) < 18
        else None
    )
    if found is None:
        raise ValidationFailed({"village": [services.NO_VILLAGE]})
    return found


@never_cache
def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    unit = Org.objects.filter(slug=slug, kind__in=list(UNIT_KINDS), is_active=True).first()
    if unit is None:
        raise Http404
    wanted = request.GET.get("category", "")[:18]
    initial = {"category": wanted, "target": "category"} if wanted else {}
    form = SubscribeForm(request.POST if request.method == "POST" else None, unit=unit, initial=initial)
    context: dict[str, Any] = {"form": form, "org": unit}
    name = "subscriptions/form.html"
    if request.method != "POST":
        return render(request, name, context)
    verdict = ratelimit.hit("subscribe", client_address(request))
    if not verdict.allowed:
        response = render(request, name, {**context, "rate_message": verdict.message}, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if form.is_valid():
        if form.cleaned_data.get("website"):
            form.add_error(None, HONEYPOT_MESSAGE)
            return render(request, name, context, status=400)
        try:
            _subscribe(form, unit)
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            request.session[_SESSION_SENT] = {"unit": unit.name, "slug": unit.slug}
            return redirect("subscriptions:sent")
    return render(request, name, context, status=400)


@never_cache
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/sent.html", {"sent": request.session.get(_SESSION_SENT)})


def _error(request: HttpRequest, name: str, exc: ValidationFailed) -> HttpResponse:
    errors = [f"{FIELD_LABELS.get(f, f)}：{m}" for f, ms in exc.errors.items() for m in ms]
    return render(request, name, {"errors": errors}, status=400)


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    name = "subscriptions/confirm.html"
    try:
        sub = services.confirm(token=token)
    except ValidationFailed as exc:
        return _error(request, name, exc)
    return render(request, name, {"sub": sub})


@never_cache
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    name = "subscriptions/unsubscribe.html"
    if request.method != "POST":
        try:
            tokens.read(token, salt=tokens.UNSUBSCRIBE_SALT)
        except ValidationFailed as exc:
            return _error(request, name, exc)
        return render(request, name, {"token": token})
    verdict = ratelimit.hit("subscribe", client_address(request))
    if not verdict.allowed:
        response = render(request, name, {"token": token, "rate_message": verdict.message}, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        subs = services.unsubscribe(token=token)
    except ValidationFailed as exc:
        return _error(request, name, exc)
    return render(request, name, {"done": subs})
