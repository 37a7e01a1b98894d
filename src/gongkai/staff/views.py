"""Staff pages for the daily work of an officer: dashboard, drafting, review, sign-off, publication."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai.applications import selectors as application_selectors
from gongkai.catalog import lifecycle, selectors, services, suggest
from gongkai.catalog.models import Category, Entry, EntryStatus
from gongkai.channels import views as channel_views
from gongkai.core.errors import DomainError, NotAllowed, ValidationFailed
from gongkai.interaction import access as message_access
from gongkai.interaction import selectors as message_selectors
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org
from gongkai.screening import selectors as screening_selectors
from gongkai.worker import queue as task_queue

from .forms import CommentForm, EntryForm, PublishedEditForm, ValidityForm, add_domain_errors, apply_errors


def _entry_for(request: HttpRequest, pk: int) -> Entry:
    entry = selectors.visible_entries(request.user).filter(pk=pk).first()
    if entry is None:
        # The same answer for "does not exist" and "not yours": no probing other units' drafts.
        raise Http404("没有找到这条信息，或您无权查看")
    return entry


def _unit_from_request(request: HttpRequest) -> Org:
    units = selectors.drafting_units(request.user)
    if not units:
        raise NotAllowed("您没有起草信息的权限")
    wanted = request.GET.get("unit") or request.POST.get("unit")
    for unit in units:
        if wanted and str(unit.pk) == wanted:
            return unit
    return units[0]


def _categories(unit: Org, include: Category | None = None) -> list[Category]:
    cats = list(Category.objects.filter(unit=unit).order_by("path", "sort_order", "id"))
    ordered: list[Category] = []

    def walk(parent_id: int | None) -> None:
        for c in cats:
            if c.parent_id == parent_id and (not c.is_retired or (include and c.pk == include.pk)):
                ordered.append(c)
                walk(c.pk)

    walk(None)
    return ordered


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "drafts": selectors.my_drafts(user)[:20],
        "review_count": selectors.review_queue(user).count(),
        "signoff_count": selectors.signoff_queue(user).count(),
        "warnings": selectors.timeliness_warnings(user),
        "recent": selectors.visible_entries(user).filter(status=EntryStatus.PUBLISHED).order_by("-published_at")[:10],
        "grants": perms.grants(user),
        "can_draft": bool(selectors.drafting_units(user)),
        "task_panel": task_queue.dashboard_panel(user),  # None for roles that cannot act on the queue
        # 留言 due soon / overdue (互动交流), for the staff who handle a unit's messages.
        "message_counts": (
            message_selectors.queue_counts(message_selectors.handled_messages(user))
            if message_access.handling_unit_ids(user)
            else None
        ),
    }
    return render(request, "staff/dashboard.html", context)


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.visible_entries(request.user)
    # The units the user sees entries of (a county supervisor: every unit below; the 通报 links here by code).
    units = list(Org.objects.filter(pk__in=qs.values("unit_id")).order_by("path", "sort_order", "id"))
    org = request.GET.get("org", "").strip()[:40]
    unit = next((u for u in units if u.code == org), None)
    if unit is not None:
        qs = qs.filter(unit=unit)
    status = request.GET.get("status", "")
    if status in EntryStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = (
            qs.filter(title__icontains=q)
            | qs.filter(index_number__icontains=q)
            | qs.filter(document_number__icontains=q)
        )
    page = Paginator(qs.order_by("-updated_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/entry_list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": EntryStatus.choices,
            "units": units if len(units) > 1 else [],
            "unit": unit,
            "org_unknown": bool(org) and unit is None,
        },
    )


def _save_attachments(request: HttpRequest, entry: Entry) -> list[str]:
    errors = []
    for upload in request.FILES.getlist("files"):
        try:
            att = services.add_attachment(actor=request.user, entry=entry, name=upload.name or "附件", stream=upload)
        except ValidationFailed as exc:
            errors.append(exc.message)
        else:
            if att.cleaned:
                messages.warning(
                    request, f"附件“{att.original_name}”含有可执行内容，已移除后保存：{'、'.join(att.cleaned)}"
                )
    return errors


#: Fields a suggestion chip may fill (``apply=field:value``); topic words are added to what is there.
SUGGESTABLE = ("category", "genre", "topic_words", "summary")


def _suggesting(request: HttpRequest, unit: Org) -> tuple[dict[str, Any], suggest.Suggestions] | None:
    """The 建议 button and the chips it shows post the form without saving it: None for an ordinary save,
    else the form's values (with the one chip clicked applied) and the suggestions for them. Nothing is
    filled in unless the officer clicked that chip."""
    if request.method != "POST" or not ("suggest" in request.POST or "apply" in request.POST):
        return None
    values: dict[str, Any] = {k: request.POST.get(k, "") for k in request.POST if k not in ("csrfmiddlewaretoken",)}
    field, _, value = request.POST.get("apply", "").partition(":")
    if field in SUGGESTABLE and value:
        if field == "topic_words":
            words = suggest.split_topic_words(values.get("topic_words", ""))
            values["topic_words"] = " ".join(words + ([value] if value not in words else []))
        else:
            values[field] = value
    text = {k: str(values.get(k, "")) for k in ("title", "summary", "body")}
    found = suggest.suggest(
        unit=unit,
        title=text["title"][: suggest.MAX_TITLE],
        summary=text["summary"][: suggest.MAX_SUMMARY],
        body=text["body"][: suggest.MAX_BODY],
    )
    return values, found


@login_required
@require_GET
def entry_suggest(request: HttpRequest) -> JsonResponse:
    """``GET /staff/entries/suggest?unit=…&title=…&summary=…[&body=…]``: the drafting suggestions as JSON.

    A read (nothing is trained or stored here). Only for a unit the user may draft in; another unit, or one
    that does not exist, gets the same 404 so nobody probes which units exist.
    """

    def error(status: int, message: str, code: str = "invalid", field: str | None = None) -> JsonResponse:
        return JsonResponse({"error": {"code": code, "message": message, "field": field}}, status=status)

    if not selectors.drafting_units(request.user):
        return error(403, "您没有起草信息的权限", "forbidden")
    raw = request.GET.get("unit", "").strip()
    if not raw.isdigit() or len(raw) > 12:
        return error(400, "请指定公开主体（unit）", field="unit")
    unit = Org.objects.filter(pk=int(raw)).first()
    if unit is None or not perms.can_draft_in(request.user, unit):
        return error(404, "没有找到该公开主体，或您无权在该单位起草信息", "not_found", "unit")
    try:
        found = suggest.suggest(
            unit=unit,
            title=request.GET.get("title", ""),
            summary=request.GET.get("summary", ""),
            body=request.GET.get("body", ""),
        )
    except ValidationFailed as exc:
        return error(400, exc.message, field=exc.field)
    return JsonResponse({"unit": unit.pk, **found.as_dict()})


@login_required
def entry_create(request: HttpRequest) -> HttpResponse:
    unit = _unit_from_request(request)
    categories = _categories(unit)
    publishers = selectors.publisher_choices(request.user, unit)
    initial: dict[str, Any] = {"publisher": publishers[0].pk if publishers else None}
    if request.GET.get("category"):
        initial["category"] = request.GET["category"]
    suggesting = _suggesting(request, unit)
    if suggesting is not None:
        values, found = suggesting
        form = EntryForm(categories=categories, publishers=publishers, initial={**initial, **values})
        context = {"form": form, "unit": unit, "units": selectors.drafting_units(request.user), "creating": True}
        return render(request, "staff/entry_form.html", {**context, "suggestions": found, "suggested": True})
    data = request.POST if request.method == "POST" else None
    form = EntryForm(data, categories=categories, publishers=publishers, initial=initial)
    if request.method == "POST" and not form.is_valid():
        add_domain_errors(form, unit)
    elif request.method == "POST":
        try:
            entry = services.create_draft(actor=request.user, unit=unit, **form.service_data())
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            for message in _save_attachments(request, entry):
                messages.error(request, f"附件未上传：{message}")
            messages.success(request, "草稿已保存。")
            if request.POST.get("then") == "submit":
                return _do(request, entry, "submit")
            return redirect("staff:entry_detail", pk=entry.pk)
    return render(
        request,
        "staff/entry_form.html",
        {
            "form": form,
            "unit": unit,
            "units": selectors.drafting_units(request.user),
            "creating": True,
        },
    )


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk)
    published = entry.status == EntryStatus.PUBLISHED
    lifecycle.check("edit_published" if published else "edit_draft", entry, request.user)
    form_class = PublishedEditForm if published else EntryForm
    initial = {f: getattr(entry, f) for f in services.EDITABLE_FIELDS}
    initial["category"], initial["publisher"] = entry.category_id, entry.publisher_id
    suggesting = _suggesting(request, entry.unit)
    if suggesting is not None:
        values, found = suggesting
        form = form_class(
            categories=_categories(entry.unit, include=entry.category),
            publishers=selectors.publisher_choices(request.user, entry.unit) or [entry.publisher],
            initial={**initial, **values},
        )
        context = {"form": form, "entry": entry, "published": published, "suggestions": found, "suggested": True}
        return render(request, "staff/entry_form.html", context)
    form = form_class(
        request.POST if request.method == "POST" else None,
        categories=_categories(entry.unit, include=entry.category),
        publishers=selectors.publisher_choices(request.user, entry.unit) or [entry.publisher],
        initial=initial,
    )
    if request.method == "POST" and not form.is_valid():
        add_domain_errors(form, entry.unit)
    elif request.method == "POST":
        data = form.service_data()
        try:
            if published:
                reason = data.pop("reason")
                changed = data.pop("changed_date", None)
                services.edit_published(actor=request.user, entry=entry, reason=reason, changed_date=changed, **data)
            else:
                services.update_draft(actor=request.user, entry=entry, **data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            if not published:
                for message in _save_attachments(request, entry):
                    messages.error(request, f"附件未上传：{message}")
            messages.success(request, "已保存。" if not published else "已保存为新版本，公开页面将随之更新。")
            return redirect("staff:entry_detail", pk=entry.pk)
    return render(request, "staff/entry_form.html", {"form": form, "entry": entry, "published": published})


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry, what the user may do to it now (``lifecycle.available``) and its latest screening verdict.

    A read: the scan ran when the content changed (``entry_content_changed``); a verdict not written yet
    shows as 正在检查, and publication waits for it (the gate scans what is missing).
    """
    entry = _entry_for(request, pk)
    user = request.user
    allowed = lifecycle.available(entry, user)
    screening = None
    try:
        screening = screening_selectors.entry_findings(entry, user)
    except DomainError:
        screening = None  # roles without review rights see the entry, not the findings
    return render(
        request,
        "staff/entry_detail.html",
        {
            "entry": entry,
            "transitions": [rule for rule in allowed if isinstance(rule, lifecycle.Transition)],
            "can": {rule.name for rule in allowed},
            "comment_form": CommentForm(),
            "validity_form": ValidityForm(initial={"validity": entry.validity}),
            "history": selectors.entry_history(entry),
            "versions": entry.versions.select_related("created_by"),
            "lag": entry.lag_workdays,
            "screening": screening,
            "lag_over": entry.published_late,
            "channels": channel_views.entry_panel(entry, user),
            "from_cases": application_selectors.cases_for_entry(entry, user),
            "site_status": task_queue.entry_site_status(entry)
            if entry.status in (EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)
            else None,
        },
    )


