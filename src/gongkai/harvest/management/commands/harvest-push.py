"""``gongkai harvest-push``: push what the endpoint has not acknowledged now, ignoring the retry pause."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.harvest import push


class Command(BaseCommand):
    help = "立即向 GONGKAI_PUSH_URL 推送尚未确认的汇聚变更（忽略失败后的等待时间）"

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.GONGKAI_PUSH_URL:
            raise CommandError("未配置 GONGKAI_PUSH_URL")
        outcome = push.push_pending(force=True)
        if outcome.busy:
            self.stdout.write("另一个进程正在推送，稍后再试")
        elif outcome.failed:
            raise CommandError(f"推送失败（已送达 {outcome.sent} 条），详见推送记录；下次自动重试：{outcome.retry_at}")
        else:
            self.stdout.write(f"已推送 {outcome.sent} 条")
