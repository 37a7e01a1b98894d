"""Catalog maintenance pages for the unit's disclosure office."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.catalog import categories as svc
from gongkai.catalog.models import Category, ServiceLink
from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.orgs import permissions as perms

from .forms import CategoryForm, apply_errors, category_label


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    units = perms.managed_units(request.user)
    if not units:
        return render(request, "staff/catalog.html", {"units": []})
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0])
    counts = {"n": Count("entries", distinct=True), "n_services": Count("services", distinct=True)}
    cats = list(Category.objects.filter(unit=unit).annotate(**counts).order_by("path", "sort_order", "id"))
    ordered: list[Category] = []

    def walk(parent_id: int | None) -> None:
        for c in cats:
            if c.parent_id == parent_id:
                ordered.append(c)
                walk(c.pk)

    walk(None)
    form = CategoryForm(request.POST if request.method == "POST" else None)
    parent_field = form.fields["parent"]
    parent_field.queryset = Category.objects.filter(unit=unit, is_retired=False)  # type: ignore[attr-defined]
    parent_field.choices = [("", "（一级类别）")] + [  # type: ignore[attr-defined]
        (c.pk, category_label(c)) for c in ordered if not c.is_retired
    ]
    if request.method == "POST" and form.is_valid():
        try:
            svc.create_category(
                actor=request.user,
                unit=unit,
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已新增类别“{form.cleaned_data['name']}”。")
            return redirect(f"{request.path}?unit={unit.pk}")
    return render(request, "staff/catalog.html", {"units": units, "unit": unit, "categories": ordered, "form": form})


@login_required
@require_POST
def category_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk)
    if not perms.can_manage_unit(request.user, category.unit):
        raise Http404("没有找到该类别")
    try:
        if action == "rename":
            svc.rename_category(actor=request.user, category=category, name=request.POST.get("name", ""))
        elif action in ("up", "down"):
            svc.move_category(actor=request.user, category=category, direction=-1 if action == "up" else 1)
        elif action == "retire":
            svc.set_retired(actor=request.user, category=category, retired=True)
        elif action == "restore":
            svc.set_retired(actor=request.user, category=category, retired=False)
        elif action == "delete":
            svc.delete_category(actor=request.user, category=category)
        else:
            raise Http404("未知操作")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "目录已更新。")
    return redirect(f"/staff/catalog/?unit={category.unit_id}#c{pk}")


# --------------------------------------------------------------------------- 办事服务 links of a column


@login_required
def service_links(request: HttpRequest, pk: int) -> HttpResponse:
    """A column's 办事服务 links (国办发〔2019〕54号): listed, added here, removed one by one; the public column
    page shows them and the self-inspection opens each."""
    category = get_object_or_404(Category.objects.select_related("unit"), pk=pk)
    if not perms.can_manage_unit(request.user, category.unit):
        raise Http404("没有找到该类别")
    typed = {"name": "", "url": ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        typed = {key: str(request.POST.get(key, "")) for key in typed}
        try:
            link = svc.add_service_link(actor=request.user, category=category, name=typed["name"], url=typed["url"])
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, f"已添加办事服务“{link.name}”，公开网站的栏目页随后更新。")
            return redirect(request.path)
    context = {
        "category": category,
        "links": list(category.services.all()),
        "typed": typed,
        "errors": errors,
        "general_errors": errors.get("__all__", []),
        "max_links": svc.MAX_SERVICE_LINKS,
    }
    return render(request, "staff/service_links.html", context, status=400 if errors else 200)


@login_required
@require_POST
def remove_service_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ServiceLink.objects.select_related("category__unit"), pk=pk)
    if not perms.can_manage_unit(request.user, link.category.unit):
        raise Http404("没有找到该链接")
    category_id = link.category_id
    svc.remove_service_link(actor=request.user, link=link)
    messages.success(request, f"已删除办事服务“{link.name}”。")
    return redirect("staff:service_links", pk=category_id)
