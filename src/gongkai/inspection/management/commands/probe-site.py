"""``gongkai probe-site [--url URL]``: one availability probe of the public site, recorded for the self-inspection's
week of monitoring (国办秘函〔2019〕19号: at least 20 probes a day). Run it from cron or a systemd timer, e.g. every
hour: ``0 * * * * gongkai probe-site``. Exit status 0 when the site opened, 1 when it did not, 2 on bad input."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.errors import DomainError
from gongkai.inspection import probes


class Command(BaseCommand):
    help = "探测一次公开网站能否打开，记入网站自查“站点无法访问”的监测；由 cron 或定时器每小时运行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", help="探测网址（默认 GONGKAI_INSPECTION_URL）")

    def handle(self, *args: Any, **options: Any) -> None:
        url = (options["url"] or getattr(settings, "GONGKAI_INSPECTION_URL", "") or "").strip()
        if not url:
            raise CommandError("未设置探测网址：请用 --url 指定，或设置 GONGKAI_INSPECTION_URL", returncode=2)
        try:
            row = probes.probe_site(url)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        count, failed = probes.probes_today(row.url)
        state = "正常" if row.ok else f"失败：{row.error}"
        self.stdout.write(f"{row.url} 探测{state}（{row.seconds:.1f} 秒）；今天已探测 {count} 次，失败 {failed} 次")
        if not row.ok:
            sys.exit(1)
