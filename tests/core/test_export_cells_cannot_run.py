"""Formula injection (issue 17 #3): no CSV or XLSX the platform writes carries a text cell that Excel or WPS would
run — the auditor's CSV (web and command), the annual report and bulletin workbooks, and masked copies — while
plain numbers such as -5 stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.core.cells import safe_cell, safe_row
from gongkai.documents.xlsx import workbook_bytes
from gongkai.screening import mask
from tests.logins import form_login

PAYLOADS = ['=HYPERLINK("http://evil.example","点这里")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_becomes_text(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["-5", "+86", "-0.5", "1e3", "张三", "", 12, None, date(2025, 1, 1)])
def test_numbers_and_plain_text_stay(value):
    assert safe_cell(value) == value


def test_the_auditors_csv_neutralises_a_login_name(client, people, settings):
    form_login(client, PAYLOADS[0], "wrong-password")  # anyone may type this as a user name
    client.force_login(people["auditor"])
    response = client.post(reverse("staff:audit_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'" + PAYLOADS[0] in cells and PAYLOADS[0] not in cells


def test_the_audit_command_export_too(client, people, tmp_path):
    form_login(client, PAYLOADS[3], "wrong-password")
    out = tmp_path / "audit.csv"
    call_command("audit", "export", "--out", str(out), verbosity=0)
    cells = [c for row in csv.reader(out.open(encoding="utf-8-sig")) for c in row]
    assert any(c.startswith("'" + PAYLOADS[3]) or c == "'" + PAYLOADS[3] for c in cells), cells[-14:]
    assert not any(c.startswith(PAYLOADS[3]) for c in cells)


def test_every_workbook_written_through_documents_is_neutralised():
    wb = Workbook()
    wb.active.append(["栏目", PAYLOADS[0], -5, "-5"])
    ws = load_workbook(io.BytesIO(workbook_bytes(wb))).active
    assert [c.value for c in ws[1]] == ["栏目", "'" + PAYLOADS[0], -5, "-5"]


def test_masked_copies_do_not_carry_formulas():
    data = '姓名,备注,金额\n张三,=HYPERLINK("x"),-5\n'.encode()
    masked, _ = mask.mask_csv(data, {"id_card"})
    text = masked.decode("utf-8-sig") if masked.startswith(b"\xef\xbb\xbf") else masked.decode()
    assert "'=HYPERLINK" in text and ",-5" in text
    wb = Workbook()
    wb.active.append(["备注", "=SUM(1,2)"])  # a real formula of the original stays a formula
    wb.active.append(["@cmd", 3])
    buf = io.BytesIO()
    wb.save(buf)
    out, _ = mask.mask_xlsx(buf.getvalue(), {"id_card"})
    ws = load_workbook(io.BytesIO(out)).active
    assert ws["B1"].value == "=SUM(1,2)" and ws["A2"].value == "'@cmd"
    assert safe_row(["=1", 2]) == ["'=1", 2]
