"""Staff pages: case list with dashboards, staff entry, the case page and its actions, letters, notices."""

from __future__ import annotations

from collections.abc import Callable
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

from . import access, clock, handling, intake, letters, replies, selectors
from . import forms as f
from .choices import Status
from .models import Appeal, Application, LetterStatus, LetterTemplate, Notice

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


def _action_forms(app: Application, bound: dict[str, forms.Form] | None = None) -> dict[str, forms.Form]:
    today = timezone.localdate()
    made: dict[str, forms.Form] = {
        "receive": f.ReceiptForm(initial={"received_on": today}),
        "correction_request": f.CorrectionRequestForm(initial={"on": today}),
        "correction_receive": f.CorrectionReceivedForm(initial={"on": today}),
        "consultation_start": f.ConsultationStartForm(initial={"on": today}),
        "consultation_end": f.ConsultationEndForm(initial={"on": today}),
        "extend": f.ExtensionForm(unit=app.unit, initial={"on": today, "notified_on": today}),
        "fee_notice": f.FeeNoticeForm(initial={"on": today}),
        "fee_paid": f.DateForm(initial={"on": today}),
        "reply": f.ReplyForm(initial={"on": today}),
        "transfer": f.TransferForm(exclude=app.unit, initial={"on": today}),
        "letter": f.LetterForm(initial={"on": today}),
        "upload": f.UploadForm(initial={"on": today}),
        "appeal": f.AppealForm(),
    }
    made.update(bound or {})
    return made


def _available(app: Application) -> set[str]:
    s = app.status
    out = {"letter", "upload", "appeal"}
    if s == Status.PENDING:
        out |= {"receive", "transfer"}
    if s == Status.IN_PROGRESS:
        out |= {"correction_request", "consultation_start", "extend", "fee_notice", "reply"}
    if s == Status.AWAITING_CORRECTION:
        out |= {"correction_receive", "reply"}
    if s == Status.IN_CONSULTATION:
        out |= {"consultation_end", "extend"}
    if s == Status.AWAITING_FEE:
        out |= {"fee_paid", "reply"}
    return out


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
                "forms": _action_forms(app, bound),
                # A rejected form stays on the page with its error even if the action no longer applies.
                "available": _available(app) | set(bound or {}),
                "letters": app.letters.all(),
                "appeals": app.appeals.all(),
                "fee_notices": app.fee_notices.all(),
            }
        )
    return render(request, "applications/staff/detail.html", context, status=status)


def _form_for(action: str, request: HttpRequest, app: Application) -> forms.Form:
    data, files = request.POST, request.FILES
    makers: dict[str, Callable[[], forms.Form]] = {
        "receive": lambda: f.ReceiptForm(data),
        "correction_request": lambda: f.CorrectionRequestForm(data),
        "correction_receive": lambda: f.CorrectionReceivedForm(data),
        "consultation_start": lambda: f.ConsultationStartForm(data),
        "consultation_end": lambda: f.ConsultationEndForm(data),
        "extend": lambda: f.ExtensionForm(data, unit=app.unit),
        "fee_notice": lambda: f.FeeNoticeForm(data),
        "fee_paid": lambda: f.DateForm(data),
        "reply": lambda: f.ReplyForm(data),
        "transfer": lambda: f.TransferForm(data, exclude=app.unit),
        "letter": lambda: f.LetterForm(data),
        "upload": lambda: f.UploadForm(data, files),
        "appeal": lambda: f.AppealForm(data),
        "appeal_decide": lambda: f.AppealDecisionForm(data),
    }
    if action not in makers:
        raise Http404("未知操作")
    return makers[action]()


