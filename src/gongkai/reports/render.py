"""The annual report in every format: HTML, PDF (WeasyPrint with the embedded CJK subset), DOCX
(python-docx, official faces), XLSX (openpyxl, one sheet per table) and JSON — all from one ``ReportDocument``
so every format carries the same numbers."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from gongkai import rules
from gongkai.applications import selectors as app_selectors
from gongkai.documents import docx as d
from gongkai.documents.fonts import SANS_STACK, SERIF_STACK
from gongkai.documents.pdf import render_pdf
from gongkai.documents.xlsx import workbook_bytes
from gongkai.orgs.models import Org

from . import charts as charts_mod
from . import layout, narrative, spec
from .annual import annual_report_data, decision_note, extra_facts
from .models import AnnualReport

FORMATS = ("html", "json", "xlsx", "docx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass
class ReportDocument:
    org: Org
    data: dict[str, Any]
    sections: dict[str, str]
    include_children: bool = False
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def unit_name(self) -> str:
        return self.org.name

    @property
    def title(self) -> str:
        scope = "（含所辖单位）" if self.include_children else ""
        return f"{self.org.name}{scope}{self.data['year']}年政府信息公开工作年度报告"

    @property
    def headings(self) -> list[str]:
        return spec.sections()

    @property
    def format(self) -> spec.ReportFormat:
        """The national format of the report year; a reconstruction for years before 2021 (data/formats.yaml)."""
        return spec.format_for(int(self.data["year"]))

    @property
    def table2_notes(self) -> list[str]:
        """How table 二 is counted (制发 by 成文日期; decisions entered or pre-filled)."""
        return decision_note(self.data.get("proactive_sources") or {})

    @property
    def table4_notes(self) -> list[str]:
        """How table 四 counts appeals that span years (the deployment's rule)."""
        return [app_selectors.APPEAL_COUNTING_RULES[app_selectors.appeal_counting()]]

    @property
    def paragraphs(self) -> dict[str, list[str]]:
        return {k: [line.strip() for line in v.splitlines() if line.strip()] for k, v in self.sections.items()}

    @property
    def table2(self) -> layout.Grid:
        return layout.table2(self.data)

    @property
    def table3(self) -> layout.Grid:
        return layout.table3(self.data)

    @property
    def table4(self) -> layout.Grid:
        return layout.table4(self.data)


def build(org: Org, year: Any, *, include_children: bool = False) -> ReportDocument:
    """The numbers as of now, and the narrative the office saved (or the pre-filled one)."""

    data = annual_report_data(org, year, include_children=include_children)
    saved = AnnualReport.objects.filter(unit=org, year=data["year"], include_children=include_children).first()
    sections = narrative.defaults(data, extra_facts(org, data["year"], include_children=include_children), org.name)
    if saved is not None:
        for key in sections:
            text = getattr(saved, key)
            if text.strip():
                sections[key] = text
    return ReportDocument(org, data, sections, include_children, charts_mod.all_charts(data))


def to_json(doc: ReportDocument) -> bytes:
    return json.dumps(doc.data, ensure_ascii=False, indent=2).encode("utf-8")


REPORT_CSS = Path(__file__).parent / "static" / "reports" / "report.css"
STANDALONE_CSS = (
    'body { font-family: "Noto Serif CJK SC", "SimSun", serif; max-width: 60em; margin: 2em auto; '
    "padding: 0 1em; line-height: 1.8; }\n"
)


def document_style(css: str) -> str:
    """The ``<style>`` element of a downloadable document. Such files are sent as attachments and opened
    from disk, never shown under the staff pages' CSP (which allows no inline styles)."""
    return mark_safe(f"<style>\n{css}</style>")  # our own static CSS, no user input


def to_html(doc: ReportDocument, *, standalone: bool = True, with_charts: bool = True) -> str:
    css = (STANDALONE_CSS if standalone else "") + REPORT_CSS.read_text(encoding="utf-8")
    return render_to_string(
        "reports/annual_document.html",
        {"doc": doc, "charts": doc.charts if with_charts else None, "style": document_style(css)},
    )


def body_html(doc: ReportDocument, *, with_charts: bool = False) -> str:
    """The report without page chrome: for the staff page and for the body of the published entry."""
    return render_to_string("reports/_report_body.html", {"doc": doc, "charts": doc.charts if with_charts else None})


PDF_CSS = f"""
@page {{ size: A4; margin: 30mm 20mm 28mm 22mm;
        @bottom-center {{ content: "— " counter(page) " —"; font-family: {SERIF_STACK}; font-size: 12pt; }} }}
html {{ font-family: {SERIF_STACK}; font-size: 13pt; line-height: 1.7; }}
h1 {{ font-weight: 700; font-size: 20pt; text-align: center; line-height: 1.4; }}
h2 {{ font-family: {SANS_STACK}; font-weight: 700; }}
th, td {{ font-family: {SANS_STACK}; }}
svg text {{ font-family: {SANS_STACK}; }}
"""


def to_pdf(doc: ReportDocument) -> bytes:
    return render_pdf(to_html(doc, standalone=False), css=PDF_CSS, families=("GK Serif", "GK Sans"))


def to_xlsx(doc: ReportDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def sheet(title: str, caption: str, grid: layout.Grid, widths: dict[int, float]) -> None:
        ws = wb.create_sheet(title)
        ws.cell(row=1, column=1, value=caption).font = Font(bold=True, size=13)
        for r, c, cell in layout.place(grid):
            row, col = r + 3, c + 1
            target = ws.cell(row=row, column=col, value=int(cell.text) if cell.number else cell.text)
            target.alignment = Alignment(
                wrap_text=True, vertical="center", horizontal="center" if cell.header or cell.number else "left"
            )
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    ws.cell(row=row + dr, column=col + dc).border = border
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1
                )
        for col, w in widths.items():
            ws.column_dimensions[chr(ord("A") + col)].width = w

    wb.remove(wb.active)
    info = wb.create_sheet("报告信息")
    for i, (k, v) in enumerate(
        [("单位", doc.org.name), ("单位代码", doc.org.code), ("年度", doc.data["year"]), ("标题", doc.title)], 1
    ):
        info.cell(row=i, column=1, value=k)
        info.cell(row=i, column=2, value=v)
    if doc.data["checks"]:
        info.cell(row=6, column=1, value="数据校验未通过").font = Font(bold=True, color="B00000")
        for i, c in enumerate(doc.data["checks"], 7):
            info.cell(row=i, column=1, value=c["message"])
    sheet("表二", doc.headings[1], doc.table2, {0: 22, 1: 18, 2: 18, 3: 18})
    sheet("表三", doc.headings[2], doc.table3, {0: 12, 1: 16, 2: 34, **{i: 11 for i in range(3, 10)}})
    sheet("表四", doc.headings[3], doc.table4, {i: 10 for i in range(15)})
    stats = wb.create_sheet("信息统计")
    e = doc.data["entries"]
    stats.append(["类别", "条数", "占比（%）"])
    for c in e["by_category"]:
        stats.append([c["category"], c["count"], c["percent"]])
    stats.append([])
    stats.append(["月份", *[f"{m}月" for m in range(1, 13)]])
    stats.append(["条数", *e["by_month"]])
    stats.append([])
    stats.append(["年度", *[h["year"] for h in e["history"]]])
    stats.append(["条数", *[h["count"] for h in e["history"]]])
    stats.append([])
    t = e["timeliness"]
    over = f"超过{rules.get('publication').text}"  # Art. 26
    stats.append(["平均工作日", t["avg_workdays"], "最长工作日", t["max_workdays"], over, t["over_limit"]])
    stats.append([])
    stats.append(["申请渠道", *[label for _, label in spec.CHANNELS]])
    stats.append(["件数", *[doc.data["applications"]["by_channel"][k] for k, _ in spec.CHANNELS]])
    stats.column_dimensions["A"].width = 24
    return workbook_bytes(wb)


def to_docx(doc: ReportDocument) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    from docx.table import _Cell

    document: Any = d.new_document()
    d.add_title(document, doc.title)
    d.add_blank(document)
    if doc.data["checks"]:
        d.add_paragraph(document, "数据校验未通过（请核对后再发布）：", bold=True, indent=False)
        for c in doc.data["checks"]:
            d.add_paragraph(document, c["message"], indent=False)

    def grid_table(grid: layout.Grid) -> None:
        placed = layout.place(grid)
        rows = len(grid)
        cols = layout.width(grid)
        table = document.add_table(rows=rows, cols=cols)
        table.style = "Table Grid"
        # python-docx's ``table.cell(r, c)`` rebuilds the whole cell grid on every call (2 s for table 三).
        # The <w:tc> elements of the fresh table are taken once instead: a merge only removes or marks
        # elements inside its own region, which no later cell addresses.
        tcs = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
        for r, c, cell in placed:
            target = _Cell(tcs[r][c], table)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(_Cell(tcs[r + cell.rowspan - 1][c + cell.colspan - 1], table))
            target.text = ""
            para = target.paragraphs[0]
            if cell.header or cell.number:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            d.set_font(para.add_run(cell.text), d.BODY_FONT, Pt(9))

    from docx.shared import Mm

    pngs = charts_mod.all_png(doc.data)

    def picture(key: str) -> None:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run().add_picture(io.BytesIO(pngs[key]), width=Mm(150))

    paragraphs = doc.paragraphs
    d.add_heading(document, doc.headings[0])
    for p in paragraphs["section_1"]:
        d.add_paragraph(document, p)
    for key in ("category", "monthly", "history"):
        picture(key)
    d.add_heading(document, doc.headings[1])
    grid_table(doc.table2)
    d.add_heading(document, doc.headings[2])
    grid_table(doc.table3)
    picture("results")
    d.add_heading(document, doc.headings[3])
    grid_table(doc.table4)
    d.add_heading(document, doc.headings[4])
    for p in paragraphs["section_5"]:
        d.add_paragraph(document, p)
    d.add_heading(document, doc.headings[5])
    for p in paragraphs["section_6"]:
        d.add_paragraph(document, p)
    d.add_blank(document)
    right = d.add_paragraph(document, doc.unit_name, indent=False)
    right.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return d.to_bytes(document)


def render(doc: ReportDocument, fmt: str) -> bytes:
    if fmt == "json":
        return to_json(doc)
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(doc)
    if fmt == "xlsx":
        return to_xlsx(doc)
    if fmt == "docx":
        return to_docx(doc)
    raise ValueError(fmt)
