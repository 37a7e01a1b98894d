from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.security import confirmed_device
from gongkai.accounts.services import create_user, drop_devices, issue_enrolment_code
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import Org, Role
from gongkai.orgs.services import grant_role


class Command(BaseCommand):
    help = (
        "账号管理：user add USERNAME --org CODE --role ROLE [--password-file F]；"
        "user enrol-code USERNAME [--new-device]（重新发放一次性绑定码）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add", help="新建账号并分配角色（已存在的账号只追加角色）")
        p.add_argument("username")
        p.add_argument("--org", required=True, help="机构单位代码")
        p.add_argument("--role", required=True, choices=Role.values)
        p.add_argument("--name", default="", help="姓名")
        p.add_argument("--email", default="")
        p.add_argument("--password-file", type=Path, help="从文件读取密码（首行）；不给则交互输入")
        e = sub.add_parser(
            "enrol-code",
            help="重新发放一次性绑定码（原绑定码过期未用，或验证器丢失：加 --new-device 解除原验证器后重新绑定）",
        )
        e.add_argument("username")
        e.add_argument(
            "--new-device", action="store_true", help="解除该账号已绑定的验证器（手机丢失或更换），下次登录重新绑定"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "enrol-code":
            self._enrol_code(opts)
            return
        self._add(opts)

    def _enrol_code(self, opts: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"账号 {opts['username']} 不存在")
        if not user.is_active:
            raise CommandError(f"账号 {user.username} 已停用")
        if confirmed_device(user) is not None and not opts["new_device"]:
            raise CommandError(
                f"账号 {user.username} 已绑定验证器，不需要绑定码；验证器丢失或更换时加 --new-device 解除原验证器"
            )
        if opts["new_device"]:
            dropped = drop_devices(actor=None, user=user)
            self.stdout.write(f"已解除 {user.username} 的 {dropped} 个验证器，下次登录时须重新绑定")
        code = issue_enrolment_code(actor=None, user=user)
        hours = settings.GONGKAI_ENROL_CODE_HOURS
        self.stdout.write(
            f"一次性绑定码：{code}（{hours} 小时内有效，仅显示这一次，原绑定码作废；请当面交给 {user.username} 本人）"
        )

    def _add(self, opts: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        org = Org.objects.filter(code=opts["org"]).first()
        if org is None:
            raise CommandError(f"机构 {opts['org']} 不存在")
        user = get_user_model().objects.filter(username=opts["username"]).first()
        try:
            if user is None:
                if opts["password_file"]:
                    try:
                        password = opts["password_file"].read_text(encoding="utf-8").splitlines()[0]
                    except (OSError, IndexError) as exc:
                        raise CommandError(f"无法读取密码文件：{exc}") from exc
                else:
                    password = getpass.getpass("密码：")
                    if password != getpass.getpass("再次输入密码："):
                        raise CommandError("两次输入的密码不一致")
                user = create_user(
                    actor=None,
                    username=opts["username"],
                    password=password,
                    full_name=opts["name"],
                    email=opts["email"],
                )
            grant_role(actor=None, user=user, org=org, role=opts["role"])
        except ValidationFailed as exc:
            raise CommandError("；".join(f"{k}: {'，'.join(v)}" for k, v in exc.errors.items())) from exc
        self.stdout.write(f"{user.username}：{org.name} {Role(opts['role']).label}")
        if opts["role"] == Role.SYSADMIN and confirmed_device(user) is None:
            # The initial password alone must not bind the second factor (issue 17 item 9): print a one-time
            # code for hand delivery to the account holder; only its digest is stored.
            code = issue_enrolment_code(actor=None, user=user)
            hours = settings.GONGKAI_ENROL_CODE_HOURS
            self.stdout.write(f"一次性绑定码：{code}（{hours} 小时内有效，仅显示这一次；首次登录绑定验证器时须输入）")
