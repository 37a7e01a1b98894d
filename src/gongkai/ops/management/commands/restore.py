from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = "从备份恢复：先逐一校验清单中的 SHA-256，备份损坏则拒绝恢复"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="gongkai backup 生成的备份目录")
        parser.add_argument("--check", action="store_true", help="只校验备份是否完整，不恢复")

    def _step(self, step: str, seconds: float) -> None:
        self.stdout.write(f"  {step}：完成，用时 {seconds:.1f} 秒")
        self.stdout.flush()

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["check"]:
                manifest = verify(opts["folder"])
                self.stdout.write(f"备份完整：{len(manifest['files'])} 个文件校验通过。")
                return
            self.stdout.write(f"正在从 {opts['folder']} 恢复 …")
            manifest = restore(opts["folder"], progress=self._step)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"恢复完成：{len(manifest['files'])} 个文件，备份时间 {manifest['created_at']}。")
