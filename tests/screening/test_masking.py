import csv
import io
import random

import openpyxl
import pytest

from gongkai.screening.extract import extract_bytes
from gongkai.screening.mask import (
    MaskRefused,
    mask_csv,
    mask_file,
    mask_html,
    mask_text,
    mask_value,
    mask_xlsx,
)
from gongkai.screening.scanner import scan_text
from tests.screening.builders import resident_id, xlsx


def test_display_masks():
    assert mask_value("id_card", "330102199003071234") == "330102********1234"
    assert mask_value("id_card", "330102 19900307 1234") == "330102********1234"
    assert mask_value("mobile", "138-1234-5678") == "138****5678"
    assert mask_value("mobile", "+86 138 1234 5678") == "+86 138****5678"
    assert mask_value("bank_card", "6222021234567890128") == "6222***********0128"
    assert mask_value("email", "zhangsan@example.com") == "z***@example.com"


def test_mask_text_round_trip_leaves_nothing_of_that_kind():
    number = resident_id(random.Random(9))
    text = f"张三 {number}，电话 138 1234 5678；李四 {number[:6]} {number[6:14]} {number[14:]}"
    masked, count = mask_text(text, {"id_card"})
    assert count == 2
    assert number not in masked and number[6:14] not in masked
    assert [f.kind for f in scan_text(masked)] == ["mobile"]  # only the kind asked for is masked
    masked, count = mask_text(masked, {"mobile"})
    assert count == 1 and scan_text(masked) == []
    assert "张三" in masked and "138****5678" in masked


def test_mask_html_keeps_markup_and_masks_links():
    body = '<p>联系人：<strong>王五</strong> 13812345678</p><p><a href="tel:13912345678">拨打电话</a></p>'
    masked, count = mask_html(body, {"mobile"})
    assert count == 2
    assert masked == '<p>联系人：<strong>王五</strong> 138****5678</p><p><a href="tel:139****5678">拨打电话</a></p>'


def test_masked_csv_keeps_gbk_encoding():
    number = resident_id(random.Random(10))
    data = f"姓名,身份证号,金额\r\n张三,{number},1200.00\r\n".encode("gbk")
    out, count = mask_csv(data, {"id_card"})
    assert count == 1
    rows = list(csv.reader(io.StringIO(out.decode("gbk"))))
    assert rows[1] == ["张三", f"{number[:6]}********{number[-4:]}", "1200.00"]


def test_masked_xlsx_copy_round_trip():
    rng = random.Random(11)
    ids = [resident_id(rng) for _ in range(5)]
    data = xlsx([["姓名", "身份证号", "电话"], *[[f"户主{i}", n, 13800000000 + i] for i, n in enumerate(ids)]])
    out, count = mask_xlsx(data, {"id_card", "mobile"})
    assert count == 10
    sheet = openpyxl.load_workbook(io.BytesIO(out)).active
    assert sheet["B2"].value == f"{ids[0][:6]}********{ids[0][-4:]}"
    assert sheet["C2"].value == "138****0000"
    assert sheet["A2"].value == "户主0"
    rescanned = extract_bytes("x.xlsx", out)
    assert all(not scan_text(s.text) for s in rescanned.segments)


def test_pdf_and_word_are_refused_with_a_reason():
    with pytest.raises(MaskRefused, match="PDF 不能自动打码"):
        mask_file("名单.pdf", b"%PDF-1.4", {"id_card"})
    with pytest.raises(MaskRefused, match="Word"):
        mask_file("名单.docx", b"PK", {"id_card"})


def test_mask_file_names_the_copy():
    name, _, count = mask_file("低保名单.csv", b"a,13812345678\n", {"mobile"})
    assert name == "低保名单（已打码）.csv" and count == 1
    again, _, _ = mask_file(name, b"a,138****5678,330102199001011234\n", {"id_card"})
    assert again == "低保名单（已打码）.csv"  # one suffix, however many passes
