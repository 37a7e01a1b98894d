"""The citizen's tracking page shows the case's steps (issue 21): received, 征求意见 (Art. 32, with the pause it
caused), 延期 (Art. 33), each with its date and what it did to the deadline — and none of the staff's notes, the
approving leader's name or the consulted third party."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from gongkai.applications import handling, intake

from .conftest import applicant


def test_the_tracking_page_shows_the_timeline_without_internal_details(client, tree, people, today):
    today(date(2025, 4, 30))
    app, code = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="in_person", received_on=date(2025, 3, 3)
    )
    handling.start_consultation(
        actor=people["drafter"],
        application=app,
        on=date(2025, 3, 10),
        party="third_party",
        who="清河县某某建材有限公司",
    )
    handling.end_consultation(actor=people["drafter"], application=app, on=date(2025, 3, 14), outcome="不同意公开")
    app.refresh_from_db()
    handling.extend(
        actor=people["drafter"], application=app, on=date(2025, 3, 27), days=10, reason="需调取村档案核对",
        approved_by=people["signer"], notified_on=date(2025, 3, 28),
    )  # fmt: skip
    html = client.post(reverse("applications:track"), {"tracking": app.tracking_number, "code": code}).content
    page = html.decode()
    steps = page.split('<ol class="apply-timeline">')[1].split("</ol>")[0]
    order = [steps.index(label) for label in ("收到申请", "开始征求意见", "征求意见结束", "延长答复期限")]
    assert order == sorted(order)
    assert "2025年3月10日" in steps and "征求意见的时间不计算在答复期限内" in steps
    assert "（暂停 4 个工作日，不计入答复期限）" in steps  # 03-11 … 03-14
    assert "（延长 10 个工作日）" in steps
    for internal in ("某某建材", "不同意公开", "需调取村档案", people["signer"].get_full_name() or "town_signer"):
        assert internal not in page, internal
