import io
import random

import pytest

from gongkai.catalog import services as catalog
from gongkai.catalog.models import EntryStatus
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.screening import services
from gongkai.screening.models import Finding, Resolution
from tests.screening.builders import resident_id, xlsx


@pytest.fixture
def submit(people, django_capture_on_commit_callbacks):
    """Submit as in production: the on-commit receiver runs the scan task and its results are kept."""

    def run(entry):
        with django_capture_on_commit_callbacks(execute=True):
            return catalog.submit_for_review(actor=people["drafter"], entry=entry)

    return run


@pytest.fixture
def risky(draft, submit):
    number = resident_id(random.Random(30))
    entry = draft(body=f"<p>低保户张三，身份证号 {number}，电话 13812345678。</p>")
    return submit(entry), number


def test_gate_blocks_even_when_the_background_scan_never_ran(draft, people):
    # No on-commit capture: the task never ran; the gate scans what is missing itself.
    entry = catalog.submit_for_review(actor=people["drafter"], entry=draft(body="<p>电话 13812345678</p>"))
    with pytest.raises(ValidationFailed, match="手机号码 1 处"):
        catalog.review_pass(actor=people["reviewer"], entry=entry)


def test_high_findings_block_review_and_publication(risky, people):
    entry, _ = risky
    with pytest.raises(ValidationFailed) as exc:
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    [reason] = exc.value.errors["screening"]
    assert "居民身份证号 1 处" in reason and "手机号码 1 处" in reason
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REVIEW


def test_accepting_each_finding_with_a_reason_lets_it_pass(risky, people):
    entry, number = risky
    with pytest.raises(ValidationFailed):
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    findings = list(Finding.objects.filter(result__entry=entry, result__is_current=True))
    assert {f.masked for f in findings} == {f"{number[:6]}********{number[-4:]}", "138****5678"}
    with pytest.raises(ValidationFailed, match="理由"):
        services.accept_finding(actor=people["reviewer"], finding=findings[0], reason="  ")
    with pytest.raises(NotAllowed):
        services.accept_finding(actor=people["drafter"], finding=findings[0], reason="本人同意公开其信息")
    for f in findings:
        services.accept_finding(actor=people["reviewer"], finding=f, reason="本人书面同意公开（见附件同意书）")
    entry = catalog.review_pass(actor=people["reviewer"], entry=entry)
    entry = catalog.sign_and_publish(actor=people["signer"], entry=entry)
    assert entry.status == EntryStatus.PUBLISHED
    accepts = AuditEvent.objects.filter(action="screening.accept")
    assert accepts.count() == 2
    assert all(e.comment == "本人书面同意公开（见附件同意书）" and e.actor_name == "town_reviewer" for e in accepts)
    # Screening's audit events hold the masked value only, never the number itself.
    screening_events = AuditEvent.objects.filter(action__startswith="screening.")
    assert screening_events.count() >= 3
    assert not any(number in str(e.changes) + e.comment for e in screening_events)


def test_one_click_mask_of_a_kind(risky, people):
    entry, number = risky
    outcome = services.mask_findings(actor=people["reviewer"], entry=entry, kind="id_card")
    assert outcome.masked == 1
    entry.refresh_from_db()
    assert number not in entry.body and f"{number[:6]}********{number[-4:]}" in entry.body
    assert "13812345678" in entry.body  # other kinds untouched
    with pytest.raises(ValidationFailed, match="手机号码 1 处"):
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    services.mask_findings(actor=people["reviewer"], entry=entry, kind="mobile")
    entry = catalog.review_pass(actor=people["reviewer"], entry=entry)
    assert entry.status == EntryStatus.SIGNOFF
    assert Finding.objects.filter(resolution=Resolution.MASKED, resolved_by=people["reviewer"]).count() == 2


def test_markers_cannot_be_masked_only_accepted(draft, people, submit):
    entry = submit(draft(body="<p>秘密★1年</p><p>正文</p>"))
    with pytest.raises(ValidationFailed, match="密级标识"):
        services.mask_findings(actor=people["reviewer"], entry=entry, kind="classified")
    with pytest.raises(ValidationFailed, match="密级标识 1 处"):
        catalog.review_pass(actor=people["reviewer"], entry=entry)


def test_spreadsheet_attachment_is_replaced_by_a_masked_copy(draft, people, submit):
    rng = random.Random(31)
    ids = [resident_id(rng) for _ in range(3)]
    entry = draft()
    catalog.add_attachment(
        actor=people["drafter"],
        entry=entry,
        name="名单.xlsx",
        stream=io.BytesIO(xlsx([["身份证号"], *[[n] for n in ids]])),
    )
    entry = submit(entry)
    with pytest.raises(ValidationFailed, match=r"“名单\.xlsx”有未处理的高风险信息：居民身份证号 3 处"):
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    outcome = services.mask_findings(actor=people["reviewer"], entry=entry, kind="id_card")
    assert outcome.masked == 3 and outcome.replaced == ["名单.xlsx → 名单（已打码）.xlsx"]
    live = list(entry.attachments.filter(replaced_at__isnull=True))
    assert [a.original_name for a in live] == ["名单（已打码）.xlsx"]
    assert catalog.review_pass(actor=people["reviewer"], entry=entry).status == EntryStatus.SIGNOFF


def test_pdf_attachment_is_refused_and_stays_blocking(draft, people, submit):
    from tests.screening.builders import text_pdf

    entry = draft()
    data = text_pdf([f"ID {resident_id(random.Random(32))}"])
    catalog.add_attachment(actor=people["drafter"], entry=entry, name="名单.pdf", stream=io.BytesIO(data))
    entry = submit(entry)
    with pytest.raises(ValidationFailed):
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    outcome = services.mask_findings(actor=people["reviewer"], entry=entry, kind="id_card")
    assert outcome.masked == 0 and "PDF 不能自动打码" in outcome.refused[0]
    with pytest.raises(ValidationFailed, match=r"名单\.pdf"):
        catalog.review_pass(actor=people["reviewer"], entry=entry)


def test_unreadable_attachment_needs_the_reviewers_manual_conclusion(draft, people, submit):
    from gongkai.screening.models import ScanResult, ScanStatus
    from tests.screening.builders import image_pdf

    # A scanned page with nothing OCR can read (a photo, a stamp): a person must look at it.
    entry = draft()
    blank = image_pdf(text="")
    catalog.add_attachment(actor=people["drafter"], entry=entry, name="扫描件.pdf", stream=io.BytesIO(blank))
    entry = submit(entry)
    with pytest.raises(ValidationFailed, match="需人工审查"):
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    result = ScanResult.objects.get(entry=entry, is_current=True, status=ScanStatus.MANUAL)
    services.accept_result(actor=people["reviewer"], result=result, reason="已逐页人工核对，无个人信息")
    assert catalog.review_pass(actor=people["reviewer"], entry=entry).status == EntryStatus.SIGNOFF
