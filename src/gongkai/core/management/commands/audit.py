from __future__ import annotations

import csv
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.core import anchors
from gongkai.core.cells import SafeWriter
from gongkai.core.models import AuditEvent


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链与锚点；anchor 记录当前链头（锚点）；export 导出 CSV"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        v = sub.add_parser(
            "verify", help="逐条校验哈希链并与锚点比对，发现被修改、插入、删除或回滚的记录时以状态 1 退出"
        )
        v.add_argument(
            "--anchors",
            action="append",
            default=[],
            metavar="文件",
            help="另外比对的锚点文件或备份清单 manifest.json（可重复）；默认总是比对 GONGKAI_AUDIT_ANCHOR_FILE",
        )
        a = sub.add_parser("anchor", help="把当前链头（条数、摘要、时间）追加到锚点文件并打印，供另行保存或公布")
        a.add_argument("--list", action="store_true", help="只列出已有的锚点，不新增")
        p = sub.add_parser("export", help="导出审计日志为 CSV（UTF-8 BOM，Excel 可直接打开）")
        p.add_argument("--days", type=int, default=180, help="导出最近多少天（默认 180）")
        p.add_argument("--out", help="输出文件（默认标准输出）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "verify":
            extra = [Path(p) for p in opts["anchors"]]
            problems = anchors.verify(extra)
            total = AuditEvent.objects.count()
            checked = sum(1 for item in anchors.load() if not isinstance(item, str))
            for path in extra:
                checked += sum(1 for item in anchors.load(path) if not isinstance(item, str))
            if problems:
                rows = [p for p in problems if p.event_id is not None]
                if rows:
                    first = min(rows, key=lambda p: p.event_id or 0)
                    self.stderr.write(f"第一处被破坏的记录：记录 {first.event_id}：{first.problem}")
                for p in problems:
                    self.stderr.write(f"记录 {p.event_id if p.event_id is not None else '-'}：{p.problem}")
                raise CommandError(f"审计日志校验失败：{len(problems)} 处问题（共 {total} 条记录）", returncode=1)
            self.stdout.write(f"审计日志完整：{total} 条记录，哈希链无断裂，与 {checked} 个锚点一致。")
            return
        if opts["action"] == "anchor":
            if opts["list"]:
                for line in anchors.iter_lines():
                    self.stdout.write(line)
                return
            made = anchors.write()
            self.stdout.write(made.line())
            self.stdout.write(
                f"已记录锚点：第 {made.seq} 条记录，摘要 {made.digest}，时间 {made.at}（{anchors.anchor_file()}）"
            )
            return
        since = timezone.now() - timedelta(days=opts["days"])
        handle = open(opts["out"], "w", encoding="utf-8-sig", newline="") if opts["out"] else sys.stdout  # noqa: SIM115
        try:
            writer = SafeWriter(csv.writer(handle))
            # The command's export stays raw (codes, the changes as recorded) for scripts; only the
            # action's Chinese name is added in front of its code, as in the web export.
            writer.writerow(
                [
                    "时间",
                    "操作人",
                    "地址",
                    "动作",
                    "动作代码",
                    "对象类型",
                    "对象",
                    "单位",
                    "结果",
                    "原状态",
                    "新状态",
                    "说明",
                    "变更",
                ]
            )
            for e in AuditEvent.objects.filter(created_at__gte=since).order_by("id").iterator():
                writer.writerow(
                    [
                        timezone.localtime(e.created_at).isoformat(timespec="seconds"),
                        e.actor_name,
                        e.address or "",
                        e.get_action_display(),
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.org_code,
                        e.get_outcome_display(),
                        e.from_state,
                        e.to_state,
                        e.comment,
                        e.changes,
                    ]
                )
        finally:
            if handle is not sys.stdout:
                handle.close()
