"""Test data for screening: valid identifiers and the files they hide in, built in memory."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Sequence
from datetime import date, timedelta

from gongkai.screening.scanner import id_check_char, luhn_ok

REGIONS = ["330102", "110105", "440305", "510104", "370281", "410102", "632123", "650102"]


def resident_id(rng: random.Random | None = None, *, region: str | None = None, born: date | None = None) -> str:
    rng = rng or random.Random(7)
    region = region or rng.choice(REGIONS)
    born = born or date(1940, 1, 1) + timedelta(days=rng.randrange(0, 30000))
    first17 = f"{region}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_char(first17)


def wrong_check(number: str) -> str:
    """The same number with any other check character: not an ID."""
    for c in "0123456789X":
        if c != number[-1]:
            return number[:-1] + c
    raise AssertionError


def mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "199", "177", "166", "145"]) + f"{rng.randrange(10**8):08d}"


def bank_card(rng: random.Random, prefix: str = "622202", length: int = 19) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError


def xlsx(rows: Sequence[Sequence[object]], title: str = "名单") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(paragraphs: Sequence[str], table: Sequence[Sequence[str]] = (), header: str = "") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_pdf(lines: Sequence[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in lines)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()  # type: ignore[no-any-return]


def encrypted_pdf(lines: Sequence[str], password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(lines))))
    writer.encrypt(user_password=password, owner_password=password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_pdf(text: str = "330102199003071234") -> bytes:
    """A 'scanned' page: a picture and no text layer."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 200), "white")
    if text:
        ImageDraw.Draw(img).text((20, 80), text, fill="black")
    out = io.BytesIO()
    img.save(out, format="PDF")
    return out.getvalue()


def zip_bomb_xlsx(megabytes: int = 64) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (megabytes * 1024 * 1024))
    return out.getvalue()
