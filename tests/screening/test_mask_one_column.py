"""保密审查 "mask all ID numbers in column C" (issue 21): one column of one spreadsheet attachment is masked in one
action from the findings summary; the entry's text and the other columns stay as they were, their findings stay
open, and the masking is audited with the column."""

from __future__ import annotations

import io
import random

import openpyxl
import pytest
from django.urls import reverse

from gongkai.catalog import services as catalog
from gongkai.core.errors import ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.screening import services
from gongkai.screening.mask import Column, mask_csv, mask_xlsx
from gongkai.screening.models import Finding, Resolution
from tests.screening.builders import resident_id, xlsx

PLACE = "工作表“名单” 第B列"


@pytest.fixture
def submit(people, django_capture_on_commit_callbacks):
    def run(entry):
        with django_capture_on_commit_callbacks(execute=True):
            return catalog.submit_for_review(actor=people["drafter"], entry=entry)

    return run


@pytest.fixture
def roster(draft, people, submit):
    rng = random.Random(41)
    own, guardians, in_body = (
        [resident_id(rng) for _ in range(3)],
        [resident_id(rng) for _ in range(3)],
        resident_id(rng),
    )
    entry = draft(body=f"<p>联系人身份证号 {in_body}。</p>")
    rows = [["姓名", "身份证号", "监护人身份证号"], *[[f"户主{i}", own[i], guardians[i]] for i in range(3)]]
    att = catalog.add_attachment(actor=people["drafter"], entry=entry, name="名单.xlsx", stream=io.BytesIO(xlsx(rows)))
    return submit(entry), att, own, guardians, in_body


def _cells(entry) -> list[list[str]]:
    [live] = entry.attachments.filter(replaced_at__isnull=True)
    with live.file.open("rb") as fh:
        book = openpyxl.load_workbook(io.BytesIO(fh.read()))
    return [[str(c.value) for c in row] for row in book["名单"].iter_rows()]


def test_one_column_is_masked_and_the_rest_stays(roster, people):
    entry, att, own, guardians, in_body = roster
    outcome = services.mask_findings(
        actor=people["reviewer"], entry=entry, kind="id_card", attachment_id=att.pk, place=PLACE
    )
    assert outcome.masked == 3 and outcome.replaced == ["名单.xlsx → 名单（已打码）.xlsx"]
    cells = _cells(entry)
    assert [row[1] for row in cells[1:]] == [n[:6] + "********" + n[-4:] for n in own]
    assert [row[2] for row in cells[1:]] == guardians  # column C untouched
    entry.refresh_from_db()
    assert in_body in entry.body  # the text fields are not part of a column's masking
    still_open = Finding.objects.filter(result__entry=entry, result__is_current=True, resolution=Resolution.OPEN)
    places = sorted({f.location.split(" ")[-1] for f in still_open if f.result.attachment_id})
    assert places == ["第C列"] and still_open.filter(result__attachment__isnull=True).count() == 1
    event = AuditEvent.objects.get(action="screening.mask")
    assert event.comment == f"居民身份证号（{PLACE}）" and event.changes["place"] == PLACE


def test_a_place_that_is_not_a_column_is_refused_in_chinese(roster, people):
    entry, att, *_ = roster
    for place, attachment_id in (("第一页", att.pk), (PLACE, None)):
        with pytest.raises(ValidationFailed) as caught:
            services.mask_findings(
                actor=people["reviewer"], entry=entry, kind="id_card", attachment_id=attachment_id, place=place
            )
        assert "不是表格附件中的一列" in caught.value.errors["place"][0]
    assert not AuditEvent.objects.filter(action="screening.mask").exists()


def test_the_summary_offers_the_column_button_and_it_works(client, roster, people):
    entry, att, *_ = roster
    client.force_login(people["reviewer"])
    page = client.get(reverse("staff:entry_detail", args=[entry.pk])).content.decode()
    assert f'<input type="hidden" name="place" value="{PLACE}">' in page
    assert "打码本列居民身份证号（3 处）" in page
    url = reverse("screening:mask", args=[entry.pk])
    done = client.post(url, {"kind": "id_card", "attachment": att.pk, "place": PLACE}, follow=True).content.decode()
    assert "已打码 3 处" in done
    bad = client.post(url, {"kind": "id_card", "place": PLACE}, follow=True).content.decode()
    assert "请在扫描结果的汇总表中选择要打码的附件和列" in bad


def test_the_maskers_keep_to_their_column():
    rng = random.Random(42)
    a, b = resident_id(rng), resident_id(rng)
    data = f"甲,{a},{b}\r\n".encode()
    masked, count = mask_csv(data, {"id_card"}, column=Column(None, "C"))
    assert count == 1 and masked.decode().startswith(f"甲,{a},") and b not in masked.decode()
    _book, count = mask_xlsx(xlsx([[a, b]], title="名单"), {"id_card"}, column=Column("别的表", "A"))
    assert count == 0  # a column of another sheet: nothing of this sheet is masked
    assert Column.parse(PLACE) == Column("名单", "B") and Column.parse("第AB列") == Column(None, "AB")
    assert Column.parse("第3行") is None
