"""The county bulletin (`gongkai report bulletin`, the 通报 page and its files) carries each unit's latest
self-inspection score and its 整改通知书 past their deadline (issue 19), registered by the inspection app because
reports sits below it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.inspection import rectify, services
from gongkai.inspection.models import Rectification
from gongkai.reports import bulletin

pytestmark = pytest.mark.usefixtures("calendar_until_next_year")


def _period() -> str:
    return f"{timezone.localdate():%Y-%m}"


def test_scores_and_overdue_notices_per_unit(client, people, tree, today):
    run = services.run_inspection(actor=None, unit=tree.town, today=today)
    notice = rectify.issue(actor=people["supervisor"], run=run, picked=[0], workdays=1)
    Rectification.objects.filter(pk=notice.pk).update(due_date=today - timedelta(days=1))
    data = bulletin.bulletin_data(tree.county, _period())
    by_name = {r["name"]: r for r in data["rows"]}
    town, street = by_name[tree.town.name], by_name[tree.street.name]
    assert town["inspection_score"] == run.score and town["rectify_overdue"] == 1
    assert street["inspection_score"] is None and street["rectify_overdue"] == 0
    assert town["extra_cells"] == [run.score, 1] and street["extra_cells"] == ["—", 0]
    assert data["extra_columns"] == [
        ["inspection_score", "网站自查得分"],
        ["rectify_overdue", "逾期未整改通知书（份）"],
    ]

    html = bulletin.to_html(data)
    assert '<th scope="col">网站自查得分</th>' in html and "逾期未整改通知书（份）" in html
    ws = load_workbook(io.BytesIO(bulletin.to_xlsx(data)))["通报"]
    header = [c.value for c in ws[3]]
    assert header[-2:] == ["网站自查得分", "逾期未整改通知书（份）"]

    client.force_login(people["supervisor"])
    query = {"org": tree.county.code, "period": _period(), "sort": "rectify_overdue", "desc": "1"}
    page = client.get(reverse("reports:bulletin"), query)
    assert page.status_code == 200 and "网站自查得分" in page.content.decode()


def test_an_answered_notice_is_not_overdue(people, tree, today):
    run = services.run_inspection(actor=None, unit=tree.town, today=today)
    notice = rectify.issue(actor=people["supervisor"], run=run, picked=[0], workdays=1)
    rectify.take(actor=people["admin"], notice=notice, step="answer", text="已在空白栏目发布信息。")
    Rectification.objects.filter(pk=notice.pk).update(due_date=today - timedelta(days=1))
    town = next(r for r in bulletin.bulletin_data(tree.county, _period())["rows"] if r["code"] == tree.town.code)
    assert town["rectify_overdue"] == 0
