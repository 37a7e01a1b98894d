"""The annual-report editor (issue 21): every cross-check of §2.3/§2.4 is listed beside the text boxes with
pass/fail and its numbers, and the prompts the defaults leave (“（请填写…）”) block submission until the
office has replaced them — the draft is still saved, and what was typed stays on the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.core.errors import ValidationFailed
from gongkai.reports import annual, narrative, services
from gongkai.reports.models import AnnualReport
from tests.factories import PASSWORD


@pytest.fixture
def admin_client(client, people):
    assert client.login(username=people["admin"].username, password=PASSWORD)
    return client


def test_the_editor_lists_every_check_and_the_prompts_left(admin_client, two_years):
    html = admin_client.get(reverse("reports:annual", args=["QH0101", 2025])).content.decode()
    assert "校验结果" in html
    for label in annual.CHECKS.values():
        assert label.replace("“", "&ldquo;") in html or label in html
    assert html.count('<li class="ok">') >= len(annual.CHECKS)  # the demo-like cases balance
    assert "处提示文字待替换" in html and 'id="not-ready"' in html


def test_check_summary_shows_a_failure_with_its_numbers():
    failed = [
        {"check": "balance", "message": "表三“总计”列：一、本年新收（3）+ 二、上年结转（1）≠ …", "column": "total"}
    ]
    rows = {r["check"]: r for r in annual.check_summary(failed)}
    assert set(rows) == set(annual.CHECKS)
    assert not rows["balance"]["passed"] and rows["balance"]["messages"] == [failed[0]["message"]]
    assert all(r["passed"] for key, r in rows.items() if key != "balance")


def test_prompts_are_found():
    text = narrative.section_5({"entries": {"timeliness": {"over_limit": 0}}})
    assert narrative.unfilled(text) == ["（请填写存在的主要问题及改进情况。）"]
    assert narrative.unfilled("本年度未发现突出问题。") == []


def test_a_report_with_prompts_left_is_not_submitted_but_is_saved(admin_client, people, tree, two_years):
    url = reverse("reports:annual", args=["QH0101", 2024])
    response = admin_client.post(
        url, {"action": "submit", "section_1": "我们2024年的总体情况", "section_5": "", "fees_wan_yuan": "0"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "“五、存在的主要问题及改进情况”中还有未替换的提示文字（请填写存在的主要问题及改进情况。）" in html
    assert "我们2024年的总体情况" in html  # what was typed stays
    report = AnnualReport.objects.get(unit=tree.town, year=2024)
    assert report.section_1 == "我们2024年的总体情况" and report.entry is None  # saved, not submitted
    with pytest.raises(ValidationFailed) as exc:
        services.submit_for_publication(actor=people["admin"], unit=tree.town, year=2024)
    assert set(exc.value.errors) >= {"section_5", "section_6"}
