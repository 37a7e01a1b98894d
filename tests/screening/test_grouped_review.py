"""Screening review at the scale of a real list (issue 21): findings grouped by kind and by sheet/column with
counts, the long list folded away, one action that masks every high-risk kind (each kind still its own audited
masking), and the open-finding count in the review queue."""

from __future__ import annotations

import io
import random

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client

from gongkai.catalog import services as catalog
from gongkai.core.models import AuditEvent
from gongkai.screening import selectors
from gongkai.screening.models import Finding, Resolution
from tests.screening.builders import mobile, resident_id, xlsx


@pytest.fixture
def entry(draft, people, django_capture_on_commit_callbacks):
    rng = random.Random(21)
    rows = [["序号", "姓名", "身份证号码", "联系电话"]]
    rows += [[i, f"户主{i}", resident_id(rng), mobile(rng)] for i in range(1, 38)]
    body = f"<p>联系人 {mobile(rng)}</p>"
    with django_capture_on_commit_callbacks(execute=True):
        e = draft(body=body)
        catalog.add_attachment(actor=people["drafter"], entry=e, name="低保名单.xlsx", stream=io.BytesIO(xlsx(rows)))
        return catalog.submit_for_review(actor=people["drafter"], entry=e)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_place_of_a_cell_is_its_sheet_and_column():
    assert selectors.place_of("工作表“名单” 第17行 第C列") == "工作表“名单” 第C列"
    assert selectors.place_of("第3行 第AB列") == "第AB列"
    assert selectors.place_of("第2段") == ""


def test_37_ids_in_column_c_are_one_line_and_the_list_is_folded(entry, people):
    view = selectors.entry_findings(entry, people["reviewer"])
    sheet = next(r for r in view.results if r.attachment_id)
    groups = [(g.label, g.place, g.total, g.open) for g in view.groups[sheet.pk]]
    assert ("居民身份证号", "工作表“名单” 第C列", 37, 37) in groups
    assert any(place == "工作表“名单” 第D列" and total == 37 for _, place, total, _ in groups)
    html = render_to_string("screening/_findings.html", {"view": view})
    assert "按类型和位置汇总" in html and "<details>" in html and "逐条查看（74 处）" in html
    assert "一键打码所有高风险信息（75 处）" in html


def test_mask_all_high_masks_every_kind_each_audited(entry, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["reviewer"]).post(
            f"/staff/screening/entries/{entry.pk}/mask/", {"kind": "all_high"}
        )
    assert response.status_code == 302
    open_high = Finding.objects.filter(
        result__entry=entry, result__is_current=True, resolution=Resolution.OPEN, severity="high"
    )
    assert not open_high.exists()
    masks = AuditEvent.objects.filter(action="screening.mask", object_id=str(entry.pk))
    assert masks.count() == 2  # 居民身份证号 and 手机号: one masking each


def test_mask_all_high_with_nothing_left_says_so(draft, people):
    e = draft(body="<p>各村：做好冬季防火。</p>")
    response = client_for(people["reviewer"]).post(f"/staff/screening/entries/{e.pk}/mask/", {"kind": "all_high"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["没有可以打码的未处理高风险信息"]


def test_the_review_queue_shows_the_open_findings(entry, people):
    html = client_for(people["reviewer"]).get("/staff/review/").content.decode()
    assert "待处理扫描结果" in html and "75 处（高风险 75）" in html
