"""Every write of the channels (《政府信息公开条例》第二十三条: 政府公报、新媒体、公共查阅点、公告栏、电子屏幕;
《村民委员会组织法》第三十条 村务公开栏): boards, postings, screens, new-media posts, gazette print runs.

Keyword-only arguments, ``actor=`` first, one transaction, one audit event each (house style). Uploads reach
storage before the transaction that records them (``catalog.services.add_attachment`` does the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from gongkai.catalog.models import Entry
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import gazette, permissions, photos
from .common import check_publishable
from .models import Board, BoardContent, Channel, ChannelPost, GazetteIssue, Posting, Screen
from .signals import screens_changed

MAX_SCREEN_LINE = 200
MAX_SCREEN_LINES = 50


def _text(
    data: dict[str, Any], key: str, label: str, errors: dict[str, list[str]], *, required: bool, limit: int
) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        errors[key] = [f"请填写{label}"]
    elif len(value) > limit:
        errors[key] = [f"{label}不能超过 {limit} 个字"]
    return value


def save_board(
    *,
    actor: Any,
    org: Org,
    name: str,
    place: str,
    size: str = "",
    shows: Iterable[str] = (),
    board: Board | None = None,
) -> Board:
    """Register a board (公开栏) or change its details; a village's boards are registered at the village."""
    errors: dict[str, list[str]] = {}
    data = {"name": name, "place": place, "size": size}
    name = _text(data, "name", "名称", errors, required=True, limit=60)
    place = _text(data, "place", "设置地点", errors, required=True, limit=120)
    size = _text(data, "size", "尺寸", errors, required=False, limit=40)
    chosen = [c for c in BoardContent.values if c in set(shows)]
    if not chosen or len(chosen) != len(set(shows)):
        errors["shows"] = ["请选择公开内容（村务、财务、党务、政务，可多选）"]
    if errors:
        raise ValidationFailed(errors)
    perms.require(
        permissions.can_manage_board(actor, org), "只有本单位公开办管理员或该村（部门）的信息员可以登记公开栏"
    )
    clash = Board.objects.filter(org=org, name=name)
    if board is not None:
        clash = clash.exclude(pk=board.pk)
    if clash.exists():
        raise ValidationFailed({"name": [f"{org.name}已有名为“{name}”的公开栏"]})
    with transaction.atomic():
        before = (
            {}
            if board is None
            else {"name": board.name, "place": board.place, "size": board.size, "shows": board.shows}
        )
        board = board or Board(org=org, unit=org.unit(), created_by=actor if getattr(actor, "pk", None) else None)
        board.name, board.place, board.size, board.shows = name, place, size, chosen
        board.save()
        after = {"name": name, "place": place, "size": size, "shows": chosen}
        audit.record(
            Action.BOARD_SAVE,
            actor=actor,
            obj=board,
            org_code=board.unit.code,
            changes=audit.diff(before, after) if before else {"name": name, "place": place, "shows": chosen},
        )
    return board


def _store_photo(name: str, stream: IO[bytes]) -> tuple[str, str]:
    checked = photos.check_photo(name, stream)
    path = f"boards/{checked.sha256[:2]}/{checked.sha256}.{checked.kind}"
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(checked.data))
    return path, checked.sha256


