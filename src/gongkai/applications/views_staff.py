"""Staff pages: case list with dashboards, staff entry, the case page and its actions, letters, notices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.errors import DomainError, NotAllowed, ValidationFailed
from gongkai.orgs.models import Org

from . import access, actions, clock, intake, letters, remedies, selectors, staff_actions
from . import forms as f
from .models import Application, LetterStatus, LetterTemplate, Notice

SHOW = {
    "pending": "待确认收到",
    "due_soon": selectors.due_soon_label(),
    "overdue": "已超期",
    "awaiting_correction": "待补正",
    "in_consultation": "征求意见中",
    "awaiting_fee": "待缴费",
    "open_total": "全部未办结",
}


def _cases(request: HttpRequest) -> tuple[Any, bool]:
    """The user's cases and whether personal data may be shown (handling staff) or not (supervisor)."""
    user = request.user
    if access.handling_unit_ids(user):
        return selectors.handled_cases(user), True
    if access.supervised_unit_ids(user):
        return selectors.supervised_cases(user), False
    raise Http404("没有可查看的申请")


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    qs, personal = _cases(request)
    board = selectors.dashboard(qs)
    show = request.GET.get("show", "")
    if show in SHOW:
        qs = qs.filter(selectors.dashboard_filters()[show])
    q = request.GET.get("q", "").strip()[:60]
    if q:
        qs = qs.filter(tracking_number__icontains=q) | (qs.filter(name__icontains=q) if personal else qs.none())
    page = Paginator(qs.order_by("due_date", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/staff/list.html",
        {
            "board": board,
            "page": page,
            "show": show,
            "show_label": SHOW.get(show, "全部申请"),
            "shows": SHOW,
            "personal": personal,
            "q": q,
            "today": timezone.localdate(),
            "can_enter": bool(access.handling_unit_ids(request.user)),
        },
    )


def _handling_units(request: HttpRequest) -> list[Org]:
    units = list(Org.objects.filter(pk__in=access.handling_unit_ids(request.user)))
    if not units:
        raise NotAllowed("您不是任何单位的办理人员，不能录入申请")
    return units


@login_required
def enter(request: HttpRequest) -> HttpResponse:
    units = _handling_units(request)
    unit = next((u for u in units if str(u.pk) == (request.POST.get("unit") or request.GET.get("unit"))), units[0])
    form = f.StaffEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            app, code = intake.enter_application(
                actor=request.user,
                unit=unit,
                data=data,
                channel=data["channel"],
                submitted_on=data.get("submitted_on"),
                received_on=data.get("received_on"),
                oral=data["oral"],
            )
        except ValidationFailed as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, f"已登记申请 {app.tracking_number}，查询码 {code}（请告知申请人，仅显示一次）")
            return redirect("applications_staff:detail", pk=app.pk)
    return render(
        request,
        "applications/staff/enter.html",
        {"form": form, "units": units, "unit": unit},
        status=400 if form.errors else 200,
    )


def _case(request: HttpRequest, pk: int, *, handle: bool = False) -> tuple[Application, bool]:
    app, personal = selectors.case_for(request.user, pk)
    if app is None or (handle and not personal):
        # Same answer for "no such case" and "not yours": no probing of other units' cases.
        raise Http404("没有找到该申请，或您无权查看")
    return app, personal


