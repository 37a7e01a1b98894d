"""The pages, letters and reports that now read their periods from the rules table print the same words as
when the numbers were typed in (issue 15 moved the numbers, not the texts)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import handling, letters
from gongkai.catalog.models import Category
from gongkai.catalog.timeliness import lag_workdays
from gongkai.reports.bulletin import COLUMNS, bulletin_data, to_html
from tests.applications.conftest import receive, today  # noqa: F401  (fixtures)
from tests.factories import PASSWORD


def page(client, user, url):
    client.login(username=user.username, password=PASSWORD)
    return client.get(url).content.decode()


def test_case_page(client, receive, people, today):  # noqa: F811
    today(date(2025, 3, 12))
    app = receive(date(2025, 3, 3))
    url = reverse("applications_staff:detail", args=[app.pk])
    assert "补正通知（收到后7个工作日内，一次性）" in page(client, people["drafter"], url)
    handling.start_consultation(
        actor=people["drafter"], application=app, on=date(2025, 3, 10), party="other_agency", who="清河县自然资源局"
    )
    assert "前答复（15 个工作日）" in client.get(url).content.decode()  # Art. 34 for another agency
    listing = client.get(reverse("applications_staff:list")).content.decode()
    assert "5个工作日内到期" in listing


def test_letters_fill_the_periods(receive, people, today):  # noqa: F811
    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    handling.start_consultation(
        actor=people["drafter"], application=app, on=date(2025, 3, 10), party="third_party", who="东山建材有限公司"
    )
    handling.end_consultation(actor=people["drafter"], application=app, on=date(2025, 3, 12))
    handling.issue_fee_notice(
        actor=people["drafter"], application=app, on=date(2025, 3, 14), basis="per_page", quantity=120
    )
    on = date(2025, 3, 20)
    consultation = letters.fill(
        letters.template_for(app, "consultation").body, letters.context(app, "consultation", on)
    )
    fee = letters.fill(letters.template_for(app, "fee").body, letters.context(app, "fee", on))
    assert "（自收到本函之日起15个工作日内）" in consultation
    assert "请自收到本通知之次日起20个工作日内（即" in fee
    assert "{" not in consultation + fee  # every placeholder filled
    wording = letters.appeal_wording(app, on)
    assert "之日起六十日内向" in wording and "之日起六个月内向人民法院" in wording


@pytest.mark.usefixtures("calendar_until_next_year")
def test_staff_dashboard_and_entry_page(client, people, draft, publish):
    now = timezone.localdate()
    formed = next(now - timedelta(days=k) for k in range(21, 80) if lag_workdays(now - timedelta(days=k), now) == 21)
    late = publish(draft(formed_date=formed))
    assert late.published_late
    dashboard = page(client, people["admin"], reverse("staff:dashboard"))
    assert "公开时限预警（《条例》第二十六条：形成或变更之日起 20 个工作日内公开）" in dashboard
    detail = client.get(reverse("staff:entry_detail", args=[late.pk])).content.decode()
    assert "（超过 20 个工作日时限）" in detail


def test_guide_page(client, tree):
    guide = client.get("/dongshan/guide/").content.decode()
    for sentence in (
        "自该信息形成或者变更之日起 20 个工作日内予以公开",
        "自收到申请之日起 20 个工作日内予以答复",
        "延长期限最长不超过 20 个工作日。",
        "在收到申请之日起 7 个工作日内一次性告知补正",
    ):
        assert sentence in guide, sentence


def test_bulletin_and_catalog_labels(tree, today):  # noqa: F811
    today(date(2025, 7, 10))
    html = to_html(bulletin_data(tree.county, "2025-06"))
    assert "按时发布指成文后20个工作日内发布（《条例》第二十六条）；两周以上未更新的单位列为“死网”预警" in html
    assert "<strong>两周以上未更新：" in html
    assert dict(COLUMNS)["dead"] == "两周以上未更新"
    choices = dict(Category._meta.get_field("freshness").choices)
    assert choices == {"none": "无", "dynamic": "动态类（2周）", "policy": "政策文件/通知公告类（6个月）"}
