"""python-docx helpers for the Chinese official-document layout (GB/T 9704 spirit).

DOCX files name the official faces (方正小标宋简体 title, 仿宋_GB2312 body, 黑体 headings): Word on
government PCs has them, and an officer edits the file there before printing. Nothing is embedded.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .chinese import chinese_date
from .guard import forbid_in_transaction

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
SIZE_ERHAO = Pt(22)  # 二号: title
SIZE_SANHAO = Pt(16)  # 三号: body
LINE_PITCH = Pt(28.9)  # 22 lines per page at 三号


def set_font(run: Run, east_asia: str = BODY_FONT, size: Pt = SIZE_SANHAO, *, bold: bool = False) -> Run:
    """Set both the Latin and the East-Asian face: python-docx's ``font.name`` sets only the Latin one."""
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    return run


def _line(paragraph: Paragraph) -> Paragraph:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return paragraph


def new_document() -> object:
    """An empty A4 document with the official margins (top 37, bottom 35, left 28, right 26 mm)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_SANHAO
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return doc


def add_title(doc: object, text: str) -> Paragraph:
    p = _line(doc.add_paragraph())  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(35)
    set_font(p.add_run(text), TITLE_FONT, SIZE_ERHAO)
    return p


def add_centered(doc: object, text: str) -> Paragraph:
    p = _line(doc.add_paragraph())  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run(text))
    return p


def add_blank(doc: object) -> Paragraph:
    return _line(doc.add_paragraph())  # type: ignore[attr-defined]


def add_paragraph(doc: object, text: str, *, indent: bool = True, bold: bool = False) -> Paragraph:
    """A body paragraph: 仿宋 三号, first line indented two characters, justified."""
    p = _line(doc.add_paragraph())  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    set_font(p.add_run(text), bold=bold)
    return p


def add_heading(doc: object, text: str) -> Paragraph:
    """A first-level heading inside the body (一、…): 黑体 三号, indented like the body."""
    p = _line(doc.add_paragraph())  # type: ignore[attr-defined]
    p.paragraph_format.first_line_indent = Pt(32)
    set_font(p.add_run(text), HEADING_FONT)
    return p


def add_signature(doc: object, issuer: str, day: date) -> None:
    """Issuer and the date in Chinese numerals, right-aligned with two characters' right indent."""
    add_blank(doc)
    for text in (issuer, chinese_date(day)):
        p = _line(doc.add_paragraph())  # type: ignore[attr-defined]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(32)
        set_font(p.add_run(text))


def to_bytes(doc: object) -> bytes:
    """The finished document as bytes. Like ``render_pdf``, never inside a database transaction."""
    forbid_in_transaction("writing a DOCX")
    buffer = io.BytesIO()
    doc.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


@dataclass
class OfficialLetter:
    """A one-page official letter: title, 文号, salutation, paragraphs, issuer and date."""

    title: str
    number: str
    salutation: str
    paragraphs: list[str]
    issuer: str
    day: date
    notes: list[str] = field(default_factory=list)  # small print after the signature (联系人、电话)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: a numbered letter is frozen when its number is taken and rendered later."""
        return {
            "title": self.title,
            "number": self.number,
            "salutation": self.salutation,
            "paragraphs": list(self.paragraphs),
            "issuer": self.issuer,
            "day": self.day.isoformat(),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OfficialLetter:
        return cls(
            title=data["title"],
            number=data["number"],
            salutation=data["salutation"],
            paragraphs=list(data["paragraphs"]),
            issuer=data["issuer"],
            day=date.fromisoformat(data["day"]),
            notes=list(data.get("notes", [])),
        )


def letter_docx(letter: OfficialLetter) -> bytes:
    doc = new_document()
    add_title(doc, letter.title)
    if letter.number:
        add_centered(doc, letter.number)
    add_blank(doc)
    if letter.salutation:
        add_paragraph(doc, letter.salutation, indent=False)
    for text in letter.paragraphs:
        add_paragraph(doc, text)
    add_signature(doc, letter.issuer, letter.day)
    if letter.notes:
        add_blank(doc)
        for note in letter.notes:
            add_paragraph(doc, note, indent=False)
    return to_bytes(doc)


def letter_html(letter: OfficialLetter) -> str:
    """The same letter as HTML for ``pdf.render_pdf`` with ``OFFICIAL_PAGE_CSS``."""
    from django.utils.html import escape

    def paras(items: Iterable[str], cls: str = "") -> str:
        attr = f' class="{cls}"' if cls else ""
        return "".join(f"<p{attr}>{escape(t)}</p>" for t in items)

    number = f'<p class="doc-number noindent">{escape(letter.number)}</p>' if letter.number else ""
    salutation = paras([letter.salutation], "salutation") if letter.salutation else ""
    notes = f'<div class="notes">{paras(letter.notes, "noindent")}</div>' if letter.notes else ""
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(letter.title)}</title></head><body>"
        f'<h1 class="title">{escape(letter.title)}</h1>{number}{salutation}{paras(letter.paragraphs)}'
        f'<div class="signature">{paras([letter.issuer, chinese_date(letter.day)])}</div>{notes}'
        "</body></html>"
    )
