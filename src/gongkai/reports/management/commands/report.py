from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.orgs.models import UNIT_KINDS, Org
from gongkai.reports import bulletin, render
from gongkai.reports.services import reminder


def _errors(exc: ValidationFailed) -> str:
    return "；".join("，".join(v) for v in exc.errors.values())


class Command(BaseCommand):
    help = "报表：report annual（政府信息公开工作年度报告）、report bulletin（督查通报）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("annual", help="生成年度报告")
        p.add_argument("--org", required=True, help="单位代码")
        p.add_argument("--year", required=True, help="年度，如 2025")
        p.add_argument("--format", default="html", choices=["html", "docx", "pdf", "xlsx", "json"])
        p.add_argument("--out", help="输出文件（默认输出到屏幕，仅 html/json）")
        p.add_argument("--include-children", action="store_true", help="县、乡镇：包含所辖下级单位")
        b = sub.add_parser("bulletin", help="生成县级督查通报（月度或季度）")
        b.add_argument("--org", required=True, help="县（区）单位代码")
        b.add_argument("--period", required=True, help="月度如 2025-06，季度如 2025-Q2")
        b.add_argument("--format", default="html", choices=["html", "xlsx", "pdf", "json"])
        b.add_argument("--out", help="输出文件（默认输出到屏幕，仅 html/json）")
        sub.add_parser("reminders", help="列出年度报告临近或超过公布期限而尚未发布的单位（供每日定时任务）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "reminders":
            count = 0
            for unit in Org.objects.filter(kind__in=list(UNIT_KINDS), is_active=True).order_by("path", "id"):
                note = reminder(unit)
                if note:
                    count += 1
                    self.stdout.write(f"{unit.code}\t{unit.name}\t{note.message}")
            if not count:
                self.stdout.write("没有需要提醒的年度报告")
            return
        org = Org.objects.filter(code=opts["org"]).first()
        if org is None:
            raise CommandError(f"单位代码 {opts['org']} 不存在（--org）")
        try:
            payload = self._annual(org, opts) if opts["action"] == "annual" else self._bulletin(org, opts)
        except ValidationFailed as exc:
            raise CommandError(_errors(exc)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        fmt = opts["format"]
        if opts["out"]:
            out = Path(opts["out"])
            try:
                out.write_bytes(payload)
            except OSError as exc:
                raise CommandError(f"无法写入输出文件 {out}：{exc.strerror}") from exc
            self.stdout.write(f"已生成 {out}（{len(payload)} 字节）")
        elif fmt in ("html", "json"):
            self.stdout.write(payload.decode("utf-8"))
        else:
            raise CommandError(f"{fmt} 格式请用 --out 指定输出文件")

    def _annual(self, org: Org, opts: dict[str, Any]) -> bytes:

        if not org.is_unit:
            raise CommandError(f"{org.name} 不是公开主体（县、乡镇或街道），没有年度报告")
        doc = render.build(org, opts["year"], include_children=opts["include_children"])
        if doc.data["checks"]:
            for c in doc.data["checks"]:
                sys.stderr.write(f"校验未通过：{c['message']}\n")
        return render.render(doc, opts["format"])

    def _bulletin(self, org: Org, opts: dict[str, Any]) -> bytes:

        data = bulletin.bulletin_data(org, opts["period"])
        return bulletin.render(data, opts["format"])
