"""Staff pages of the channels: the boards register (公开栏: list, add, a board's posting history, record a
posting with a phone photo, record a take-down), LED screens, and the entry page's channel actions (poster
PDF, 公众号 export, recording a posted article). Every write is a POST through ``services``; GETs only read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.catalog.models import Entry
from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import permissions, posters, selectors, services, wechat
from .models import Board, BoardContent, Channel, Posting

DATE = forms.DateInput(attrs={"type": "date"})


def apply_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """A service's field errors next to the inputs (the form keeps what was typed)."""
    for field, problems in exc.errors.items():
        target = field if field in form.fields else None
        for message in problems:
            form.add_error(target, message if target or field == "__all__" else f"{field}：{message}")


def _form_errors(form: forms.Form) -> str:
    return "；".join(str(e) for errs in form.errors.values() for e in errs)


class BoardForm(forms.Form):
    org = forms.TypedChoiceField(
        label="所属单位或村（社区）",
        coerce=int,
        error_messages={"required": "请选择所属单位或村", "invalid_choice": "请从列表中选择"},
    )
    name = forms.CharField(
        label="名称", max_length=60, error_messages={"required": "请填写名称", "max_length": "名称最多 60 个字"}
    )
    place = forms.CharField(
        label="设置地点",
        max_length=120,
        error_messages={"required": "请填写设置地点", "max_length": "设置地点最多 120 个字"},
    )
    size = forms.CharField(
        label="尺寸",
        max_length=40,
        required=False,
        help_text="如 2.4米×1.2米",
        error_messages={"max_length": "尺寸最多 40 个字"},
    )
    shows = forms.MultipleChoiceField(
        label="公开内容",
        choices=BoardContent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择公开内容（可多选）", "invalid_choice": "请从列表中选择公开内容"},
    )


class PostingForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label="张贴的信息",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择张贴的信息", "invalid_choice": "请从列表中选择已发布的信息"},
    )
    posted_on = forms.DateField(
        label="张贴日期",
        widget=DATE,
        error_messages={"required": "请填写张贴日期", "invalid": "张贴日期格式不对，如 2026-12-01"},
    )
    until = forms.DateField(
        label="计划撤下日期", required=False, widget=DATE, error_messages={"invalid": "日期格式不对，如 2026-12-31"}
    )
    photo = forms.FileField(
        label="张贴照片",
        required=False,
        help_text="手机拍摄的 JPG 或 PNG；位置等 EXIF 信息会被去除",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )
    note = forms.CharField(
        label="备注", required=False, max_length=200, error_messages={"max_length": "备注最多 200 个字"}
    )


class TakedownForm(forms.Form):
    taken_down_on = forms.DateField(
        label="撤下日期",
        widget=DATE,
        error_messages={"required": "请填写撤下日期", "invalid": "撤下日期格式不对，如 2026-12-01"},
    )


class PosterForm(forms.Form):
    size = forms.ChoiceField(
        label="纸张",
        choices=[("A4", "A4"), ("A3", "A3")],
        initial="A3",
        error_messages={"required": "请选择纸张", "invalid_choice": "纸张只能是 A4 或 A3"},
    )
    start = forms.DateField(
        label="张贴日期", required=False, widget=DATE, error_messages={"invalid": "张贴日期格式不对，如 2026-12-01"}
    )
    until = forms.DateField(
        label="张贴截止日期", required=False, widget=DATE, error_messages={"invalid": "截止日期格式不对，如 2026-12-31"}
    )


class PostedForm(forms.Form):
    channel = forms.ChoiceField(
        label="渠道",
        choices=Channel.choices,
        initial=Channel.WECHAT,
        error_messages={"required": "请选择渠道", "invalid_choice": "请从列表中选择渠道"},
    )
    url = forms.CharField(
        label="文章网址", max_length=500, error_messages={"required": "请填写文章网址", "max_length": "网址过长"}
    )


class ScreenForm(forms.Form):
    unit = forms.TypedChoiceField(
        label="公开主体", coerce=int, error_messages={"required": "请选择单位", "invalid_choice": "请从列表中选择"}
    )
    slug = forms.CharField(
        label="标识",
        max_length=40,
        help_text="小写字母、数字和连字符；显示屏读取 /led/标识.txt",
        error_messages={"required": "请填写标识", "max_length": "标识最多 40 个字符"},
    )
    name = forms.CharField(
        label="名称", max_length=60, error_messages={"required": "请填写名称", "max_length": "名称最多 60 个字"}
    )
    place = forms.CharField(
        label="设置地点", max_length=120, required=False, error_messages={"max_length": "设置地点最多 120 个字"}
    )
    line_length = forms.CharField(label="每行字数", max_length=6, error_messages={"required": "请填写每行字数"})
    line_count = forms.CharField(label="行数", max_length=6, error_messages={"required": "请填写行数"})
    is_active = forms.BooleanField(label="在用", required=False, initial=True)


