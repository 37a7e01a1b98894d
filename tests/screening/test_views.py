import random

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client

from gongkai.catalog import services as catalog
from gongkai.screening import selectors
from gongkai.screening.models import Finding, Resolution
from tests.screening.builders import resident_id


@pytest.fixture
def entry(draft, people, django_capture_on_commit_callbacks):
    number = resident_id(random.Random(70))
    with django_capture_on_commit_callbacks(execute=True):  # the scan runs when the content is written
        return catalog.submit_for_review(actor=people["drafter"], entry=draft(body=f"<p>张三 {number} 13812345678</p>"))


def client_for(user):
    c = Client(enforce_csrf_checks=False)
    c.force_login(user)
    return c


def test_fragment_lists_masked_findings_and_actions(entry, people):
    view = selectors.entry_findings(entry, people["reviewer"])
    html = render_to_string("screening/_findings.html", {"view": view})
    assert "有 2 处高风险信息尚未打码或确认" in html
    assert "一键打码：居民身份证号（1 处）" in html and "138****5678" in html
    assert "13812345678" not in html
    assert "<script" not in html


def test_mask_view_masks_and_reports(entry, people):
    response = client_for(people["reviewer"]).post(f"/staff/screening/entries/{entry.pk}/mask/", {"kind": "mobile"})
    assert response.status_code == 302 and response.url == f"/staff/screening/entries/{entry.pk}/"
    entry.refresh_from_db()
    assert "138****5678" in entry.body
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已打码 1 处"]


def test_accept_view_requires_a_reason_and_the_reviewer(entry, people):
    finding = Finding.objects.filter(result__entry=entry, kind="id_card").get()
    url = f"/staff/screening/findings/{finding.pk}/accept/"
    response = client_for(people["reviewer"]).post(url, {"reason": ""})
    assert "确认理由" in next(str(m) for m in get_messages(response.wsgi_request))
    client_for(people["drafter"]).post(url, {"reason": "本人同意公开"})
    finding.refresh_from_db()
    assert finding.resolution == Resolution.OPEN
    client_for(people["reviewer"]).post(url, {"reason": "本人书面同意公开"})
    finding.refresh_from_db()
    assert finding.resolution == Resolution.ACCEPTED and finding.resolved_by == people["reviewer"]


def test_get_is_not_allowed_on_actions(entry, people):
    assert client_for(people["reviewer"]).get(f"/staff/screening/entries/{entry.pk}/mask/").status_code == 405


def test_actions_return_to_the_page_they_were_taken_on_but_never_off_site(entry, people):
    c = client_for(people["reviewer"])
    page = f"/staff/entries/{entry.pk}/"
    response = c.post(f"/staff/screening/entries/{entry.pk}/mask/", {"kind": "mobile", "next": page})
    assert response.status_code == 302 and response.url == page
    for bad in ("https://evil.example/staff/", "//evil.example/staff/", "/apply/"):
        response = c.post(f"/staff/screening/entries/{entry.pk}/rescan/", {"next": bad})
        assert response.url == f"/staff/screening/entries/{entry.pk}/", bad
