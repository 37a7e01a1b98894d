"""A blurred photo of a list must not come out "clean": a page tesseract reads with low mean confidence
(``ocr.MIN_CONFIDENCE``) sends the file to a person, with the page and the confidence in the reason."""

from __future__ import annotations

from PIL import ImageFilter

from gongkai.screening import ocr
from tests.screening import scans


def test_a_blurred_scan_needs_a_person_and_a_sharp_one_does_not():
    scans.require_tesseract()
    image = scans.relief_list(scans.relief_rows(8))
    sharp = ocr.recognize("jpg", scans.jpeg(image), [])
    assert sharp.note == "" and sharp.words
    blurred = ocr.recognize("jpg", scans.jpeg(image.filter(ImageFilter.GaussianBlur(5))), [])
    assert "第1页（平均可信度" in blurred.note and "识别可信度低" in blurred.note and "请人工审查" in blurred.note


def test_mean_confidence_ignores_empty_and_structural_rows():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\t张三\n"
        "5\t1\t1\t1\t1\t2\t12\t0\t10\t10\t30\t1101\n"
        "5\t1\t1\t1\t1\t3\t24\t0\t10\t10\t95\t \n"
    )
    assert ocr.mean_confidence(tsv) == 60
    assert ocr.mean_confidence(tsv.split("\n")[0] + "\n") is None