def record_posting(
    *,
    actor: Any,
    board: Board,
    entries: Sequence[Entry],
    posted_on: date | None,
    until: date | None = None,
    photo: tuple[str, IO[bytes]] | None = None,
    note: str = "",
) -> Posting:
    """Record one 期 of a board: the published entries put up, the day, and a photo of the posted board."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if posted_on is None:
        errors["posted_on"] = ["请填写张贴日期"]
    elif posted_on > today:
        errors["posted_on"] = ["张贴日期不能晚于今天"]
    if until is not None and posted_on is not None and until < posted_on:
        errors["until"] = ["计划撤下日期不能早于张贴日期"]
    if not entries:
        errors["entries"] = ["请选择张贴的信息"]
    for entry in entries:
        if entry.unit_id != board.unit_id:
            errors["entries"] = [f"“{entry.title}”不是{board.unit.name}的信息"]
            break
        try:
            check_publishable(entry, "张贴")
        except ValidationFailed as exc:
            errors["entries"] = [f"“{entry.title}”：{exc.message}"]
            break
    if len(note) > 200:
        errors["note"] = ["备注不能超过 200 个字"]
    if errors or posted_on is None:
        raise ValidationFailed(errors)
    perms.require(
        permissions.can_manage_board(actor, board.org), "只有本单位公开办管理员或该村（部门）的信息员可以记录张贴"
    )
    path, sha = _store_photo(*photo) if photo is not None else ("", "")
    with transaction.atomic():
        posting = Posting.objects.create(
            board=board,
            posted_on=posted_on,
            until=until,
            photo=path,
            photo_sha256=sha,
            note=note.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        posting.entries.set(entries)
        audit.record(
            Action.BOARD_POSTING,
            actor=actor,
            obj=posting,
            org_code=board.unit.code,
            changes={
                "board": board.name,
                "posted_on": posted_on.isoformat() if posted_on else "",
                "entries": [e.index_number for e in entries],
                "photo": sha[:12],
            },
        )
    return posting


def take_down(*, actor: Any, posting: Posting, on: date | None) -> Posting:
    if on is None:
        raise ValidationFailed({"taken_down_on": ["请填写撤下日期"]})
    if on < posting.posted_on:
        raise ValidationFailed({"taken_down_on": ["撤下日期不能早于张贴日期"]})
    if on > timezone.localdate():
        raise ValidationFailed({"taken_down_on": ["撤下日期不能晚于今天"]})
    perms.require(
        permissions.can_manage_board(actor, posting.board.org),
        "只有本单位公开办管理员或该村（部门）的信息员可以记录撤下",
    )
    with transaction.atomic():
        posting = Posting.objects.select_for_update().get(pk=posting.pk)
        if posting.taken_down_on is not None:
            raise ValidationFailed({"taken_down_on": [f"这一期已于 {posting.taken_down_on:%Y-%m-%d} 撤下"]})
        posting.taken_down_on = on
        posting.save(update_fields=["taken_down_on"])
        audit.record(
            Action.BOARD_TAKEDOWN,
            actor=actor,
            obj=posting,
            org_code=posting.board.unit.code,
            changes={"taken_down_on": [None, on.isoformat()]},
        )
    return posting


def _positive(raw: Any, key: str, label: str, top: int, errors: dict[str, list[str]]) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        errors[key] = [f"{label}必须是整数"]
        return 0
    if value <= 0:
        errors[key] = [f"{label}必须大于 0"]
    elif value > top:
        errors[key] = [f"{label}不能超过 {top}"]
    return value


def save_screen(
    *,
    actor: Any,
    unit: Org,
    slug: str,
    name: str,
    line_length: Any,
    line_count: Any,
    place: str = "",
    is_active: bool = True,
) -> Screen:
    """Register an LED screen or change it (same slug); its feed is written into the built site."""
    errors: dict[str, list[str]] = {}
    slug = (slug or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", slug):
        errors["slug"] = ["标识只能用小写字母、数字和连字符（如 dongshan-gate），不超过 40 个字符"]
    name = _text({"name": name}, "name", "名称", errors, required=True, limit=60)
    place = _text({"place": place}, "place", "设置地点", errors, required=False, limit=120)
    length = _positive(line_length, "line_length", "每行字数", MAX_SCREEN_LINE, errors)
    count = _positive(line_count, "line_count", "行数", MAX_SCREEN_LINES, errors)
    if errors:
        raise ValidationFailed(errors)
    perms.require(permissions.can_manage_screens(actor, unit), "只有本单位公开办管理员可以登记电子显示屏")
    existing = Screen.objects.filter(slug=slug).first()
    if existing is not None and existing.unit_id != unit.pk:
        raise ValidationFailed({"slug": [f"标识“{slug}”已被其他单位使用"]})
    with transaction.atomic():
        screen = existing or Screen(unit=unit, slug=slug)
        before = (
            {}
            if existing is None
            else {"name": screen.name, "line_length": screen.line_length, "line_count": screen.line_count}
        )
        screen.name, screen.place, screen.line_length, screen.line_count = name, place, length, count
        screen.is_active = is_active
        screen.save()
        after = {"name": name, "line_length": length, "line_count": count}
        audit.record(
            Action.SCREEN_SAVE,
            actor=actor,
            obj=screen,
            org_code=unit.code,
            changes=audit.diff(before, after) if before else after,
        )
        transaction.on_commit(lambda: screens_changed.send(Screen, unit_id=unit.pk))
    return screen


def mark_posted(*, actor: Any, entry: Entry, channel: str, url: str, posted_at: datetime | None = None) -> ChannelPost:
    """Record that ``entry`` went out on a new-media channel (公众号 article), with the article's address."""
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = ["请选择发布渠道"]
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = ["请填写文章的完整网址（以 https:// 开头）"]
    if len(url) > 500:
        errors["url"] = ["网址过长"]
    if errors:
        raise ValidationFailed(errors)
    check_publishable(entry, "记录为已发布到新媒体")
    perms.require(permissions.can_export(actor, entry.unit), "只有本单位工作人员可以记录渠道发布")
    if ChannelPost.objects.filter(entry=entry, channel=channel, url=url).exists():
        raise ValidationFailed({"url": ["这篇文章已经记录过"]})
    with transaction.atomic():
        post = ChannelPost.objects.create(
            entry=entry,
            channel=channel,
            url=url,
            posted_at=posted_at or timezone.now(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            Action.CHANNEL_POST,
            actor=actor,
            obj=post,
            org_code=entry.unit.code,
            changes={"entry": entry.index_number, "channel": channel, "url": url},
        )
    return post


def record_gazette(*, actor: Any, unit: Org, period: str, copies: Any) -> GazetteIssue:
    """Record a printed 公报 issue (the print run) with the entries of its period."""
    errors: dict[str, list[str]] = {}
    count = _positive(copies, "copies", "印数", 1_000_000, errors)
    if errors:
        raise ValidationFailed(errors)
    span = gazette.parse_period(period)
    entries = list(gazette.period_entries(unit, span))
    if actor is not None:
        perms.require(permissions.can_export(actor, unit), "只有本单位工作人员可以记录公报印发")
    with transaction.atomic():
        issue = GazetteIssue.objects.create(
            unit=unit,
            period=period.strip().upper(),
            start=span.start,
            end=span.end,
            copies=count,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        issue.entries.set(entries)
        audit.record(
            Action.GAZETTE_PRINT,
            actor=actor,
            obj=issue,
            org_code=unit.code,
            changes={"period": issue.period, "copies": count, "entries": len(entries)},
        )
    return issue