@login_required
def detail(
    request: HttpRequest, pk: int, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    app, personal = _case(request, pk)
    state = clock.state_of(app)
    context: dict[str, Any] = {
        "app": app,
        "personal": personal,
        "state": state,
        "used": state.used_days(),
        "remaining": state.remaining_days(),
        "reply": getattr(app, "reply", None),
    }
    if personal:
        context.update(
            {
                "cards": staff_actions.cards(app, request.user, bound),
                "letters": app.letters.all(),
                "appeals": app.appeals.all(),
                # Each with the 复议前置 warning when it is a direct suit against such a decision.
                "appeal_rows": [(a, remedies.direct_suit_warning(app, a.kind)) for a in app.appeals.all()],
                "fee_notices": app.fee_notices.all(),
                "proactive_links": selectors.proactive_links(app),
                "similar": selectors.similar_cases(app),
                "mails": selectors.applicant_mails(app),
            }
        )
    return render(request, "applications/staff/detail.html", context, status=status)


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    app, _ = _case(request, pk, handle=True)
    spec = staff_actions.STAFF.get(name)
    if spec is None:
        raise Http404("未知操作")
    form = spec.bound(app, request.POST, request.FILES)
    try:
        # The page may be older than the case: ask the table before reading the form (the service asks again).
        actions.check(name, app, request.user)
        if form.is_valid():
            done = spec.run(request.user, app, form.cleaned_data)
            messages.success(request, done.message)
            if done.warning:
                messages.warning(request, done.warning)
            return redirect(done.url or reverse("applications_staff:detail", args=[app.pk]) + f"#{spec.anchor or name}")
    except ValidationFailed as exc:
        f.apply_errors(form, exc)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    # Re-show the case page with this form bound: what was typed stays, the error sits next to its field.
    return detail(request, pk, bound={name: form}, status=400)


@login_required
def letter_page(request: HttpRequest, pk: int, letter_id: int) -> HttpResponse:
    app, _ = _case(request, pk, handle=True)
    letter = app.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404("没有该文书")
    pending = letter.status == LetterStatus.PENDING
    waited = int((timezone.now() - letter.created_at).total_seconds())
    return render(
        request,
        "applications/staff/letter.html",
        # Refreshes itself while rendering (a meta refresh: the CSP allows no inline script).
        {"app": app, "letter": letter, "refresh": 2 if pending else None, "waited": waited, "stalled": waited > 120},
    )


@login_required
@require_POST
def letter_retry(request: HttpRequest, pk: int, letter_id: int) -> HttpResponse:
    app, _ = _case(request, pk, handle=True)
    letter = app.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404("没有该文书")
    letters.retry(actor=request.user, letter=letter)
    return redirect("applications_staff:letter_page", pk=app.pk, letter_id=letter.pk)


@login_required
def letter_file(request: HttpRequest, pk: int, letter_id: int, fmt: str) -> FileResponse:
    app, _ = _case(request, pk, handle=True)
    letter = app.letters.filter(pk=letter_id).first()
    field = {"docx": "docx", "pdf": "pdf", "file": "uploaded"}.get(fmt)
    stored = getattr(letter, field) if letter and field else None
    if not stored:
        raise Http404("没有该文书文件")
    name = stored.name.rsplit("/", 1)[-1]
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    user_id = int(request.user.pk or 0)
    rows = Notice.objects.filter(user_id=user_id).select_related("application")[:200]
    if request.method == "POST":
        Notice.objects.filter(user_id=user_id, read_at__isnull=True).update(read_at=timezone.now())
        return redirect("applications_staff:notices")
    return render(request, "applications/staff/notices.html", {"rows": rows})


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    units = [
        u
        for u in Org.objects.filter(pk__in=access.handling_unit_ids(request.user))
        if access.can_edit_templates(request.user, u)
    ]
    if not units:
        raise NotAllowed("只有公开办管理员可以修改告知书模板")
    unit = units[0]
    rows = []
    for default in LetterTemplate.objects.filter(unit__isnull=True).order_by("kind"):
        own = LetterTemplate.objects.filter(unit=unit, kind=default.kind).first()
        rows.append(
            {"kind": default.kind, "label": default.get_kind_display(), "tpl": own or default, "own": bool(own)}
        )
    return render(request, "applications/staff/templates.html", {"rows": rows, "unit": unit})


@login_required
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    units = [
        u
        for u in Org.objects.filter(pk__in=access.handling_unit_ids(request.user))
        if access.can_edit_templates(request.user, u)
    ]
    if not units:
        raise NotAllowed("只有公开办管理员可以修改告知书模板")
    unit = units[0]
    default = LetterTemplate.objects.filter(unit__isnull=True, kind=kind).first()
    if default is None:
        raise Http404("没有该类型的模板")
    own = LetterTemplate.objects.filter(unit=unit, kind=kind).first()
    base = own or default
    form = f.TemplateForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": base.title,
            "number_prefix": base.number_prefix,
            "salutation": base.salutation,
            "body": base.body,
        },
    )
    if request.method == "POST" and form.is_valid():
        letters.save_template(actor=request.user, unit=unit, kind=kind, **form.cleaned_data)
        messages.success(request, "模板已保存，之后生成的文书使用新模板")
        return redirect("applications_staff:templates")
    return render(
        request,
        "applications/staff/template_edit.html",
        {"form": form, "kind": kind, "label": default.get_kind_display(), "unit": unit},
    )