SERVICE_FOR = {
    "submit": services.submit_for_review,
    "review_pass": services.review_pass,
    "review_return": services.review_return,
    "sign_publish": services.sign_and_publish,
    "sign_return": services.sign_return,
}
DONE_MESSAGE = {
    "submit": "已提交保密审查。",
    "review_pass": "保密审查通过，已送审签。",
    "review_return": "已退回起草人。",
    "sign_publish": "已签发并发布，索引号：{index}。",
    "sign_return": "已退回起草人。",
    "withdraw": "已撤回，公开页面将注明撤回。",
}


def _do(request: HttpRequest, entry: Entry, action: str) -> HttpResponseRedirect:
    comment = request.POST.get("comment", "")
    try:
        if action == "withdraw":
            entry = services.withdraw(actor=request.user, entry=entry, reason=comment)
        else:
            entry = SERVICE_FOR[action](actor=request.user, entry=entry, comment=comment)
    except ValidationFailed as exc:
        for field, msgs in exc.errors.items():
            for m in msgs:
                messages.error(request, m if field in ("__all__", "screening") else f"{m}")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE_MESSAGE[action].format(index=entry.index_number))
    return redirect("staff:entry_detail", pk=entry.pk)


@login_required
@require_POST
def entry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DONE_MESSAGE:
        raise Http404("未知操作")
    return _do(request, _entry_for(request, pk), action)


