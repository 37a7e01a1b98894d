"""``gongkai gazette --org CODE --period 2026-11|2026-Q4 --out F.pdf [--copies N]``: the printed 公报."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.channels import gazette, services
from gongkai.core.errors import DomainError
from gongkai.orgs.models import Org


class Command(BaseCommand):
    help = "编印一期政府公报 PDF（A4，含目录和索引号）；给出 --copies 时记录印数"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="公开主体的单位代码")
        parser.add_argument("--period", required=True, help="期间：2026-11（月）或 2026-Q4（季度）")
        parser.add_argument("--out", required=True, help="输出的 PDF 文件")
        parser.add_argument("--copies", help="印数（记录本期公报的印发）")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Org.objects.filter(code=options["org"].strip()).first()
        if unit is None or not unit.is_unit:
            raise CommandError(f"单位代码“{options['org']}”不是县、乡镇或街道（公开主体）")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"输出目录“{out.parent}”不存在")
        try:
            period = gazette.parse_period(options["period"])
            entries = list(gazette.period_entries(unit, period))
            pdf = gazette.render_gazette(unit, period, entries)
            if options["copies"] is not None:
                services.record_gazette(actor=None, unit=unit, period=options["period"], copies=options["copies"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        out.write_bytes(pdf)
        self.stdout.write(f"已生成 {out}：{gazette.period_label(period)}，收录 {len(entries)} 条信息")
