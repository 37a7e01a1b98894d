"""Public pages (no login), after the /apply/ pattern: the message form, the receipt (number and query code,
shown once from the session), tracking with number + code (status, the reply once answered) and the rating.

Rate-limited per address (the ``submit`` and ``track`` scopes the application form uses), a honeypot field,
duplicate detection in the intake service; GBK/GB18030 posts are re-encoded by the core middleware.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from gongkai.core import ratelimit
from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.core.middleware import client_address
from gongkai.orgs.models import UNIT_KINDS, Org

from . import handling, intake, selectors
from .forms import MessageForm, RatingForm, TrackForm, apply_errors

_SESSION_RECEIPT = "gk_message_receipt"
HONEYPOT_MESSAGE = "提交未成功，请刷新页面后重新填写"


def _too_many(request: HttpRequest, verdict: ratelimit.Verdict, name: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, name, {**context, "rate_message": verdict.message}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


@never_cache
def new(request: HttpRequest) -> HttpResponse:
    initial = {"unit": request.GET.get("unit", "")[:40], "kind": request.GET.get("kind", "")[:20]}
    form = MessageForm(request.POST if request.method == "POST" else None, initial=initial)
    context: dict[str, Any] = {"form": form}
    name = "interaction/public/form.html"
    if request.method != "POST":
        return render(request, name, context)
    verdict = ratelimit.hit("submit", client_address(request))
    if not verdict.allowed:
        return _too_many(request, verdict, name, context)
    if form.is_valid():
        if form.cleaned_data.get("website"):
            form.add_error(None, HONEYPOT_MESSAGE)
            return render(request, name, context, status=400)
        data = form.cleaned_data
        unit = Org.objects.filter(slug=data["unit"], kind__in=list(UNIT_KINDS), is_active=True).first()
        try:
            message, code = intake.submit_online(unit=unit, data=data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            request.session[_SESSION_RECEIPT] = {
                "number": message.number,
                "code": code,
                "unit": message.unit.name,
                "phone": message.unit.phone,
                "due_date": message.due_date.isoformat() if message.due_date else "",
            }
            return redirect("interaction:done")
    return render(request, name, context, status=400)


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(_SESSION_RECEIPT)
    if not receipt:
        return redirect("interaction:track")
    return render(request, "interaction/public/done.html", {"receipt": receipt})


def _tracked(request: HttpRequest, number: str, code: str, context: dict[str, Any]) -> bool:
    message = selectors.find_by_number(number, code)
    if message is None:
        return False
    context["status"] = selectors.public_status(message)
    context["rating_form"] = context.get("rating_form") or RatingForm(initial={"number": message.number, "code": code})
    return True


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    name = "interaction/public/track.html"
    if request.method == "POST":
        verdict = ratelimit.hit("track", client_address(request))
        if not verdict.allowed:
            return _too_many(request, verdict, name, context)
        if form.is_valid() and not _tracked(request, form.cleaned_data["number"], form.cleaned_data["code"], context):
            form.add_error(None, "留言编号或查询码不正确，请核对后重试")
            return render(request, name, context, status=400)
    return render(request, name, context)


@never_cache
def rate(request: HttpRequest) -> HttpResponse:
    """POST only (the rating form on the tracking page); a GET goes back to tracking."""
    if request.method != "POST":
        return redirect("interaction:track")
    name = "interaction/public/track.html"
    rating_form = RatingForm(request.POST)
    rating_form.is_valid()
    number, code = rating_form.cleaned_data.get("number", ""), rating_form.cleaned_data.get("code", "")
    context: dict[str, Any] = {"form": TrackForm(initial={"number": number}), "rating_form": rating_form}
    verdict = ratelimit.hit("track", client_address(request))
    if not verdict.allowed:
        return _too_many(request, verdict, name, context)
    message = selectors.find_by_number(number, code)
    if message is None:
        context["error"] = "留言编号或查询码不正确，请重新查询后再评价"
        return render(request, name, context, status=400)
    try:
        handling.rate(
            message=message,
            code=code,
            value=rating_form.cleaned_data.get("value", ""),
            comment=rating_form.cleaned_data.get("comment", ""),
        )
    except ValidationFailed as exc:
        apply_errors(rating_form, exc)
        _tracked(request, number, code, context)
        return render(request, name, context, status=400)
    except DomainError as exc:
        rating_form.add_error(None, exc.message)
        _tracked(request, number, code, context)
        return render(request, name, context, status=400)
    _tracked(request, number, code, context)
    context.update({"rated": True, "rating_form": None})
    return render(request, name, context)
