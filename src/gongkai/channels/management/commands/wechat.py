"""``gongkai wechat ENTRY --out F.html`` (or ``--digest --org CODE [--week DAY]``): a 公众号 article."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.channels import wechat
from gongkai.channels.common import find_entry
from gongkai.core.errors import DomainError
from gongkai.orgs.models import Org


class Command(BaseCommand):
    help = "把一条已发布的信息（或当周的信息摘要）导出为可粘贴到微信公众号编辑器的单个 HTML 文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entry", nargs="?", help="信息的索引号或编号")
        parser.add_argument("--out", required=True, help="输出的 HTML 文件")
        parser.add_argument("--digest", action="store_true", help="导出当周摘要（需 --org）")
        parser.add_argument("--org", help="单位代码（周摘要）")
        parser.add_argument("--week", help="当周中的任一天（默认今天），如 2026-11-30")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"输出目录“{out.parent}”不存在")
        try:
            if options["digest"]:
                unit = Org.objects.filter(code=(options["org"] or "").strip()).first()
                if unit is None or not unit.is_unit:
                    raise CommandError(f"单位代码“{options['org'] or ''}”不是县、乡镇或街道（公开主体）")
                try:
                    day = date.fromisoformat(options["week"]) if options["week"] else timezone.localdate()
                except ValueError:
                    raise CommandError(f"日期“{options['week']}”无效，请写作 2026-11-30") from None
                html = wechat.digest_html(unit, day)
            else:
                if not options["entry"]:
                    raise CommandError("请给出信息的索引号或编号，或使用 --digest --org 单位代码")
                html = wechat.article_html(find_entry(options["entry"]))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        out.write_text(html, encoding="utf-8")
        self.stdout.write(f"已生成 {out}（{len(html.encode('utf-8')) // 1024} KB，可直接粘贴到公众号编辑器）")
