"""``gongkai harvest-reconcile``: log a change for every public entry the harvest log does not show as it is."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.harvest import services


class Command(BaseCommand):
    help = "补记汇聚变更：已发布或已撤回、但变更日志里没有其当前状态的信息，各补记一条（日期为现在）"

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.reconcile()
        self.stdout.write(f"补记 {count} 条变更")
