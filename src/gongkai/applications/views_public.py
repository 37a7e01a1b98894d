"""Public pages: choose the agency, the application form, the submission receipt, case tracking.

No login. Nothing about an applicant appears publicly: the receipt page shows the number and query code
once (from the session), and tracking shows status only after the code matches.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from gongkai.core import ratelimit
from gongkai.core.errors import ValidationFailed
from gongkai.core.middleware import client_address
from gongkai.orgs.models import UNIT_KINDS, Org

from . import intake, selectors
from .choices import LetterKind
from .forms import ApplicantForm, TrackForm, apply_errors
from .models import Application, Letter

_SESSION_RECEIPT = "gk_apply_receipt"
_SESSION_TRACKED = "gk_tracked"


def _render(request: HttpRequest, name: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, name, context, status=status)


def too_many(request: HttpRequest, verdict: ratelimit.Verdict, context: dict, name: str) -> HttpResponse:
    response = _render(request, name, {**context, "rate_message": verdict.message}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def index(request: HttpRequest) -> HttpResponse:
    units = Org.objects.filter(kind__in=list(UNIT_KINDS), is_active=True).order_by("path", "sort_order")
    return _render(request, "applications/public/index.html", {"units": units})


@never_cache
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(Org, slug=slug, kind__in=list(UNIT_KINDS), is_active=True)
    form = ApplicantForm(request.POST if request.method == "POST" else None)
    context = {"target": unit, "form": form}
    if request.method == "POST":
        verdict = ratelimit.hit("submit", client_address(request))
        if not verdict.allowed:
            return too_many(request, verdict, context, "applications/public/form.html")
        if form.is_valid():
            try:
                app, code = intake.submit_online(unit=unit, data=form.cleaned_data)
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                request.session[_SESSION_RECEIPT] = {
                    "tracking": app.tracking_number,
                    "code": code,
                    "unit": unit.name,
                    "phone": unit.phone,
                }
                return redirect("applications:done")
        return _render(request, "applications/public/form.html", context, status=400)
    return _render(request, "applications/public/form.html", context)


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(_SESSION_RECEIPT)
    if not receipt:
        return redirect("applications:track")
    return _render(request, "applications/public/done.html", {"receipt": receipt})


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = TrackForm(request.POST)
    else:  # the link in a progress mail carries the number; the code is typed (it is never mailed)
        form = TrackForm(initial={"tracking": request.GET.get("tracking", "").strip()[:60]})
    context: dict = {"form": form}
    if request.method == "POST":
        verdict = ratelimit.hit("track", client_address(request))
        if not verdict.allowed:
            return too_many(request, verdict, context, "applications/public/track.html")
        if form.is_valid():
            app = selectors.find_by_tracking(form.cleaned_data["tracking"], form.cleaned_data["code"])
            if app is None:
                form.add_error(None, "申请编号或查询码不正确，请核对后重试")
                return _render(request, "applications/public/track.html", context, status=400)
            tracked = set(request.session.get(_SESSION_TRACKED, []))
            tracked.add(app.pk)
            request.session[_SESSION_TRACKED] = sorted(tracked)
            context.update(
                {
                    "status": selectors.public_status(app),
                    "letters": _public_letters(app),
                    "timeline": selectors.public_timeline(app),
                }
            )
    return _render(request, "applications/public/track.html", context)


def _public_letters(app: Application) -> list:
    # Letters to the applicant only: a consultation letter goes to the third party.
    return [x for x in app.letters.exclude(kind=LetterKind.CONSULTATION) if x.pdf or x.uploaded]


def letter(request: HttpRequest, pk: int) -> FileResponse:
    """A letter of a case this browser has just tracked with the right code."""
    row = get_object_or_404(Letter, pk=pk)
    if row.kind == LetterKind.CONSULTATION or row.application_id not in set(request.session.get(_SESSION_TRACKED, [])):
        raise Http404("请先用申请编号和查询码查询")
    stored = row.pdf or row.uploaded
    if not stored:
        raise Http404("没有该文书文件")
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=(stored.name or "letter.pdf").rsplit("/", 1)[-1]
    )
