"""``gongkai apitoken create|list|revoke``: per-unit tokens for the write API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.api.models import ApiToken
from gongkai.api.tokens import issue_token, revoke_token
from gongkai.core.errors import DomainError
from gongkai.orgs.models import Org


class Command(BaseCommand):
    help = "管理写接口的单位令牌：create 签发（只显示一次）、list 列出、revoke 吊销"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为某用户在某单位签发令牌")
        create.add_argument("--user", required=True, help="代表的用户名（须在该单位有角色）")
        create.add_argument("--unit", required=True, help="单位代码")
        create.add_argument("--name", required=True, help="用途，如“县政务系统同步”")
        listing = sub.add_parser("list", help="列出令牌")
        listing.add_argument("--unit", help="只列该单位")
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("prefix", help="令牌前缀（list 中显示）")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, opts: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=opts["user"]).first()
        unit = Org.objects.filter(code=opts["unit"]).first()
        if user is None or unit is None:
            raise CommandError("用户或单位代码不存在")
        _token, raw = issue_token(actor=None, user=user, unit=unit, name=opts["name"])
        self.stdout.write(f"令牌（只显示这一次，请妥善保存）：\n{raw}")

    def _list(self, opts: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user", "unit")
        if opts.get("unit"):
            tokens = tokens.filter(unit__code=opts["unit"])
        for t in tokens:
            state = f"已吊销 {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "有效"
            self.stdout.write(f"{t.prefix}…  {t.unit.code}  {t.user.get_username()}  {t.name}  {state}")

    def _revoke(self, opts: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(prefix=opts["prefix"][:12]).first()
        if token is None:
            raise CommandError("没有这个令牌前缀")
        revoke_token(actor=None, token=token)
        self.stdout.write(f"已吊销 {token.prefix}…")
