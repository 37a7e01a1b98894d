from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.ops.archive import ArchiveError, export_all, export_to_folder, verify


class Command(BaseCommand):
    help = (
        "归档（条例第四十五条）：把一个单位一个年度已发布的信息（含已撤回的）及其版本、附件，以及办结的申请案卷"
        "写成带清单（SHA-256）和移交清单的归档包；--verify 按清单校验归档包"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="单位代码（公开主体，如 QH0101）")
        parser.add_argument("--year", type=int, help="年度，如 2025")
        parser.add_argument("--out", help="输出目录（必须不存在或为空）")
        parser.add_argument("--verify", metavar="DIR", help="校验一个归档包（目录或 ZIP 文件），不写任何东西")
        parser.add_argument(
            "--all",
            action="store_true",
            help="所有单位（每年年初的定时任务）：--out 为上级目录，各单位写入 单位代码-年度 子目录；"
            "已有且校验通过的归档包保留不动；--year 默认上一年",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["verify"]:
                if opts["org"] or opts["year"] or opts["out"]:
                    raise CommandError("--verify 不能与 --org、--year、--out 同时使用")
                manifest = verify(opts["verify"])
                counts = manifest["counts"]
                self.stdout.write(
                    f"归档包完好：{manifest['unit']['name']} {manifest['year']} 年度，信息 {counts['entries']} 件、"
                    f"申请案卷 {counts['cases']} 件，{len(manifest['files'])} 个文件的校验值全部相符。"
                )
                return
            if opts["all"]:
                self._all(opts)
                return
            missing = [name for name in ("org", "year", "out") if not opts[name]]
            if missing:
                raise CommandError(f"缺少参数：{'、'.join('--' + m for m in missing)}（或用 --verify DIR 校验归档包）")
            self.stdout.write(f"正在生成 {opts['org']} {opts['year']} 年度归档包到 {opts['out']} …")
            export, summary = export_to_folder(opts["org"], opts["year"], opts["out"])
        except ArchiveError as exc:
            raise CommandError(exc.message) from exc
        for warning in summary.warnings:
            self.stderr.write(f"注意：{warning}")
        if summary.empty:
            self.stderr.write(
                f"注意：{export.unit.name} {export.year} 年度没有已发布的信息，也没有办结的申请；"
                "已生成一个空的归档包（移交清单注明本年度无可归档材料）。"
            )
        self.stdout.write(
            f"归档包已生成：{export.out_path}，信息 {summary.entries} 件（其中已撤回 {summary.withdrawn} 件）、"
            f"申请案卷 {summary.cases} 件，共 {summary.files} 个文件；清单 SHA-256 {summary.manifest_sha256}。"
        )

    def _all(self, opts: dict[str, Any]) -> None:
        if opts["org"]:
            raise CommandError("--all 与 --org 不能同时使用")
        if not opts["out"]:
            raise CommandError("缺少参数：--out（存放各单位归档包的上级目录）")
        year = opts["year"] or timezone.localdate().year - 1
        results = export_all(year, opts["out"])
        labels = {"written": "已生成", "kept": "已存在", "failed": "失败"}
        for r in results:
            line = f"{labels[r.outcome]}  {r.code} {r.name}：{r.path}（{r.detail}）"
            (self.stderr if r.outcome == "failed" else self.stdout).write(line)
        failed = [r for r in results if r.outcome == "failed"]
        self.stdout.write(
            f"{year} 年度归档：{len(results)} 个单位，新生成 {sum(r.outcome == 'written' for r in results)} 个，"
            f"已存在 {sum(r.outcome == 'kept' for r in results)} 个，失败 {len(failed)} 个。"
        )
        if failed:
            raise CommandError(f"{len(failed)} 个单位的归档包未能生成或校验不通过，见上；修正后再次运行只补齐缺少的")
