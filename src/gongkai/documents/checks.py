"""System check run by ``gongkai migrate`` (and ``check``, ``runserver``): are the font subsets built?"""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning, register

from . import fonts


@register()
def font_subsets(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    states = fonts.status()
    no_source = [s for s in states if s.source is None]
    if no_source:
        return [
            Warning(
                "未找到中文字体（" + "、".join(s.face.role for s in no_source) + "），告知书和年度报告无法生成 PDF。",
                hint="请运行 scripts/install-fonts.sh（安装 fonts-noto-cjk 并生成字体子集）。",
                id="documents.W002",
            )
        ]
    missing = [s for s in states if not s.ready]
    if not missing:
        return []
    return [
        Warning(
            f"中文字体子集尚未生成（{'、'.join(s.face.role for s in missing)}，目录 {fonts.font_dir()}）。"
            "在此之前 PDF 使用系统字体，文件较大；首次生成 PDF 时会排队后台任务生成子集。",
            hint="请运行 gongkai fonts 生成（每种字体约一分钟，每套安装只需一次；可用 GONGKAI_FONT_DIR 指定目录）。",
            id="documents.W001",
        )
    ]
