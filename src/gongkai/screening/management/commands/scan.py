"""gongkai scan: scan files, or rescan every published entry and alert the units."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.catalog.models import Entry, EntryStatus
from gongkai.orgs.models import Org
from gongkai.screening.cli import CLEAN, FOUND, load_words, scan_files
from gongkai.screening.scanning import current_results
from gongkai.screening.services import rescan_published


class Command(BaseCommand):
    help = (
        "保密审查扫描：检查文件中的身份证号、手机号、银行卡号等个人信息和密级标识，每条发现输出一行 JSON"
        "（file、location、kind、severity、masked）。退出码：0 未发现；1 发现敏感信息；"
        "2 有文件无法读取或需人工审查（优先于 1）。"
        "--published 重新扫描全部已发布信息，并向单位公开办发出告警。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="*",
            metavar="文件",
            help="要扫描的文件（PDF、DOCX、DOC、XLSX、XLS、CSV、TXT、OFD）",
        )
        parser.add_argument("--published", action="store_true", help="重新扫描全部已发布信息，发现高风险信息时告警")
        parser.add_argument("--unit", metavar="单位代码", help="与 --published 同用：只扫描该单位")
        parser.add_argument("--words", metavar="文件", help="扫描文件时附加的敏感词表（UTF-8，每行一个）")
        parser.add_argument("--max-mb", type=int, default=60, help="单个文件自动扫描的大小上限（MB，默认 60）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    exit_code = 0

    def execute(self, *args: Any, **options: Any) -> str | None:
        # The verdict is the exit status; BaseCommand.execute would print a returned value instead.
        super().execute(*args, **options)
        sys.exit(self.exit_code)

    def handle(self, *args: Any, **options: Any) -> None:
        self.exit_code = self._run(options)

    def _run(self, options: dict[str, Any]) -> int:
        files: list[str] = options["files"]
        if options["published"]:
            if files:
                raise CommandError("--published 与文件参数不能同时使用")
            return self._published(options)
        if not files:
            raise CommandError("请给出要扫描的文件，或使用 --published")
        try:
            words = load_words(options["words"])
        except OSError as exc:
            raise CommandError(f"敏感词文件无法读取：{exc.strerror or exc}") from exc
        return scan_files(
            files,
            out=cast(TextIO, self.stdout),
            err=cast(TextIO, self.stderr),
            unit_words=words,
            max_bytes=options["max_mb"] * 2**20,
        )

    def _published(self, options: dict[str, Any]) -> int:
        from tqdm import tqdm

        unit = None
        if options["unit"]:
            unit = Org.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"单位代码“{options['unit']}”不存在")
        total = Entry.objects.filter(status=EntryStatus.PUBLISHED, **({"unit": unit} if unit else {})).count()
        bar = tqdm(total=total, desc="重新扫描已发布信息", unit="条", disable=options["no_progress"], file=sys.stderr)
        out = cast(TextIO, self.stdout)
        found = False

        def progress(entry: Any) -> None:
            nonlocal found
            bar.update(1)
            for result in current_results(entry):
                for f in result.findings.all():
                    found = True
                    line = {
                        "file": f"{entry.index_number or entry.pk} {result.label}",
                        "location": f.location,
                        "kind": f.kind,
                        "severity": f.severity,
                        "masked": f.masked,
                        "resolution": f.resolution,
                    }
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")

        summary = rescan_published(unit=unit, progress=progress)
        bar.close()
        self.stderr.write(
            f"已扫描 {summary.entries} 条已发布信息，{summary.with_findings} 条含未处理的高风险信息，已告警"
        )
        return FOUND if found else CLEAN
