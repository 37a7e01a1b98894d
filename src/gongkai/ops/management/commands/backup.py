from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份：数据库、上传文件、已生成的公开网站，以及记录每个文件 SHA-256 的清单（网站不停止服务）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="备份目录（必须不存在或为空）")

    def _step(self, step: str, seconds: float) -> None:
        self.stdout.write(f"  {step}：完成，用时 {seconds:.1f} 秒")
        self.stdout.flush()

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            self.stdout.write(f"正在备份到 {opts['out']} …")
            result = backup(opts["out"], progress=self._step)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"备份完成：{result.folder}，共 {result.files} 个文件，数据库方式 {result.database}。")
