from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.applications import clock, rules
from gongkai.applications.models import Application, LetterTemplate, ResultCode


class Command(BaseCommand):
    help = "依申请公开：load-rules（载入办理结果代码和告知书模板）、recompute（重算未办结申请期限）、explain 编号"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("load-rules", help="从 data/result_codes.yaml 和 letter_templates.yaml 载入")
        p.add_argument("--overwrite-templates", action="store_true", help="用文件覆盖已修改的平台默认模板")
        p = sub.add_parser("recompute", help="按当前工作日历重算所有未办结申请的答复期限")
        p.add_argument("--closed", action="store_true", help="已办结的申请也重算（期限规则修改后，使逾期答复统计一致）")
        p = sub.add_parser("explain", help="打印一件申请的期限计算过程")
        p.add_argument("tracking")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "load-rules":
            codes = rules.load_result_codes(ResultCode)
            templates = rules.load_letter_templates(LetterTemplate, overwrite=opts["overwrite_templates"])
            self.stdout.write(f"办理结果代码 {codes} 项，告知书模板 {templates} 种")
        elif action == "recompute":
            self.stdout.write(f"已重算，{clock.recompute_open(closed=opts['closed'])} 件申请的期限有变化")
        elif action == "explain":
            app = Application.objects.filter(tracking_number=opts["tracking"].strip().upper()).first()
            if app is None:
                raise CommandError(f"没有申请编号为“{opts['tracking']}”的申请")
            state = clock.state_of(app)
            for line in state.lines:
                self.stdout.write(f"{line.on:%Y-%m-%d} {line.label}：{line.text}")
            self.stdout.write(f"状态：{app.get_status_display()}；答复期限：{state.due_date or '—'}")
            if state.warning:
                self.stdout.write(f"注意：{state.warning}")
