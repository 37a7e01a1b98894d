"""Scanned documents for the OCR tests and benchmark: text rendered with the CJK font into images and
image-only PDFs at a given resolution, as a scanner would deliver them. Built in memory."""

from __future__ import annotations

import io
import os
import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from gongkai.screening import ocr
from tests.screening.builders import mobile, resident_id

FONTS = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉"


def require_tesseract() -> None:
    """Fail under CI (OCR must not go green by skipping), skip on a developer's machine without it."""
    missing = []
    if not ocr.engine_version():
        missing.append("tesseract")
    elif not ocr.languages_installed():
        missing.append(f"tesseract languages {ocr.LANGS}")
    if not any(f.exists() for f in FONTS):
        missing.append("the Noto CJK fonts")
    if missing:
        message = f"missing {', '.join(missing)}: run scripts/install-ocr.sh and scripts/install-fonts.sh"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def font(px: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    path = next(f for f in FONTS if f.exists())
    return ImageFont.truetype(str(path), px)


def relief_rows(count: int, seed: int = 1) -> list[tuple[str, str, str]]:
    """(姓名, 身份证号, 电话) of a 低保 list: valid ID numbers (checksum), mobile numbers."""
    rng = random.Random(seed)
    return [
        (
            rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            resident_id(rng),
            mobile(rng),
        )
        for _ in range(count)
    ]


def page(lines: Sequence[Sequence[str]], *, dpi: int = 300, columns: Sequence[float] = (0.0, 1.6, 4.4)):  # type: ignore[no-untyped-def]
    """An A4 page (grayscale) with each line's cells at the given column offsets in inches, 10.5 pt text,
    ruled between the rows like a printed table."""
    from PIL import Image, ImageDraw

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    face = font(round(10.5 / 72 * dpi))
    left, top, step = int(0.8 * dpi), int(0.8 * dpi), int(0.27 * dpi)
    for number, cells in enumerate(lines):
        y = top + number * step
        if y + step > height - top:
            break
        for x, cell in zip(columns, cells, strict=False):
            draw.text((left + int(x * dpi), y), cell, font=face, fill=0)
        if len(cells) > 1:
            draw.line((left - 10, y - step // 4, width - left, y - step // 4), fill=0, width=max(1, dpi // 150))
    return img


def relief_list(rows: Sequence[tuple[str, str, str]], *, dpi: int = 300):  # type: ignore[no-untyped-def]
    return page([("2026年第四季度城乡最低生活保障对象名单",), ("姓名", "身份证号", "联系电话"), *rows], dpi=dpi)


NOTICE = [
    "关于开展2026年冬季送温暖活动的通知",
    "各村（社区）：",
    "为切实做好困难群众冬季生活保障工作，",
    "经研究，决定在全镇范围内开展冬季送温暖活动。",
    "请各村于本月底前摸清困难群众底数，",
    "做到应帮尽帮，确保困难群众温暖过冬。",
    "特此通知。",
    "某某镇人民政府",
]


def notice(*, dpi: int = 300):  # type: ignore[no-untyped-def]
    """A scanned notice without any personal data."""
    return page([(line,) for line in NOTICE], dpi=dpi)


def jpeg(image, *, dpi: int = 300, quality: int = 90) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, dpi=(dpi, dpi))
    return out.getvalue()


def image_only_pdf(images, *, dpi: int = 300) -> bytes:  # type: ignore[no-untyped-def]
    """Pages that are pictures and have no text layer, as a scanner's PDF."""
    out = io.BytesIO()
    first, *rest = list(images)
    first.save(out, format="PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return out.getvalue()
