from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.orgs.models import Org, OrgKind
from gongkai.orgs.services import create_org


class Command(BaseCommand):
    help = "机构管理：org add …、org list"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add", help="新建机构")
        p.add_argument("--code", required=True, help="单位代码（统一社会信用代码或自编代码）")
        p.add_argument("--name", required=True)
        p.add_argument("--kind", required=True, choices=OrgKind.values)
        p.add_argument("--parent", help="上级机构的单位代码")
        p.add_argument("--slug", default="", help="公开网站路径（默认为单位代码小写）")
        p.add_argument("--short-name", default="")
        sub.add_parser("list", help="列出全部机构")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "list":
            for org in Org.objects.order_by("path", "sort_order", "id"):
                depth = org.path.count("/") - 1
                self.stdout.write(f"{'  ' * depth}{org.code}\t{org.name}\t{org.get_kind_display()}\t/{org.slug}/")
            return
        parent = None
        if opts["parent"]:
            parent = Org.objects.filter(code=opts["parent"]).first()
            if parent is None:
                raise CommandError(f"上级机构 {opts['parent']} 不存在")
        try:
            org = create_org(
                actor=None,
                code=opts["code"],
                name=opts["name"],
                kind=opts["kind"],
                parent=parent,
                slug=opts["slug"],
                short_name=opts["short_name"],
            )
        except ValidationFailed as exc:
            raise CommandError("；".join(f"{k}: {'，'.join(v)}" for k, v in exc.errors.items())) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已新建 {org.code} {org.name}")