def _run(action: str, user: Any, app: Application, d: dict[str, Any]) -> str:
    """Call the service for ``action``; returns the success message."""
    if action == "receive":
        intake.confirm_receipt(actor=user, application=app, received_on=d["received_on"])
        return "已确认收到申请，开始计算答复期限"
    if action == "correction_request":
        handling.request_correction(actor=user, application=app, on=d["on"], items=d["items"], due=d["due"])
        return "已记录补正通知，可生成《补正申请通知书》"
    if action == "correction_receive":
        handling.record_correction(actor=user, application=app, on=d["on"], note=d.get("note", ""))
        return "已记录收到补正，答复期限重新计算"
    if action == "consultation_start":
        handling.start_consultation(
            actor=user, application=app, on=d["on"], party=d["party"], who=d["who"], matter=d.get("matter", "")
        )
        return "已开始征求意见，答复期限暂停"
    if action == "consultation_end":
        handling.end_consultation(actor=user, application=app, on=d["on"], outcome=d.get("outcome", ""))
        return "征求意见已结束，答复期限继续计算"
    if action == "extend":
        handling.extend(
            actor=user,
            application=app,
            on=d["on"],
            days=d.get("days"),
            reason=d.get("reason", ""),
            approved_by=d.get("approved_by"),
            notified_on=d.get("notified_on"),
        )
        return "已延长答复期限"
    if action == "fee_notice":
        notice = handling.issue_fee_notice(
            actor=user,
            application=app,
            on=d["on"],
            basis=d["basis"],
            quantity=d.get("quantity"),
            delivered_on=d.get("delivered_on"),
        )
        return f"已发出收费通知，金额 {notice.amount} 元"
    if action == "fee_paid":
        handling.record_payment(actor=user, application=app, on=d["on"])
        return "已记录缴费"
    if action == "reply":
        result = d.get("result")
        replies.reply(
            actor=user,
            application=app,
            result=result.key if result else "",
            on=d["on"],
            content=d.get("content", ""),
            proactive_location=d.get("proactive_location", ""),
            referred_agency=d.get("referred_agency", ""),
        )
        return "已答复，申请办结；可生成答复告知书"
    if action == "transfer":
        new = intake.transfer(actor=user, application=app, to_unit=d["to_unit"], on=d["on"], reason=d.get("reason", ""))
        return f"已转送{new.unit.name}，新编号 {new.tracking_number}"
    if action == "upload":
        letters.upload(
            actor=user, application=app, kind=d["kind"], title=d.get("title", ""), upload=d["upload"], on=d["on"]
        )
        return "已上传文书"
    if action == "appeal":
        replies.record_appeal(
            actor=user,
            application=app,
            kind=d["kind"],
            filed_on=d["filed_on"],
            authority=d.get("authority", ""),
            case_number=d.get("case_number", ""),
            note=d.get("note", ""),
        )
        return "已登记行政复议/诉讼"
    if action == "appeal_decide":
        appeal = Appeal.objects.filter(pk=d["appeal"], application=app).first()
        if appeal is None:
            raise ValidationFailed({"appeal": ["没有找到该复议/诉讼记录"]})
        replies.decide_appeal(actor=user, appeal=appeal, outcome=d["outcome"], decided_on=d.get("decided_on"))
        return "已更新复议/诉讼结果"
    raise Http404("未知操作")


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    app, _ = _case(request, pk, handle=True)
    form = _form_for(name, request, app)
    if form.is_valid():
        try:
            if name == "letter":
                return _generate_letter(request, app, form.cleaned_data)
            message = _run(name, request.user, app, form.cleaned_data)
        except ValidationFailed as exc:
            f.apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, message)
            return redirect(reverse("applications_staff:detail", args=[app.pk]) + f"#{name}")
    # Re-show the case page with this form bound: what was typed stays, the error sits next to its field.
    return detail(request, pk, bound={name: form}, status=400)


def _generate_letter(request: HttpRequest, app: Application, d: dict[str, Any]) -> HttpResponse:
    """Number the letter now; its page shows "正在生成…" until the worker has rendered DOCX and PDF."""
    letter = letters.generate(
        actor=request.user, application=app, kind=d["kind"], on=d["on"], request_key=d.get("request_key", "")
    )
    messages.success(request, f"已编号《{letter.title}》{letter.number}")
    return redirect("applications_staff:letter_page", pk=app.pk, letter_id=letter.pk)


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
