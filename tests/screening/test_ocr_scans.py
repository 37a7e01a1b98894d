"""Scanned attachments are read by OCR in the task worker: every ID number in a scanned 低保 list is found
with its page and box, the gate blocks publication, and the cached text is used on the next scan."""

import io
import re

import pytest

from gongkai.catalog import services as catalog
from gongkai.catalog.models import EntryStatus
from gongkai.core.errors import ValidationFailed
from gongkai.screening import ocr, scanning
from gongkai.screening.models import OcrResult, ScanResult, ScanStatus
from tests.screening import scans


@pytest.fixture
def tesseract_calls(monkeypatch):
    scans.require_tesseract()
    calls = []
    real = ocr.run_tesseract

    def counted(png, page):
        calls.append(page)
        return real(png, page)

    monkeypatch.setattr(ocr, "run_tesseract", counted)
    return calls


def submit(people, entry, capture):
    """As in production: the on-commit receiver queues the scan task (run at once by the test backend)."""
    with capture(execute=True):
        return catalog.submit_for_review(actor=people["drafter"], entry=entry)


def attach(people, entry, name, data):
    catalog.add_attachment(actor=people["drafter"], entry=entry, name=name, stream=io.BytesIO(data))


def current(entry, label):
    return ScanResult.objects.get(entry=entry, label=label, is_current=True)


def test_every_id_number_in_a_scanned_list_is_found_with_page_and_box_and_blocks_publication(
    draft, people, tesseract_calls, django_capture_on_commit_callbacks
):
    rows = scans.relief_rows(30, seed=3)
    entry = draft(summary="低保名单", body="<p>见附件</p>")
    attach(people, entry, "低保名单.jpg", scans.jpeg(scans.relief_list(rows)))
    entry = submit(people, entry, django_capture_on_commit_callbacks)

    result = current(entry, "低保名单.jpg")
    ids = result.findings.filter(kind="id_card")
    assert result.status == ScanStatus.FOUND
    assert ids.count() == len(rows)
    for finding in ids:
        assert re.fullmatch(r"第1页，识别文字第\d+行（左 \d+，上 \d+，宽 \d+，高 \d+ 像素）", finding.location)
    assert result.findings.filter(kind="mobile").count() >= len(rows) * 0.9
    with pytest.raises(ValidationFailed, match=f"居民身份证号 {len(rows)} 处"):
        catalog.review_pass(actor=people["reviewer"], entry=entry)

    # The text is cached by the file's SHA-256: a forced rescan reads it back, tesseract does not run again.
    runs = len(tesseract_calls)
    assert runs == 1 and OcrResult.objects.get().state == OcrResult.State.DONE
    rescanned = scanning.scan_entry(entry=entry, trigger="manual", force=True, run_ocr=True)
    assert len(tesseract_calls) == runs
    again = next(r for r in rescanned if r.label == "低保名单.jpg")
    assert again.findings.filter(kind="id_card").count() == len(rows)


def test_image_only_pdf_pages_are_recognised_and_findings_name_the_page(
    draft, people, tesseract_calls, django_capture_on_commit_callbacks
):
    rows = scans.relief_rows(8, seed=5)
    pdf = scans.image_only_pdf([scans.notice(), scans.relief_list(rows)])
    entry = draft()
    attach(people, entry, "扫描件.pdf", pdf)
    entry = submit(people, entry, django_capture_on_commit_callbacks)

    result = current(entry, "扫描件.pdf")
    ids = list(result.findings.filter(kind="id_card"))
    assert len(ids) == len(rows)
    assert all(f.location.startswith("第2页，识别文字") for f in ids)
    assert sorted(set(tesseract_calls)) == [1, 2]
    assert OcrResult.objects.get().pages == [1, 2]


def test_the_gate_waits_for_ocr_instead_of_running_it(
    draft, people, tesseract_calls, django_capture_on_commit_callbacks
):
    rows = scans.relief_rows(5, seed=9)
    entry = draft()
    attach(people, entry, "名单.png", _png(scans.relief_list(rows)))
    # The background scan has not run (no on-commit capture): the gate finds the scan not recognised yet.
    entry = catalog.submit_for_review(actor=people["drafter"], entry=entry)
    with (
        django_capture_on_commit_callbacks(execute=False) as queued,
        pytest.raises(ValidationFailed, match="扫描件正在识别文字（OCR），完成后才能发布"),
    ):
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    assert tesseract_calls == []
    assert OcrResult.objects.get().state == OcrResult.State.PENDING
    # What the gate queued: the worker recognises the file and scans the entry.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    assert tesseract_calls == [1]
    assert current(entry, "名单.png").findings.filter(kind="id_card").count() == len(rows)
    with pytest.raises(ValidationFailed, match=f"居民身份证号 {len(rows)} 处"):
        catalog.review_pass(actor=people["reviewer"], entry=entry)


def test_a_clean_scanned_notice_passes(draft, people, tesseract_calls, django_capture_on_commit_callbacks):
    entry = draft()
    attach(people, entry, "通知.jpg", scans.jpeg(scans.notice()))
    entry = submit(people, entry, django_capture_on_commit_callbacks)
    result = current(entry, "通知.jpg")
    assert result.status == ScanStatus.CLEAN, result.reason
    entry = catalog.review_pass(actor=people["reviewer"], entry=entry)
    entry = catalog.sign_and_publish(actor=people["signer"], entry=entry)
    assert entry.status == EntryStatus.PUBLISHED
    assert "送温暖" in OcrResult.objects.get().text.replace(" ", "")


def _png(image):
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_without_an_ocr_reader_or_tesseract_a_scan_still_needs_a_person(monkeypatch):
    from gongkai.screening.extract import MANUAL, extract_bytes
    from gongkai.screening.ocrstore import NOT_INSTALLED
    from gongkai.screening.ocrstore import running as ocr_running

    data = _blank_png()
    assert extract_bytes("x.png", data).status == MANUAL  # no reader: as before OCR
    monkeypatch.setattr(ocr, "engine_version", lambda: "")
    ex = extract_bytes("x.png", data, ocr=ocr_running)
    assert ex.status == MANUAL and ex.reason == NOT_INSTALLED


def test_tsv_words_become_lines_whose_findings_name_the_box():
    from gongkai.screening.extract import Segment

    tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = [("1", "1", "1", "10", "50", "40", "40", "张"), ("1", "1", "2", "52", "50", "40", "40", "三")]
    rows.append(("1", "1", "3", "200", "52", "500", "38", "33010219900307l23X"))
    for block, line, word, x, y, w, h, text in rows:
        tsv += f"5\t1\t{block}\t1\t{line}\t{word}\t{x}\t{y}\t{w}\t{h}\t90\t{text}\n"
    words = ocr.parse_tsv(tsv, page=2)
    line = ocr.OcrText("t", [2], words).lines()[0]
    assert line.text == "张三 33010219900307123X"  # no space between Chinese characters; l read as 1
    segment = Segment("第2页，识别文字第1行", line.text, tuple((a, b, w.x, w.y, w.w, w.h) for a, b, w in line.spans()))
    assert segment.where(3, 21) == "第2页，识别文字第1行（左 200，上 52，宽 500，高 38 像素）"
    assert segment.where(0, 2) == "第2页，识别文字第1行（左 10，上 50，宽 82，高 40 像素）"


def _blank_png():
    from PIL import Image

    return _png(Image.new("L", (50, 50), 255))
