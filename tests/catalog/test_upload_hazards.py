"""Active content in uploads (issue 17 item 7): office macros, embedded objects and external links are
refused; a PDF's JavaScript, OpenAction, /AA, Launch and embedded files are removed (and the audit says
so); a file that is also HTML is refused. All files are built here (office_builders, pikepdf)."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.files import check_upload, screen_active_content
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.core.models import AuditEvent
from tests.catalog import office_builders as office
from tests.factories import PASSWORD


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationFailed) as exc:
        check_upload(name, io.BytesIO(data))
    (message,) = exc.value.errors["file"]
    return message


@pytest.mark.parametrize(
    ("name", "build", "reason"),
    [
        ("预算表.xls", office.xls_with_macro, "包含宏"),
        ("预算表.xls", office.xls_with_embedded_object, "嵌入的 OLE 对象"),
        ("预算表.xlsx", office.xlsx_with_embedded_object, "嵌入的 OLE 对象"),
        ("预算表.xlsx", office.xlsx_with_hidden_macro, "包含宏"),
        ("预算表.xlsx", office.xlsx_with_external_link, "外部链接"),
        ("通知.docx", office.docx_with_remote_template, "attachedTemplate"),
    ],
)
def test_office_files_with_active_content_are_refused(name, build, reason):
    message = _refusal(name, build())
    assert reason in message and message.startswith(f"“{name}”") and "已拒绝上传" in message


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("预算表.xls", office.plain_xls),
        ("预算表.xlsx", office.plain_xlsx),
        ("通知.docx", office.plain_docx),
        ("通知.docx", office.docx_with_hyperlink_and_chart_workbook),
    ],
)
def test_ordinary_office_files_pass_unchanged(name, build):
    """Nothing is removed as active content; only the author properties go (test_document_metadata)."""
    data = build()
    checked = check_upload(name, io.BytesIO(data))
    assert checked.removed == ()
    assert screen_active_content(name, data) == (data, ())
    if name.endswith("x"):
        with zipfile.ZipFile(io.BytesIO(data)) as before, zipfile.ZipFile(io.BytesIO(checked.data)) as after:
            assert before.namelist() == after.namelist()
            for part in before.namelist():
                if not part.startswith("docProps/"):
                    assert after.read(part) == before.read(part), part
    else:
        assert checked.data == data  # legacy OLE files are kept as they are


def _pdf(**extra: object) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    for key, value in extra.items():
        pdf.Root[f"/{key}"] = value
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _active_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.launchURL('http://198.51.100.7/')"))
    pdf.Root.OpenAction = js
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), pdf.make_indirect(js)]))
    )
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 pretend executable")
    page = pdf.pages[0].obj
    page.AA = pikepdf.Dictionary(O=js)
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    page.Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=launch
                    )
                )
            ]
        )
    )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_pdf_scripts_actions_and_embedded_files_are_removed():
    raw = _active_pdf()
    checked = check_upload("公告.pdf", io.BytesIO(raw))
    assert set(checked.removed) >= {
        "打开文件时自动执行的动作（OpenAction）",
        "JavaScript 脚本",
        "附加动作（AA）",
        "嵌入文件",
        "危险动作（Launch）",
    }
    with pikepdf.open(io.BytesIO(checked.data)) as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.pages[0].obj
        assert not pdf.attachments and "/JavaScript" not in pdf.Root.get("/Names", {})
        assert "/A" not in pdf.pages[0].obj.Annots[0]
        assert len(pdf.pages) == 1
    assert checked.data != raw and checked.size == len(checked.data)
    # cleaning is complete: the cleaned copy passes through unchanged
    again = check_upload("公告.pdf", io.BytesIO(checked.data))
    assert again.removed == () and again.data == checked.data


def test_a_clean_pdf_is_stored_byte_for_byte():
    raw = _pdf()
    checked = check_upload("公告.pdf", io.BytesIO(raw))
    assert checked.data == raw and checked.removed == ()


def test_an_unreadable_pdf_naming_javascript_is_refused_one_without_is_kept():
    assert "JavaScript" in _refusal("坏.pdf", b"%PDF-1.4\n1 0 obj << /S /J#61vaScript /JS (x) >> garbage")
    assert check_upload("坏.pdf", io.BytesIO(b"%PDF-1.4\n%test\n")).data == b"%PDF-1.4\n%test\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("公告.pdf", b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF"),
        ("图.gif", b"GIF89a/*\x00\x00*/=1;<script src=//198.51.100.7/x.js></script>"),
        ("说明.txt", b"<!DOCTYPE html>\n<p>hello</p>"),
        ("名单.csv", "姓名,金额\n<svg onload=alert(1)>,1\n".encode()),
    ],
)
def test_files_whose_content_is_also_html_are_refused(name, data):
    assert "同时是网页（HTML）代码" in _refusal(name, data)


def test_the_stored_attachment_is_the_cleaned_one_and_the_audit_says_what_was_removed(draft, people):
    entry = draft()
    upload = io.BytesIO(_active_pdf())
    att = services.add_attachment(actor=people["drafter"], entry=entry, name="公告.pdf", stream=upload)
    stored = att.file.read()
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert "/OpenAction" not in pdf.Root and not pdf.attachments
    assert att.size == len(stored) and "JavaScript 脚本" in att.cleaned
    event = AuditEvent.objects.filter(action=Action.ENTRY_ATTACHMENT_ADD).latest("id")
    assert "上传时已移除" in event.comment and "JavaScript 脚本" in event.changes["removed"][1]


def test_a_refused_upload_stores_nothing(draft, people):
    entry = draft()
    with pytest.raises(ValidationFailed):
        services.add_attachment(
            actor=people["drafter"], entry=entry, name="表.xlsx", stream=io.BytesIO(office.xlsx_with_embedded_object())
        )
    assert not entry.attachments.exists()
    assert not AuditEvent.objects.filter(action=Action.ENTRY_ATTACHMENT_ADD).exists()


def test_the_staff_page_says_what_was_removed_and_why_a_file_was_refused(client, draft, people):
    entry = draft()
    assert client.login(username=people["drafter"].username, password=PASSWORD)
    pdf = io.BytesIO(_active_pdf())
    pdf.name = "公告.pdf"
    html = client.post(reverse("staff:entry_attach", args=[entry.pk]), {"files": [pdf]}, follow=True).content.decode()
    assert "附件“公告.pdf”含有可执行内容，已移除后保存" in html and "JavaScript 脚本" in html
    xls = io.BytesIO(office.xls_with_macro())
    xls.name = "预算.xls"
    html = client.post(reverse("staff:entry_attach", args=[entry.pk]), {"files": [xls]}, follow=True).content.decode()
    assert "附件未上传" in html and "包含宏" in html
    assert entry.attachments.count() == 1
