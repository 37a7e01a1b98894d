from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.worker import queue
from gongkai.worker.recovery import TaskLine, recover_orphaned_tasks


class Command(BaseCommand):
    help = (
        "把中断的后台任务重新排队：任务进程被强行终止（断电、kill -9）时，它正在执行的任务会一直停在“运行中”。"
        "默认按心跳判断：领取任务的进程超过 GONGKAI_WORKER_HEARTBEAT_TIMEOUT 秒（默认 60）没有心跳，才重新排队，"
        "执行得慢但进程仍在的任务不动。运行中的 `gongkai worker` 自己也会这样做，本命令用于检查和手工处理。"
        "本平台的后台任务（网页重新生成、保密扫描、检索索引）都可以安全地重复执行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="MIN",
            help="不看心跳，把运行超过 MIN 分钟的任务一律重新排队；确认没有任务进程在运行时可用 0",
        )

    def _lines(self, lines: list[TaskLine]) -> None:
        for line in lines:
            started = timezone.localtime(line.started_at).strftime("%Y-%m-%d %H:%M:%S") if line.started_at else "—"
            self.stdout.write(f"  - {line.label}  [{line.task_id}]  开始于 {started}：{line.reason}")

    def handle(self, *args: Any, **opts: Any) -> None:
        older = opts["older_than"]
        if older is not None and older < 0:
            raise CommandError("--older-than 不能为负数")
        report = recover_orphaned_tasks(actor=None, older_than=None if older is None else timedelta(minutes=older))
        self.stdout.write(f"判断规则：{report.rule}")
        if not report.changed and not report.left:
            self.stdout.write("没有运行中的任务。")
        self.stdout.write(f"重新排队 {len(report.requeued)} 个中断的任务{'：' if report.requeued else '。'}")
        self._lines(report.requeued)
        if report.failed:
            self.stdout.write(f"标记为失败 {len(report.failed)} 个任务（排除原因后可在工作台重试）：")
            self._lines(report.failed)
        if report.left:
            self.stdout.write(f"未处理 {len(report.left)} 个运行中的任务（仍在执行）：")
            self._lines(report.left)
        summary = queue.queue_summary()
        self.stdout.write(f"队列：等待 {summary.waiting} 个，运行中 {summary.running} 个，失败 {summary.failed} 个。")
        if not summary.worker_alive:
            seen = (
                f"最后一次心跳在 {timezone.localtime(summary.last_seen):%Y-%m-%d %H:%M:%S}"
                if summary.last_seen
                else "从未有任务进程运行过"
            )
            self.stdout.write(
                f"注意：{int(settings.GONGKAI_WORKER_HEARTBEAT_TIMEOUT)} 秒内没有任务进程的心跳（{seen}），"
                "排队的任务不会执行。"
                "请启动 `gongkai worker`（生产环境：systemctl start gongkai-worker）。"
            )
