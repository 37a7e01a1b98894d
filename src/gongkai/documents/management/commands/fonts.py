"""``gongkai fonts``: build the CJK font subsets of this installation (once; about a minute per face)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from gongkai.documents import fonts


class Command(BaseCommand):
    help = "生成告知书、年度报告 PDF 用的中文字体子集（GB2312），每套安装一次；--check 只检查"
    # The font check (documents.W001) would only repeat what this command prints, and it needs no database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只检查，缺少子集时退出码为 1")
        parser.add_argument("--force", action="store_true", help="已有的子集也重新生成")

    def handle(self, *args: Any, **opts: Any) -> None:
        states = fonts.status()
        self.stdout.write(f"字体子集目录：{fonts.font_dir()}（GONGKAI_FONT_DIR）")
        for s in states:
            where = s.subset if s.ready else "未生成"
            self.stdout.write(f"  {s.face.role}：{where}（来源 {s.source or '未找到'}）")
        if any(s.source is None for s in states):
            raise CommandError("未找到中文字体，请先运行 scripts/install-fonts.sh 安装 fonts-noto-cjk")
        todo = [s.face for s in states if opts["force"] or not s.ready]
        if opts["check"]:
            if todo:
                raise CommandError(f"缺少 {len(todo)} 个字体子集，请运行 gongkai fonts")
            self.stdout.write("字体子集齐全")
            return
        if todo:
            started = time.monotonic()
            # One step per face; each takes about a minute, so the bar shows which one is being cut.
            with tqdm(total=len(todo), unit="种", desc="生成字体子集") as bar:
                for face in todo:
                    bar.set_postfix_str(face.role)
                    try:
                        fonts.build_face(face, force=opts["force"])
                    except OSError as exc:
                        raise CommandError(
                            f"无法写入 {fonts.font_dir()}（{exc.strerror or exc}）：请用有写权限的用户运行，"
                            "或设置 GONGKAI_FONT_DIR 为可写目录"
                        ) from exc
                    bar.update(1)
            self.stdout.write(f"已生成 {len(todo)} 个字体子集，用时 {time.monotonic() - started:.0f} 秒")
        else:
            self.stdout.write("字体子集齐全，无需生成")
        for face in fonts.FACES:
            for path in fonts.remove_stale(face):
                self.stdout.write(f"  删除旧版本子集 {path.name}")
