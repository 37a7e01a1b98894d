"""Reviewer pages of the confidentiality review. Views call services and selectors only; POST with CSRF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongkai.catalog.models import Entry
from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import selectors, services
from .models import Alert, Finding, ScanResult, SensitiveWord

#: The mask form's kind for "every high-risk kind at once" (``services.mask_all_high``).
ALL_HIGH = "all_high"


def _back(entry_id: int, request: HttpRequest | None = None) -> HttpResponseRedirect:
    """Back to the page the reviewer acted on (the entry page, usually), else the findings page."""
    target = request.POST.get("next", "") if request is not None else ""
    if target.startswith("/staff/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect(reverse("screening:entry", args=[entry_id]))


NOT_FOUND = "没有找到这条信息，或您无权查看"


def _entry(request: HttpRequest, entry_id: int) -> Entry:
    """The entry, only if the user may see it unpublished: another unit's entry answers exactly like a missing
    one (404), so the pages cannot be used to probe which entries exist (issue 17 #6)."""
    entry = Entry.objects.select_related("unit", "publisher").filter(pk=entry_id).first()
    if entry is None or not perms.can_read_unpublished(request.user, entry):
        raise Http404(NOT_FOUND)
    return entry


@login_required
def entry_findings(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)
    try:
        view = selectors.entry_findings(entry, request.user)  # a read: the scan ran when the content changed
    except DomainError as exc:
        return render(request, "screening/denied.html", {"message": exc.message}, status=403)
    return render(request, "screening/findings.html", {"view": view})


@login_required
@require_POST
def mask(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)
    try:
        kind = request.POST.get("kind", "")
        if kind == ALL_HIGH:
            outcome = services.mask_all_high(actor=request.user, entry=entry)
        else:
            place = request.POST.get("place", "")[:200]
            attachment = request.POST.get("attachment", "")
            attachment_id = int(attachment) if attachment.isdigit() and len(attachment) < 12 else None
            if place and attachment_id is None:
                raise ValidationFailed({"attachment": ["请在扫描结果的汇总表中选择要打码的附件和列"]})
            outcome = services.mask_findings(
                actor=request.user, entry=entry, kind=kind, attachment_id=attachment_id, place=place
            )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(entry_id, request)
    messages.success(request, f"已打码 {outcome.masked} 处")
    for line in outcome.replaced:
        messages.info(request, f"已生成打码副本：{line}")
    for line in outcome.refused:
        messages.warning(request, f"未能打码：{line}")
    return _back(entry_id, request)


@login_required
@require_POST
def accept_finding(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = get_object_or_404(Finding.objects.select_related("result"), pk=finding_id)
    _entry(request, finding.result.entry_id)
    try:
        services.accept_finding(actor=request.user, finding=finding, reason=request.POST.get("reason", ""))
        messages.success(request, "已确认可以公开，理由已记录")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(finding.result.entry_id, request)


@login_required
@require_POST
def accept_result(request: HttpRequest, result_id: int) -> HttpResponse:
    result = get_object_or_404(ScanResult, pk=result_id)
    _entry(request, result.entry_id)
    try:
        services.accept_result(actor=request.user, result=result, reason=request.POST.get("reason", ""))
        messages.success(request, "人工审查结论已记录")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(result.entry_id, request)


@login_required
@require_POST
def rescan(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)
    try:
        services.rescan_entry(actor=request.user, entry=entry)
        messages.success(request, "已重新扫描")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(entry_id, request)


@login_required
def words(request: HttpRequest) -> HttpResponse:
    units = selectors.managed_units(request.user)
    if request.method == "POST":
        unit = get_object_or_404(Org, pk=request.POST.get("unit") or 0)
        try:
            services.add_sensitive_word(
                actor=request.user,
                unit=unit,
                word=request.POST.get("word", ""),
                severity=request.POST.get("severity", "high"),
                note=request.POST.get("note", ""),
            )
            messages.success(request, "敏感词已添加")
            return redirect(reverse("screening:words"))
        except DomainError as exc:
            messages.error(request, exc.message)  # the form below keeps what was typed
    rows = [(u, list(selectors.words_for(u))) for u in units]
    return render(request, "screening/words.html", {"rows": rows, "posted": request.POST})


@login_required
@require_POST
def word_remove(request: HttpRequest, word_id: int) -> HttpResponse:
    word = get_object_or_404(SensitiveWord.objects.select_related("unit"), pk=word_id)
    try:
        services.remove_sensitive_word(actor=request.user, word=word)
        messages.success(request, f"已删除敏感词“{word.word}”")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("screening:words"))


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/alerts.html", {"alerts": selectors.alerts_for(request.user)})


@login_required
@require_POST
def alert_handle(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = get_object_or_404(Alert, pk=alert_id)
    try:
        services.handle_alert(actor=request.user, alert=alert, note=request.POST.get("note", ""))
        messages.success(request, "告警已标记为已处理")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("screening:alerts"))