# --------------------------------------------------------------------------- boards


def _board_form(user: Any, data: Any = None) -> BoardForm:
    form = BoardForm(data)
    form.fields["org"].choices = [("", "（请选择）")] + [(o.pk, o.name) for o in permissions.board_orgs(user)]  # type: ignore[attr-defined]
    return form


def _boards_page(request: HttpRequest, form: BoardForm | None, status: int = 200) -> HttpResponse:
    user = request.user
    unit_ids = permissions.readable_unit_ids(user)
    if not unit_ids:
        return render(request, "channels/boards.html", {"no_access": True}, status=403)
    year = timezone.localdate().year
    units = list(Org.objects.filter(pk__in=unit_ids).order_by("path"))
    summaries = [(u, selectors.board_counts(u, year), selectors.year_summary(u, year)) for u in units]
    context = {
        "boards": selectors.visible_boards(user),
        "form": form if permissions.board_orgs(user) else None,
        "summaries": summaries,
        "year": year,
        "may_screens": bool(perms.managed_units(user)),
    }
    return render(request, "channels/boards.html", context, status=status)


@login_required
def boards(request: HttpRequest) -> HttpResponse:
    return _boards_page(request, _board_form(request.user))


@login_required
@require_POST
def board_add(request: HttpRequest) -> HttpResponse:
    form = _board_form(request.user, request.POST)
    if form.is_valid():
        org = next(o for o in permissions.board_orgs(request.user) if o.pk == form.cleaned_data["org"])
        try:
            board = services.save_board(
                actor=request.user,
                org=org,
                name=form.cleaned_data["name"],
                place=form.cleaned_data["place"],
                size=form.cleaned_data["size"],
                shows=form.cleaned_data["shows"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已登记公开栏“{board.name}”。")
            return redirect("channels:board", pk=board.pk)
    return _boards_page(request, form, status=400)


def _board_for(request: HttpRequest, pk: int) -> Board:
    board = Board.objects.select_related("org", "unit").filter(pk=pk).first()
    if board is None or board.unit_id not in permissions.readable_unit_ids(request.user):
        raise Http404("没有找到该公开栏")
    return board


def _posting_form(board: Board, data: Any = None, files: Any = None) -> PostingForm:
    form = PostingForm(data, files, initial={"posted_on": timezone.localdate()})
    form.fields["entries"].choices = [  # type: ignore[attr-defined]
        (e.pk, f"{e.title}（{e.index_number}）") for e in selectors.postable_entries(board)
    ]
    return form


def _board_page(request: HttpRequest, board: Board, form: PostingForm | None = None, status: int = 200) -> HttpResponse:
    may = permissions.can_manage_board(request.user, board.org)
    context = {
        "board": board,
        "postings": selectors.board_postings(board),
        "form": (form or _posting_form(board)) if may else None,
        "takedown_form": TakedownForm(initial={"taken_down_on": timezone.localdate()}) if may else None,
    }
    return render(request, "channels/board.html", context, status=status)


@login_required
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_page(request, _board_for(request, pk))


@login_required
@require_POST
def board_post(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board_for(request, pk)
    form = _posting_form(board, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        entries = list(Entry.objects.filter(pk__in=data["entries"]).select_related("unit", "publisher"))
        upload = data.get("photo")
        try:
            services.record_posting(
                actor=request.user,
                board=board,
                entries=entries,
                posted_on=data["posted_on"],
                until=data["until"],
                photo=(upload.name, upload) if upload else None,
                note=data["note"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已记录本期张贴。")
            return redirect("channels:board", pk=board.pk)
    return _board_page(request, board, form, status=400)


def _posting_for(request: HttpRequest, pk: int) -> Posting:
    posting = Posting.objects.select_related("board__org", "board__unit").filter(pk=pk).first()
    if posting is None or posting.board.unit_id not in permissions.readable_unit_ids(request.user):
        raise Http404("没有找到该张贴记录")
    return posting


@login_required
@require_POST
def posting_takedown(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _posting_for(request, pk)
    form = TakedownForm(request.POST)
    if form.is_valid():
        try:
            services.take_down(actor=request.user, posting=posting, on=form.cleaned_data["taken_down_on"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已记录撤下。")
    else:
        messages.error(request, _form_errors(form))
    return redirect("channels:board", pk=posting.board_id)


@login_required
def posting_photo(request: HttpRequest, pk: int) -> FileResponse:
    posting = _posting_for(request, pk)
    if not posting.photo:
        raise Http404("这一期没有照片")
    kind = "image/png" if str(posting.photo.name).endswith(".png") else "image/jpeg"
    return FileResponse(default_storage.open(str(posting.photo.name), "rb"), content_type=kind)


# --------------------------------------------------------------------------- screens


def _screen_form(user: Any, data: Any = None) -> ScreenForm:
    form = ScreenForm(data)
    form.fields["unit"].choices = [(u.pk, u.name) for u in perms.managed_units(user)]  # type: ignore[attr-defined]
    return form


def _screens_page(request: HttpRequest, form: ScreenForm, status: int = 200) -> HttpResponse:
    units = perms.managed_units(request.user)
    if not units:
        return render(request, "channels/screens.html", {"no_access": True}, status=403)
    context = {"screens": selectors.screens_of([u.pk for u in units]), "form": form}
    return render(request, "channels/screens.html", context, status=status)


@login_required
def screens(request: HttpRequest) -> HttpResponse:
    return _screens_page(request, _screen_form(request.user))


@login_required
@require_POST
def screen_save(request: HttpRequest) -> HttpResponse:
    form = _screen_form(request.user, request.POST)
    if form.is_valid():
        unit = next(u for u in perms.managed_units(request.user) if u.pk == form.cleaned_data["unit"])
        data = form.cleaned_data
        try:
            screen = services.save_screen(
                actor=request.user,
                unit=unit,
                slug=data["slug"],
                name=data["name"],
                place=data["place"],
                line_length=data["line_length"],
                line_count=data["line_count"],
                is_active=data["is_active"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存显示屏“{screen.name}”；公告将写入 /led/{screen.slug}.txt。")
            return redirect("channels:screens")
    return _screens_page(request, form, status=400)


# --------------------------------------------------------------------------- an entry's channels


def _published_entry(request: HttpRequest, pk: int) -> Entry:
    entry = Entry.objects.select_related("unit", "publisher", "category").filter(pk=pk).first()
    if entry is None or not permissions.can_read_unit(request.user, entry.unit):
        raise Http404("没有找到该信息")
    return entry


def _back(request: HttpRequest, entry: Entry, error: str) -> HttpResponse:
    messages.error(request, error)
    return redirect("staff:entry_detail", pk=entry.pk)


@login_required
@require_POST
def entry_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The poster PDF, rendered in the request (warm well under a second) and returned as a download."""
    entry = _published_entry(request, pk)
    if not permissions.can_export(request.user, entry.unit):
        return _back(request, entry, "只有本单位工作人员可以制作海报")
    form = PosterForm(request.POST)
    if not form.is_valid():
        return _back(request, entry, _form_errors(form))
    try:
        period = posters.posting_period(form.cleaned_data["start"], form.cleaned_data["until"])
        pdf = posters.render_poster(entry, size=form.cleaned_data["size"], period=period)
    except DomainError as exc:
        return _back(request, entry, exc.message)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"poster-{entry.pk}-{form.cleaned_data['size']}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def entry_wechat(request: HttpRequest, pk: int) -> HttpResponse:
    """The 公众号 article as one HTML file (a read: nothing is recorded until the article is out)."""
    entry = _published_entry(request, pk)
    if not permissions.can_export(request.user, entry.unit):
        raise Http404("没有找到该信息")
    try:
        html = wechat.article_html(entry)
    except DomainError as exc:
        return _back(request, entry, exc.message)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wechat-{entry.pk}.html"'
    return response


@login_required
@require_POST
def entry_posted(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _published_entry(request, pk)
    form = PostedForm(request.POST)
    if not form.is_valid():
        return _back(request, entry, _form_errors(form))
    try:
        services.mark_posted(
            actor=request.user, entry=entry, channel=form.cleaned_data["channel"], url=form.cleaned_data["url"]
        )
    except DomainError as exc:
        return _back(request, entry, exc.message)
    messages.success(request, "已记录渠道发布。")
    return redirect("staff:entry_detail", pk=entry.pk)


def entry_panel(entry: Entry, user: Any) -> dict[str, Any] | None:
    """What the staff entry page shows in its 多渠道发布 card (published entries, staff of the unit)."""
    if entry.status != "published" or not permissions.can_export(user, entry.unit):
        return None
    return {
        "poster_form": PosterForm(),
        "posted_form": PostedForm(),
        "posts": list(selectors.channel_posts(entry)),
        "counts": [(label, selectors.entry_channel_counts(entry)[key]) for key, label in selectors.CHANNELS],
    }
