"""Shared parts of ``gongkai import-entries`` and ``gongkai import-applications``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from gongkai.orgs.models import Membership, Org, Role


def add_common(parser: CommandParser) -> None:
    parser.add_argument("file", help="CSV（UTF-8 或 GBK）或 XLSX 文件")
    parser.add_argument("--org", required=True, help="单位代码")
    parser.add_argument("--user", help="以哪位公开办管理员的名义导入（默认为本单位第一位公开办管理员）")


def resolve(opts: dict[str, Any]) -> tuple[Org, Any]:
    unit = Org.objects.filter(code=opts["org"]).first()
    if unit is None:
        raise CommandError(f"单位代码 {opts['org']} 不存在（--org）")
    if opts.get("user"):
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"用户 {opts['user']} 不存在（--user）")
        return unit, user
    member = (
        Membership.objects.filter(org=unit, role=Role.UNIT_ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if member is None:
        raise CommandError(f"{unit.name} 没有公开办管理员：请先建立账号，或用 --user 指定导入人")
    return unit, member.user
