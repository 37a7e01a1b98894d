import io
import random

from gongkai.catalog import services as catalog
from gongkai.screening.models import ScanResult, ScanStatus
from tests.screening.builders import resident_id


def test_submission_runs_the_scan_in_a_task(draft, people, django_capture_on_commit_callbacks):
    number = resident_id(random.Random(40))
    entry = draft(summary="公示名单", body="<p>正文</p>")
    data = f"姓名,身份证号\n张三,{number}\n".encode()
    catalog.add_attachment(actor=people["drafter"], entry=entry, name="名单.csv", stream=io.BytesIO(data))
    with django_capture_on_commit_callbacks(execute=True):
        catalog.submit_for_review(actor=people["drafter"], entry=entry)
    results = {r.label: r for r in ScanResult.objects.filter(entry=entry, is_current=True)}
    assert set(results) == {"标题、概述和正文", "名单.csv"}
    assert results["标题、概述和正文"].status == ScanStatus.CLEAN
    assert results["名单.csv"].status == ScanStatus.FOUND and results["名单.csv"].high_count == 1
    assert results["名单.csv"].findings.get().location == "第2行 第B列"


def test_unchanged_parts_are_not_scanned_twice_and_edits_are(draft, people, django_capture_on_commit_callbacks):
    entry = draft(body="<p>正文</p>")
    with django_capture_on_commit_callbacks(execute=True):
        entry = catalog.submit_for_review(actor=people["drafter"], entry=entry)
    catalog.review_pass(actor=people["reviewer"], entry=entry)  # the gate finds a current verdict
    assert ScanResult.objects.filter(entry=entry).count() == 1
    entry = catalog.sign_return(actor=people["signer"], entry=entry, comment="补充联系方式")
    catalog.update_draft(actor=people["drafter"], entry=entry, body="<p>联系人 13812345678</p>")
    with django_capture_on_commit_callbacks(execute=True):
        catalog.submit_for_review(actor=people["drafter"], entry=entry)
    current = ScanResult.objects.get(entry=entry, is_current=True)
    assert current.high_count == 1 and ScanResult.objects.filter(entry=entry).count() == 2
