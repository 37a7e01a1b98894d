"""Bad input gets a clear Chinese error naming the field; nothing else is lost."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.catalog import services
from gongkai.catalog.files import check_upload
from gongkai.catalog.text import normalize_document_number
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.services import create_org
from tests.factories import category


def test_title_over_200_characters(draft):
    with pytest.raises(ValidationFailed) as exc:
        draft(title="长" * 201)
    assert exc.value.field == "title" and "200" in exc.value.message


def test_formed_date_in_future(draft):
    with pytest.raises(ValidationFailed) as exc:
        draft(formed_date=timezone.localdate() + timedelta(days=1))
    assert exc.value.errors == {"formed_date": ["成文日期不能晚于今天"]}


def test_all_errors_reported_at_once(draft):
    with pytest.raises(ValidationFailed) as exc:
        draft(title="", formed_date=None)
    assert set(exc.value.errors) == {"title", "formed_date"}


def test_category_of_another_unit(draft, tree):
    with pytest.raises(ValidationFailed) as exc:
        draft(category=category(tree.street))
    assert exc.value.field == "category"


def test_withheld_needs_ground(draft):
    with pytest.raises(ValidationFailed) as exc:
        draft(disclosure_mode="withheld")
    assert exc.value.field == "withhold_ground"


def test_script_in_body_is_neutralised(draft):
    entry = draft(
        body='<p onclick="x()">正文</p><script>alert(1)</script><a href="javascript:alert(1)">链接</a>'
        "<img src=x onerror=alert(1)>"
    )
    assert "<script" not in entry.body and "onclick" not in entry.body and "onerror" not in entry.body
    assert "javascript:" not in entry.body and "正文" in entry.body


def test_title_with_html_is_kept_as_text(draft):
    entry = draft(title="<b>关于</b>通知")
    assert entry.title == "<b>关于</b>通知"  # stored verbatim, escaped wherever it is shown


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("东政发[2025]3号", "东政发〔2025〕3号"),
        ("东政发（2025）3号", "东政发〔2025〕3号"),
        ("东政发【2025】 3 号", "东政发〔2025〕 3号"),
        ("东政发〔2025〕3号", "东政发〔2025〕3号"),
    ],
)
def test_document_number_brackets(raw, expected):
    assert normalize_document_number(raw) == expected


def test_executable_renamed_pdf_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        check_upload("名单.pdf", io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200))
    assert exc.value.field == "file" and "可执行程序" in exc.value.message


def test_docx_renamed_pdf_is_refused():
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    buf.seek(0)
    with pytest.raises(ValidationFailed, match="Word"):
        check_upload("a.pdf", buf)
    buf.seek(0)
    assert check_upload("a.docx", buf).kind == "docx"


def test_macro_workbook_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/vbaProject.bin", b"\x00" * 10)
    buf.seek(0)
    with pytest.raises(ValidationFailed, match="宏"):
        check_upload("a.xlsx", buf)


def test_zip_bomb_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (400 * 1024 * 1024))
    buf.seek(0)
    with pytest.raises(ValidationFailed, match="压缩炸弹"):
        check_upload("a.xlsx", buf)


def test_unknown_extension_and_oversize(settings):
    with pytest.raises(ValidationFailed, match="不允许"):
        check_upload("run.exe", io.BytesIO(b"MZ"))
    with pytest.raises(ValidationFailed, match="大小上限"):
        check_upload("a.pdf", io.BytesIO(b"%PDF-1.4" + b"0" * 2000), max_bytes=1000)


def test_pdf_attachment_stored(draft, people):
    entry = draft()
    att = services.add_attachment(
        actor=people["drafter"], entry=entry, name="../../etc/公示.pdf", stream=io.BytesIO(b"%PDF-1.4\n%test\n")
    )
    assert att.original_name == "公示.pdf" and att.kind == "pdf" and att.size == 15
    assert att.file.read() == b"%PDF-1.4\n%test\n"


def test_wrong_unit_code_names_field(db):
    with pytest.raises(ValidationFailed) as exc:
        create_org(actor=None, code="113708280043326002", name="某镇", kind="county")
    assert exc.value.field == "code"


def test_a_unit_cannot_take_a_path_the_application_owns(tree):
    with pytest.raises(ValidationFailed) as exc:
        create_org(actor=None, code="STAFF01", name="某社区", kind="village", parent=tree.town, slug="staff")
    assert exc.value.errors["slug"] == ["网址路径 staff 是系统保留路径，请换一个"]
