from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.errors import DomainError
from gongkai.reports.imports import ImportRejected, import_entries

from ._importing import add_common, resolve


class Command(BaseCommand):
    help = (
        "导入历史政府信息（CSV 或 XLSX）。必填列：title, category, formed_date, published_date；"
        "可选列：index_number, document_number, summary, body, validity。有发布日期的作为已发布信息导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_common(parser)
        parser.add_argument("--create-categories", action="store_true", help="目录中没有的类别自动新建")

    def handle(self, *args: Any, **opts: Any) -> None:
        unit, user = resolve(opts)
        try:
            result = import_entries(
                actor=user,
                unit=unit,
                path=opts["file"],
                create_categories=opts["create_categories"],
                progress=sys.stderr.isatty() or opts.get("verbosity", 1) > 1,
            )
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已导入 {result.created} 条信息（已发布 {result.published} 条，草稿 {result.drafts} 条；"
            f"文件编码 {result.encoding}）"
        )
        for path in result.categories_created:
            self.stdout.write(f"新建目录类别：{path}")
        if result.published:
            self.stdout.write("请运行 gongkai build-site 重新生成公开网站")
