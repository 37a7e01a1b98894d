from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.errors import DomainError
from gongkai.workdays.calendar import add_workdays, count_workdays, is_workday
from gongkai.workdays.services import import_notice, load_notice_file


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD，收到“{value}”") from None


class Command(BaseCommand):
    help = "法定工作日计算：add DATE N（第 N 个工作日，起算日不计）、count FROM TO、is DATE、import FILE"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add", help="打印 DATE 之后第 N 个工作日（DATE 当日不计）")
        p.add_argument("date")
        p.add_argument("n", type=int)
        p = sub.add_parser("count", help="打印 FROM（不含）到 TO（含）之间的工作日数")
        p.add_argument("start")
        p.add_argument("end")
        p = sub.add_parser("is", help="DATE 是否工作日")
        p.add_argument("date")
        p = sub.add_parser("import", help="导入某年国务院办公厅放假安排（YAML/JSON：year、notice、holidays、workdays）")
        p.add_argument("file", type=Path)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            action = opts["action"]
            if action == "add":
                self.stdout.write(add_workdays(_date(opts["date"]), opts["n"]).isoformat())
            elif action == "count":
                self.stdout.write(str(count_workdays(_date(opts["start"]), _date(opts["end"]))))
            elif action == "is":
                self.stdout.write("工作日" if is_workday(_date(opts["date"])) else "休息日")
            elif action == "import":
                year = import_notice(actor=None, data=load_notice_file(opts["file"]))
                self.stdout.write(f"已导入 {year.year} 年放假安排 {year.notice}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
