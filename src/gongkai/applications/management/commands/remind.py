from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.applications.reminders import send_reminders


class Command(BaseCommand):
    help = "发送依申请公开每日提醒（即将到期、已超期、待补正、征求意见到期、待确认收到）：站内提醒 + 电子邮件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写提醒、不发邮件")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            day = date.fromisoformat(opts["date"]) if opts.get("date") else None
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD，收到“{opts['date']}”") from None
        notices, mails = send_reminders(day, dry_run=opts["dry_run"])
        self.stdout.write(f"站内提醒 {notices} 条，邮件 {mails} 封")
