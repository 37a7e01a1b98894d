from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.subscriptions import digest, tasks


class Command(BaseCommand):
    help = "发送邮件订阅的每日汇总（每个邮箱每天最多一封，没有新信息不发）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行（gongkai worker），不在本进程发送")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["enqueue"]:
            result = tasks.send_digests.enqueue()
            self.stdout.write(f"已加入后台任务：{result.id}")
            return
        out = digest.send_digests()
        self.stdout.write(
            f"汇总邮件 {out.mails} 封，新信息 {out.entries} 条；"
            f"今天已发过 {out.skipped_today} 个邮箱；发送失败 {out.failed} 封"
        )
