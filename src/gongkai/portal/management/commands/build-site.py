"""``gongkai build-site``: render the whole public site and swap it in atomically."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gongkai.portal.builder import build_site


class Command(BaseCommand):
    help = "生成完整的静态公开网站：先写入新目录，完成后原子切换，中途中断不会留下半成品网站。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help=f"网站目录（默认 SITE_DIR，当前为 {settings.SITE_DIR}）；该路径将成为指向最新版本的符号链接",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="不显示进度条（输出不是终端时，如写入日志，也不显示）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A progress bar redrawn into a log file is hundreds of lines of carriage returns: only on a terminal.
        report = build_site(options["out"], progress=not options["no_progress"] and sys.stderr.isatty())
        self.stdout.write(
            self.style.SUCCESS(f"已生成 {report.pages} 个页面，用时 {report.seconds:.1f} 秒，网站目录：{report.root}")
        )
