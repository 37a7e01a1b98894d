"""``gongkai demo``: a believable county with two townships and a street office, for trying the platform."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.ops import demo


class Command(BaseCommand):
    help = (
        "载入演示数据：一个县、两个乡镇和一个街道，各角色账号，两年的主动公开信息和依申请公开案件，各队列中的待办"
        "（已有演示数据时跳过）。之后运行 gongkai build-site 生成公开网站。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--entries", type=int, default=demo.DEFAULT_ENTRIES, help=f"已发布信息条数（默认 {demo.DEFAULT_ENTRIES}）"
        )
        parser.add_argument("--seed", type=int, default=2025, help="随机数种子（同一种子得到同样的数据）")
        parser.add_argument(
            "--letters",
            action="store_true",
            help="同时为演示案件开具告知书（编号、文本在载入时确定，DOCX 和 PDF 由后台任务进程生成）",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        found = demo.state()
        if found == "complete":
            self.stdout.write("演示数据已存在，跳过。")
            return
        if found == "partial":
            raise CommandError(
                "上次载入演示数据没有完成（中途被中断）：请换一个空数据库重新运行 gongkai migrate 和 gongkai demo"
                "（默认的 SQLite 数据库即删除 $GONGKAI_DATA_DIR/gongkai.sqlite3）。"
            )
        loaded = demo.load(entries_total=opts["entries"], seed=opts["seed"], with_letters=opts["letters"])
        say = self.stdout.write
        say(self.style.SUCCESS("演示数据已载入。"))
        say("  信息：" + "，".join(f"{label} {n} 条" for label, n in loaded.entries.most_common()))
        say(f"  检索索引：{loaded.indexed} 条已发布信息")
        c = loaded.cases
        say("  依申请公开：" + "，".join(f"{k} {n} 件" for k, n in c["unit"].items()))
        say("    状态：" + "，".join(f"{k} {n}" for k, n in c["status"].most_common()))
        say("    办理结果：" + "，".join(f"{k} {n}" for k, n in c["result"].most_common()))
        say("    渠道：" + "，".join(f"{k} {n}" for k, n in c["channel"].most_common()))
        say("    行政复议、行政诉讼：" + "，".join(f"{k} {n}" for k, n in c["appeal"].items()))
        if loaded.letters:
            say(f"  告知书：{loaded.letters} 份（DOCX 和 PDF 由后台任务进程生成）")
        if loaded.tracked:
            number, code = loaded.tracked
            say(f"  进度查询示例（/apply/track/）：申请编号 {number}，查询码 {code}")
        if loaded.queued_tasks:
            say(self.style.WARNING(f"  后台任务队列中有 {loaded.queued_tasks} 个待办任务（gongkai db_worker 会处理）"))
        say("公开网站尚未包含这些数据：请运行 gongkai build-site（make run 会自动运行）。")
        say(f"工作台 /staff/，所有演示账号的密码：{demo.DEMO_PASSWORD}")
        for username, label in loaded.accounts:
            say(f"  {username:<16} {label}")