@login_required
@require_POST
def entry_validity(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk)
    form = ValidityForm(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(str(e) for e in errs)}")
        return redirect("staff:entry_detail", pk=pk)
    data = form.cleaned_data
    superseded = None
    if data["superseded_by"]:
        superseded = Entry.objects.filter(unit=entry.unit, index_number=data["superseded_by"].strip()).first()
        if superseded is None:
            messages.error(request, f"替代文件索引号：本单位没有索引号为 {data['superseded_by']} 的信息")
            return redirect("staff:entry_detail", pk=pk)
    try:
        services.set_validity(
            actor=request.user,
            entry=entry,
            validity=data["validity"],
            invalid_date=data["invalid_date"],
            superseded_by=superseded,
            comment=data["comment"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "有效性已更新，公开页面将显示相应标识。")
    return redirect("staff:entry_detail", pk=pk)


@login_required
@require_POST
def entry_attach(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk)
    errors = _save_attachments(request, entry)
    for message in errors:
        messages.error(request, f"附件未上传：{message}")
    if not errors and request.FILES:
        messages.success(request, "附件已上传。")
    return redirect(reverse("staff:entry_detail", args=[pk]) + "#attachments")


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, att_id: int) -> HttpResponse:
    entry = _entry_for(request, pk)
    attachment = get_object_or_404(entry.attachments, pk=att_id)
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("staff:entry_detail", args=[pk]) + "#attachments")


@login_required
def attachment_download(request: HttpRequest, pk: int, att_id: int) -> FileResponse:
    entry = _entry_for(request, pk)
    attachment = get_object_or_404(entry.attachments, pk=att_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    entries = list(selectors.review_queue(request.user))
    counts = screening_selectors.open_findings_by_entry([e.pk for e in entries])
    for e in entries:  # 待处理 findings per entry, so the reviewer sees where the work is
        e.open_findings, e.open_high = counts.get(e.pk, (0, 0))  # type: ignore[attr-defined]
    return render(
        request,
        "staff/queue.html",
        {
            "title": "保密审查",
            "entries": entries,
            "show_findings": True,
            "empty": "没有待审核的信息。",
        },
    )


@login_required
def signoff_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/queue.html",
        {
            "title": "待审签",
            "entries": selectors.signoff_queue(request.user),
            "empty": "没有待审签的信息。",
        },
    )
