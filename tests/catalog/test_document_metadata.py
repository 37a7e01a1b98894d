"""PDF and OOXML uploads lose who made them (author, producer, XMP history, company, custom properties) and
keep what they say and what describes them (title, PDF/A conformance, every other part byte for byte)."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from gongkai.catalog.files import check_upload

PERSON = "张三"


def _pdf(**info: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj["/PieceInfo"] = pikepdf.Dictionary({"/Illustrator": pikepdf.Dictionary({"/Private": 1})})
    for key, value in info.items():
        pdf.docinfo[f"/{key}"] = value
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = "关于低保对象的公示"
        meta["dc:creator"] = [PERSON]
        meta["xmp:CreatorTool"] = "WPS Office 张三的电脑"
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_pdf_loses_author_producer_company_and_xmp_history_but_keeps_title_and_pdfa():
    raw = _pdf(Title="关于低保对象的公示", Author=PERSON, Creator="WPS", Producer="某 PDF 打印机", Company="清河乡")
    assert PERSON.encode("utf-16-be") in raw or PERSON.encode() in raw  # the fixture really carries the name
    checked = check_upload("公示.pdf", io.BytesIO(raw))
    with pikepdf.open(io.BytesIO(checked.data)) as pdf:
        assert set(pdf.docinfo.keys()) == {"/Title"}
        assert str(pdf.docinfo["/Title"]) == "关于低保对象的公示"
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "关于低保对象的公示"
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert "dc:creator" not in meta and "xmp:CreatorTool" not in meta
        assert "/PieceInfo" not in pdf.pages[0].obj
        assert len(pdf.pages) == 1
    assert checked.sha256 != __import__("hashlib").sha256(raw).hexdigest()


def test_a_pdf_without_such_properties_is_stored_byte_for_byte():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, static_id=True)
    raw = out.getvalue()
    with pikepdf.open(io.BytesIO(raw)) as check:
        for key in list(check.trailer.get("/Info", {}).keys()):
            assert key in ("/Title",)
    assert check_upload("空白.pdf", io.BytesIO(raw)).data == raw


def _docx() -> bytes:
    doc = Document()
    doc.add_paragraph("清河乡2025年低保资金发放情况")
    doc.core_properties.author = PERSON
    doc.core_properties.last_modified_by = "李四"
    doc.core_properties.title = "低保资金发放情况"
    out = io.BytesIO()
    doc.save(out)
    raw = out.getvalue()
    # an OA system's stamp: company in app.xml and a custom property
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    app = members.get("docProps/app.xml", b"")
    company = "<Company>清河乡人民政府</Company></Properties>".encode()
    members["docProps/app.xml"] = app.replace(b"</Properties>", company)
    members["docProps/custom.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="拟稿人">'
        f"<vt:lpwstr>{PERSON}</vt:lpwstr></property></Properties>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in members.items():
            dst.writestr(name, body)
    return out.getvalue()


def test_docx_loses_author_editor_company_and_custom_properties_and_still_opens():
    raw = _docx()
    checked = check_upload("发放情况.docx", io.BytesIO(raw))
    with zipfile.ZipFile(io.BytesIO(checked.data)) as package, zipfile.ZipFile(io.BytesIO(raw)) as original:
        for part in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
            assert PERSON.encode() not in package.read(part)
        assert "李四".encode() not in package.read("docProps/core.xml")
        assert "清河乡人民政府".encode() not in package.read("docProps/app.xml")
        assert package.read("word/document.xml") == original.read("word/document.xml")
    doc = Document(io.BytesIO(checked.data))
    assert doc.paragraphs[0].text == "清河乡2025年低保资金发放情况"
    assert doc.core_properties.title == "低保资金发放情况"
    assert not doc.core_properties.author and not doc.core_properties.last_modified_by


def test_xlsx_loses_its_creator_and_keeps_its_cells():
    book = Workbook()
    book.active["A1"] = "户主"
    book.properties.creator = PERSON
    book.properties.lastModifiedBy = "李四"
    out = io.BytesIO()
    book.save(out)
    checked = check_upload("名单.xlsx", io.BytesIO(out.getvalue()))
    again = load_workbook(io.BytesIO(checked.data))
    assert again.active["A1"].value == "户主"
    with zipfile.ZipFile(io.BytesIO(checked.data)) as package:
        core = package.read("docProps/core.xml")
    assert PERSON.encode() not in core and "李四".encode() not in core and b"creator" not in core


def test_an_office_file_without_people_in_it_is_stored_byte_for_byte():
    book = Workbook()
    book.properties.creator = None
    out = io.BytesIO()
    book.save(out)
    raw = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        core = package.read("docProps/core.xml")
    if b"creator" in core or b"lastModifiedBy" in core:
        pytest.fail("fixture carries a creator; openpyxl changed its defaults")
    assert check_upload("空表.xlsx", io.BytesIO(raw)).data == raw
