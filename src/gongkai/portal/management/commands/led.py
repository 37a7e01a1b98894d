"""``gongkai led SLUG`` prints a screen's feed as the screen will read it; ``gongkai led --refresh`` rewrites
every screen's static feed in the built site (run it daily from cron: a notice whose period ended that day
then leaves the screens even if nothing was published)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.channels import led
from gongkai.channels.models import Screen
from gongkai.core.errors import DomainError
from gongkai.portal import builder


class Command(BaseCommand):
    help = (
        "电子显示屏：显示某块屏当前的公告（gongkai led 标识 [--json]），或重写网站中全部显示屏的公告文件（--refresh）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("screen", nargs="?", help="显示屏标识")
        parser.add_argument("--json", action="store_true", help="输出 JSON 格式")
        parser.add_argument("--refresh", action="store_true", help="重写网站中全部显示屏的公告文件")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["refresh"]:
            units = list(Screen.objects.values_list("unit_id", flat=True).distinct())
            changed = builder.refresh_led_feeds(units)
            if changed is None:
                raise CommandError("公开网站尚未生成，请先运行 gongkai build-site")
            self.stdout.write(f"已重写显示屏公告文件 {len(changed)} 个")
            return
        if not options["screen"]:
            raise CommandError("请给出显示屏标识，或使用 --refresh")
        try:
            screen = led.get_screen(options["screen"])
            self.stdout.write(led.feed_json(screen) if options["json"] else led.feed_text(screen), ending="")
        except DomainError as exc:
            raise CommandError(exc.message) from None
