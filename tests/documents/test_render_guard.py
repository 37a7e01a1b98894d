"""The writers (PDF, DOCX, XLSX, font builds) refuse to run inside a transaction opened by application code;
the atomic blocks the test framework wraps around each test do not count. In production they only log."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from gongkai.documents import guard
from gongkai.documents.docx import OfficialLetter, letter_docx, letter_html
from gongkai.documents.pdf import render_pdf

LETTER = OfficialLetter("告知书", "", "", ["正文"], "东山镇人民政府", date(2025, 3, 10))


def test_render_inside_a_transaction_raises(db):
    with transaction.atomic():
        with pytest.raises(guard.RenderInTransaction, match="rendering a PDF"):
            render_pdf(letter_html(LETTER))
        with pytest.raises(guard.RenderInTransaction, match="writing a DOCX"):
            letter_docx(LETTER)


def test_the_test_wrapper_is_not_a_transaction(db):
    assert guard.open_transaction() is None
    assert render_pdf(letter_html(LETTER)).startswith(b"%PDF")


def test_xlsx_and_font_builds_are_guarded_too(db):
    from openpyxl import Workbook

    from gongkai.documents import fonts
    from gongkai.documents.xlsx import workbook_bytes

    with transaction.atomic():
        with pytest.raises(guard.RenderInTransaction, match="XLSX"):
            workbook_bytes(Workbook())
        with pytest.raises(guard.RenderInTransaction, match="font subset"):
            fonts.build_face(fonts.FACES[0])


def test_production_only_logs(db, settings, caplog):
    settings.GONGKAI_ENV = "production"
    with transaction.atomic():
        guard.forbid_in_transaction("writing an XLSX")
    assert "inside an open database transaction" in caplog.text
