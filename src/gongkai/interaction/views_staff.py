"""Staff pages: the message queue (filters: kind, status, due soon, overdue), staff entry of calls, letters,
visits and 12345 orders, and the message page with the steps the transition table offers this user."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai import rules
from gongkai.core.errors import DomainError, RowsRejected, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import access, actions, bulk, clock, handling, intake, kinds, selectors, staff_actions
from .choices import Status
from .forms import StaffMessageForm, apply_errors
from .models import Message

SHOW = {
    "received": "待受理",
    "reviewing": "待领导审核",
    "due_soon": "即将到期",
    "overdue": "已超期",
    "open": "全部未办结",
}


def _queue(request: HttpRequest) -> Any:
    if not access.handling_unit_ids(request.user):
        raise Http404("没有可查看的留言")
    return selectors.handled_messages(request.user)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    qs = _queue(request)
    counts = selectors.queue_counts(qs)
    show = request.GET.get("show", "")
    if show in SHOW:
        qs = qs.filter(selectors.queue_filters()[show])
    kind = request.GET.get("kind", "")
    if kind in kinds.all_kinds():
        qs = qs.filter(kind=kind)
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("due_date", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/staff/queue.html",
        {
            "counts": counts,
            "page": page,
            "show": show,
            "shows": SHOW,
            "kind": kind,
            "kinds": kinds.choices(),
            "status": status,
            "statuses": Status.choices,
            "today": timezone.localdate(),
            "due_soon_rule": rules.get("due_soon"),
            "can_configure": bool(perms.managed_units(request.user)),
        },
    )


def _message(request: HttpRequest, pk: int) -> Message:
    message = Message.objects.select_related("unit", "office").filter(pk=pk).first()
    if message is None or not access.can_handle(request.user, message.unit):
        raise Http404("没有该留言")  # another unit's message: 404, so its existence does not leak
    return message


@login_required
def detail(request: HttpRequest, pk: int, bound: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    message = _message(request, pk)
    bound = bound or {}
    cards = [
        {
            "name": row.name,
            "title": row.label,
            "button": staff_actions.CARDS[row.name].button,
            "form": bound.get(row.name) or staff_actions.CARDS[row.name].make(message, None),
        }
        for row in actions.available(message, request.user)
        if not (row.name == "publish" and message.published_on)
    ]
    offered = {card["name"] for card in cards}
    # A step refused because the message moved on has no card any more: its error goes on top of the page.
    refused = [e for name, form in bound.items() if name not in offered for errs in form.errors.values() for e in errs]
    state = clock.compute(message)
    return render(
        request,
        "interaction/staff/detail.html",
        {
            "m": message,
            "kind": kinds.get(message.kind),
            "state": state,
            "overdue": state.overdue() and message.is_open,
            "events": message.events.select_related("actor"),
            "replies": message.replies.select_related("office", "drafted_by", "reviewer"),
            "ratings": message.ratings.all(),
            "cards": cards,
            "refused": refused,
        },
        status=status,
    )


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    message = _message(request, pk)
    card = staff_actions.CARDS.get(name)
    if card is None:
        raise Http404("未知操作")
    form = card.make(message, request.POST)
    try:
        actions.check(name, message, request.user)
        if form.is_valid():
            card.run(request.user, message, form.cleaned_data)
            flash.success(request, card.done)
            return redirect(reverse("interaction_staff:detail", args=[message.pk]))
    except ValidationFailed as exc:
        apply_errors(form, exc)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return detail(request, pk, bound={name: form}, status=400)


@login_required
def enter(request: HttpRequest) -> HttpResponse:
    units = list(Org.objects.filter(pk__in=access.handling_unit_ids(request.user)))
    if not units:
        raise Http404("您不是任何单位的办理人员")
    form = StaffMessageForm(request.POST if request.method == "POST" else None)
    unit_pk = request.POST.get("unit_id") or str(units[0].pk)
    context = {"form": form, "units": units, "unit_pk": unit_pk}
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == unit_pk), None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if unit is None:
                    raise ValidationFailed({"__all__": ["请选择受理单位"]})
                message, code = intake.enter_message(
                    actor=request.user,
                    unit=unit,
                    data=data,
                    channel=data["channel"],
                    received_on=data["received_on"] or None,
                    external_number=data["external_number"],
                    external_deadline=data["external_deadline"] or None,
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                flash.success(request, f"已录入留言 {message.number}，查询码 {code}（请告知留言人，只显示这一次）")
                return redirect(reverse("interaction_staff:detail", args=[message.pk]))
        return render(request, "interaction/staff/enter.html", context, status=400)
    return render(request, "interaction/staff/enter.html", context)


@login_required
def import_orders(request: HttpRequest) -> HttpResponse:
    """12345 work orders from the county platform's CSV/XLSX export: all entered, or none with every row's error."""
    units = list(Org.objects.filter(pk__in=access.handling_unit_ids(request.user)))
    if not units:
        raise Http404("您不是任何单位的办理人员")
    context: dict[str, Any] = {"units": units, "columns": bulk.COLUMNS, "problems": [], "error": ""}
    if request.method != "POST":
        return render(request, "interaction/staff/import.html", context)
    unit = next((u for u in units if str(u.pk) == request.POST.get("unit_id")), units[0])
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed({"file": ["请选择要导入的 CSV 或 XLSX 文件"]})
        created = bulk.import_orders(
            actor=request.user, unit=unit, rows=bulk.read_rows(upload.name or "", upload.read())
        )
    except RowsRejected as exc:
        context.update({"error": exc.message, "problems": exc.problems})
    except DomainError as exc:
        context["error"] = exc.message
    else:
        flash.success(request, f"已导入 {len(created)} 条12345工单")
        return redirect(reverse("interaction_staff:queue") + "?kind=hotline")
    return render(request, "interaction/staff/import.html", context, status=400)


@login_required
def review_settings(request: HttpRequest) -> HttpResponse:
    """公开办管理员: which kinds need leader review in their unit (the default comes from data/kinds.yaml)."""
    units = perms.managed_units(request.user)
    if not units:
        raise Http404("只有公开办管理员可以设置")
    unit = next((u for u in units if str(u.pk) == (request.POST.get("unit_id") or request.GET.get("unit"))), units[0])
    if request.method == "POST":
        wanted = set(request.POST.getlist("review"))
        for kind in kinds.all_kinds():
            if (kind in wanted) != handling.needs_review(unit, kind):
                handling.set_review(actor=request.user, unit=unit, kind=kind, required=kind in wanted)
        flash.success(request, "已保存")
        return redirect(reverse("interaction_staff:settings") + f"?unit={unit.pk}")
    rows = [(k, handling.needs_review(unit, k.key)) for k in kinds.all_kinds().values()]
    return render(request, "interaction/staff/settings.html", {"units": units, "unit": unit, "rows": rows})
