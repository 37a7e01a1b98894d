"""``gongkai poster ENTRY --size A3|A4 --out F.pdf``: an entry as a poster for the public board."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.channels import posters
from gongkai.channels.common import find_entry
from gongkai.core.errors import DomainError
from gongkai.orgs.models import Org


def _day(value: str | None, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{label}“{value}”不是有效日期，请写作 2026-12-01") from None


class Command(BaseCommand):
    help = "把一条已发布的信息生成公开栏海报 PDF（A4 或 A3，含二维码和张贴期）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entry", nargs="?", help="信息的索引号或编号")
        parser.add_argument("--sheet", metavar="CODE", help="村（社区）或单位代码：生成该月的公开栏张贴总表")
        parser.add_argument("--month", help="月份（与 --sheet 一起），如 2026-11")
        parser.add_argument("--size", default="A4", help="纸张：A4 或 A3（默认 A4）")
        parser.add_argument("--out", required=True, help="输出的 PDF 文件")
        parser.add_argument("--from", dest="start", help="张贴日期（默认今天）")
        parser.add_argument("--until", help="张贴截止日期（默认一个公开周期）")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"输出目录“{out.parent}”不存在")
        try:
            period = posters.posting_period(_day(options["start"], "张贴日期"), _day(options["until"], "截止日期"))
            if options["sheet"]:
                org = Org.objects.filter(code=options["sheet"].strip()).first()
                if org is None:
                    raise CommandError(f"没有单位代码为“{options['sheet']}”的单位或村")
                month = _day(f"{options['month'] or ''}-01", "月份")
                if month is None:
                    raise CommandError("请用 --month 给出月份，如 2026-11")
                entries = posters.sheet_entries(org, month)
                pdf = posters.render_board_sheet(entries, size=options["size"], month=month, period=period)
            else:
                if not options["entry"]:
                    raise CommandError("请给出信息的索引号或编号，或使用 --sheet 村代码 --month 月份")
                pdf = posters.render_poster(find_entry(options["entry"]), size=options["size"], period=period)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        out.write_bytes(pdf)
        self.stdout.write(f"已生成 {out}（{posters.check_size(options['size'])}，{len(pdf) // 1024} KB）")
