from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.errors import DomainError
from gongkai.reports.imports import ImportRejected, import_applications

from ._importing import add_common, resolve


class Command(BaseCommand):
    help = (
        "导入历史政府信息公开申请（CSV 或 XLSX）。必填列：received_date, channel, applicant_type；"
        "result 和 replied_date 已办结的必填、仍在办理的都不填。可用年度报告的键名或表中的中文名称。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_common(parser)

    def handle(self, *args: Any, **opts: Any) -> None:
        unit, user = resolve(opts)
        try:
            result = import_applications(
                actor=user, unit=unit, path=opts["file"], progress=sys.stderr.isatty() or opts.get("verbosity", 1) > 1
            )
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已导入 {result.created} 件申请（仍在办理 {result.open_cases} 件；文件编码 {result.encoding}）"
        )
