"""``gongkai check-site --org CODE``: self-inspection of a unit (a county: every unit of it) against
国办秘函〔2019〕19号 (``inspection/data/checks.yaml``). Each unit's run is recorded (``InspectionRun``).

Output: JSON (default) or a Chinese HTML page. Exit status 0 when no unit hit a 单项否决 item, 1 when one did,
2 on bad input (unknown org, broken site folder, malformed checks file).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.errors import DomainError
from gongkai.inspection import render, selectors, services
from gongkai.inspection.definitions import ChecksDataError
from gongkai.orgs.models import Org
from gongkai.portal.writer import is_built


class Command(BaseCommand):
    help = "按《政府网站与政务新媒体检查指标》自查单位（县级代码：所辖全部单位）；有单项否决时退出码为 1"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("--format", choices=["json", "html"], default="json", help="输出格式（默认 json）")
        parser.add_argument("--site", help="生成的公开网站目录（默认 GONGKAI_SITE_DIR，已生成时）")
        parser.add_argument("--url", help="可用性探测的网址（15 秒超时）")
        parser.add_argument("--output", "-o", help="写入文件（默认标准输出）")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["org"].strip()
        org = Org.objects.filter(code=code).first()
        if org is None:
            raise CommandError(f"没有代码为“{code}”的单位", returncode=2)
        if org.kind not in selectors.UNIT_KINDS:
            raise CommandError(f"{org.name}（{code}）不是公开主体（县、乡镇或街道），不能自查", returncode=2)
        units = selectors.units_of(org)
        site: Path | None = Path(options["site"]) if options["site"] else None
        if site is None and is_built(Path(settings.SITE_DIR)):
            site = Path(settings.SITE_DIR)
        results = []
        for unit in units:
            try:
                run = services.run_inspection(actor=None, unit=unit, site=site, url=options["url"])
            except ChecksDataError as exc:
                raise CommandError(f"自查指标文件有误：{exc}", returncode=2) from None
            except DomainError as exc:
                raise CommandError(exc.message, returncode=2) from None
            results.append(run.findings)
        text = render.to_json(results) if options["format"] == "json" else render.to_html(results)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)
        if any(r["vetoes"] for r in results):
            sys.exit(1)
