"""Every format carries the same labels and numbers: DOCX re-read with python-docx, XLSX with openpyxl,
PDF text extracted with pypdf with the Chinese intact, JSON equal to annual_report_data()."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from gongkai.reports import render, spec
from gongkai.reports.annual import annual_report_data


@pytest.fixture
def report(tree, two_years, draft, publish, today):
    today(date(2025, 4, 10))
    publish(draft(formed_date=date(2025, 4, 1)))
    today(date(2026, 1, 20))
    return render.build(tree.town, 2025)


def test_json_is_annual_report_data(tree, report):
    data = json.loads(render.render(report, "json"))
    assert data == annual_report_data(tree.town, 2025)
    assert data["entries"]["total"] == 1 and data["entries"]["by_month"][3] == 1


def test_html_has_every_label_and_charts(report):
    html = render.render(report, "html").decode()
    for _, label in spec.table3_rows():
        for part in label.split(" "):
            assert part in html
    assert spec.table3_note() in html
    for heading in spec.sections():
        assert heading in html
    assert html.count("<svg") == 4
    assert "2025年政府信息公开申请办理结果（件）" in html


def test_docx_reread(report):
    from docx import Document

    document = Document(io.BytesIO(render.render(report, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "清河县东山镇人民政府2025年政府信息公开工作年度报告" in text
    for heading in spec.sections():
        assert heading in text
    assert len(document.tables) == 3
    t3 = document.tables[1]
    cells = [[c.text for c in row.cells] for row in t3.rows]
    assert cells[0][0] == spec.table3_note()
    assert cells[1][3] == "自然人" and cells[2][4] == "商业企业" and cells[1][9] == "总计"
    by_label = {row[0]: row[3:] for row in cells if row[0] == row[2]}  # rows spanning the three label columns
    assert by_label["一、本年新收政府信息公开申请数量"] == ["1", "0", "1", "0", "0", "0", "2"]
    assert by_label["二、上年结转政府信息公开申请数量"] == ["1", "0", "0", "0", "1", "0", "2"]
    assert by_label["四、结转下年度继续办理"] == ["1", "0", "0", "0", "0", "0", "1"]
    rows = {(r[1], r[2]): r[3:] for r in cells}
    assert rows[("（三）不予公开", "1.属于国家秘密")] == ["0"] * 7
    assert rows[("（七）总计", "（七）总计")] == ["1", "0", "1", "0", "1", "0", "3"]
    assert sum(1 for r in cells if r[0] == "三、本年度办理结果") == 22


def test_xlsx_reread(report):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render.render(report, "xlsx")))
    assert wb.sheetnames == ["报告信息", "表二", "表三", "表四", "信息统计"]
    ws = wb["表三"]
    assert ws["A3"].value == spec.table3_note()
    assert ws["D3"].value == "申请人情况"
    values = {ws.cell(row=r, column=1).value: [ws.cell(row=r, column=c).value for c in range(4, 11)] for r in (6, 7)}
    assert values["一、本年新收政府信息公开申请数量"] == [1, 0, 1, 0, 0, 0, 2]
    assert values["二、上年结转政府信息公开申请数量"] == [1, 0, 0, 0, 1, 0, 2]
    labels = [ws.cell(row=r, column=3).value for r in range(8, 31)]
    assert "8.属于行政查询事项" in labels and "3.补正后申请内容仍不明确" in labels
    assert ws.cell(row=ws.max_row, column=1).value == "四、结转下年度继续办理"
    assert [ws.cell(row=ws.max_row, column=c).value for c in range(4, 11)] == [1, 0, 0, 0, 0, 0, 1]
    t4 = wb["表四"]
    assert t4["A3"].value == "行政复议" and t4["F3"].value == "行政诉讼"
    assert [t4.cell(row=6, column=c).value for c in range(1, 16)] == [0] * 15
    t2 = wb["表二"]
    assert t2["A3"].value == "第二十条第（一）项" and t2["B4"].value == "本年制发件数"
    assert t2["A6"].value == "行政规范性文件"


def test_pdf_text_keeps_chinese(report):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render.render(report, "pdf")))
    text = "".join(page.extract_text() for page in reader.pages)
    compact = "".join(text.split())
    assert "政府信息公开工作年度报告" in compact
    assert "三、收到和处理政府信息公开申请情况" in compact
    assert "本年新收政府信息公开申请数量" in compact
    assert "属于三类内部事务信息" in compact
    assert "结转下年度继续办理" in compact


def test_cli_writes_every_format(tree, report, tmp_path, capsys):
    for fmt in ("html", "json", "xlsx", "docx", "pdf"):
        out = tmp_path / f"r.{fmt}"
        call_command("report", "annual", "--org", "QH0101", "--year", "2025", "--format", fmt, "--out", str(out))
        assert out.stat().st_size > 500
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["year"] == 2025
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_cli_bad_input_is_a_chinese_message(tree):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="单位代码 NOPE 不存在"):
        call_command("report", "annual", "--org", "NOPE", "--year", "2025")
    with pytest.raises(CommandError, match="年度应为四位数字"):
        call_command("report", "annual", "--org", "QH0101", "--year", "二〇二五")
    with pytest.raises(CommandError, match="年度应在"):
        call_command("report", "annual", "--org", "QH0101", "--year", "1990")
    with pytest.raises(CommandError, match="不是公开主体"):
        call_command("report", "annual", "--org", "QH010101", "--year", "2025")
