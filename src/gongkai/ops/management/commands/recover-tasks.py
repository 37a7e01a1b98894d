from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.core import audit
from gongkai.core.audit_actions import Action


class Command(BaseCommand):
    help = (
        "把中断的后台任务重新排队：任务进程被强行终止（断电、kill -9）时，正在执行的任务会一直停在“运行中”。"
        "本平台的后台任务（网页重新生成、保密扫描、检索索引）都可以安全地重复执行。建议每 10 分钟由 cron 运行一次。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=15,
            help="运行超过多少分钟视为中断（默认 15）；确认没有任务进程在运行时可用 0",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        cutoff = timezone.now() - timedelta(minutes=max(0, opts["older_than"]))
        stuck = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff)
        names = list(stuck.values_list("task_path", flat=True))
        count = stuck.update(status=TaskResultStatus.READY, started_at=None)
        if count:
            audit.record(
                Action.TASKS_RECOVERED, object_type="task", comment=f"{count} 个：{', '.join(sorted(set(names)))}"
            )
        self.stdout.write(f"重新排队 {count} 个中断的任务")
