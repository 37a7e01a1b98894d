"""Bad input never crashes and never comes back as a silent "clean"."""

import random

from gongkai.screening.extract import MANUAL, OK, UNREADABLE, extract_bytes, extract_path
from gongkai.screening.report import scan_bytes
from tests.screening import builders


def test_text_pdf_reports_page_and_line():
    number = builders.resident_id(random.Random(20))
    data = builders.text_pdf(["Notice", f"ID {number}", "Tel 13812345678"])
    rep = scan_bytes("notice.pdf", data)
    assert rep.status == OK
    assert [(f.finding.kind, f.location) for f in rep.findings] == [
        ("id_card", "第1页 第2行"),
        ("mobile", "第1页 第3行"),
    ]


def test_encrypted_pdf_is_unreadable():
    ex = extract_bytes("secret.pdf", builders.encrypted_pdf(["ID 330102199003071234"]))
    assert ex.status == UNREADABLE and "加密" in ex.reason


def test_corrupt_pdf_is_unreadable():
    for data in (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj << /Kids [ garbage", builders.text_pdf(["x" * 50])[:300]):
        ex = extract_bytes("broken.pdf", data)
        assert ex.status in (UNREADABLE, MANUAL) and ex.reason


def test_image_only_pdf_needs_manual_review():
    ex = extract_bytes("scan.pdf", builders.image_pdf())
    assert ex.status == MANUAL and "没有文字层" in ex.reason


def test_zip_bomb_disguised_as_xlsx_is_refused_before_parsing():
    data = builders.zip_bomb_xlsx(64)
    assert len(data) < 1024 * 1024
    ex = extract_bytes("名单.xlsx", data)
    assert ex.status == UNREADABLE and "压缩炸弹" in ex.reason


def test_file_over_the_size_limit_needs_manual_review(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(3 * 1024 * 1024)  # sparse: the limit is checked before reading
    ex = extract_path(big, max_bytes=2 * 1024 * 1024)
    assert ex.status == MANUAL and "超过自动扫描上限" in ex.reason


def test_gbk_csv_is_decoded():
    number = builders.resident_id(random.Random(21))
    data = f"序号,姓名,身份证号码,联系电话\r\n1,张三,{number},13812345678\r\n".encode("gbk")
    rep = scan_bytes("低保名单.csv", data)
    assert rep.status == OK
    assert [(f.finding.kind, f.location) for f in rep.findings] == [
        ("id_card", "第2行 第C列"),
        ("mobile", "第2行 第D列"),
    ]


def test_docx_paragraphs_table_cells_and_header():
    number = builders.resident_id(random.Random(22))
    data = builders.docx(["关于发放补贴的公示"], table=[["姓名", "身份证号"], ["张三", number]], header="内部资料")
    rep = scan_bytes("公示.docx", data)
    assert rep.status == OK
    assert [(f.finding.kind, f.location) for f in rep.findings] == [
        ("id_card", "表格1 第2行第2列"),
        ("internal", "第1节页眉"),
    ]


def test_unknown_and_empty_files():
    assert extract_bytes("x.bin", b"\x00\x01garbage").status == UNREADABLE
    assert extract_bytes("x.csv", b"").status == UNREADABLE
    assert extract_bytes("photo.jpg", b"\xff\xd8\xff\xe0rest").status == MANUAL


def test_missing_path_is_unreadable(tmp_path):
    assert extract_path(tmp_path / "nope.pdf").status == UNREADABLE
