"""Journey 3 of spec/journeys.md in real Chromium, at both sizes: a registered letter signed for on 2025-12-31 is
entered by the officer and answered on 2026-01-16. It is new in 2025 and carried over (四) in the 2025 report,
carried in (二) and handled in 2026 — as the report pages show them. Every page: screenshot and axe-core."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.applications.models import Application
from gongkai.reports.annual import annual_report_data
from tests.journeys.walk import Walk, act, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATURAL, TOTAL = 0, -1  # table 三's first and last columns


def test_journey_3_a_letter_signed_for_on_31_december_counts_in_both_years(
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], today: Any, size: str
) -> None:
    walk = Walk("journey3", size)
    base = live_server.url
    today(date(2025, 12, 31))
    office = login(chromium, base, staff["admin"], walk.viewport)
    office.goto(f"{base}/staff/applications/new/")
    walk.see(office, "enter-form")
    office.select_option("#id_channel", "letter_registered")
    office.fill("#id_submitted_on", "2025-12-27")  # posted before the holiday
    office.fill("#id_received_on", "2025-12-31")  # signed for: the day received (Art. 31 (2))
    office.select_option("#id_applicant_type", "natural_person")
    office.fill("#id_name", "李桂英")
    office.select_option("#id_id_type", "resident_id")
    office.fill("#id_id_number", "11010519491231002X")
    office.fill("#id_phone", "13800138000")
    office.fill("#id_address", "清河县东山镇人民路8号")
    office.fill("#id_description", "2025年东山村低保资金发放明细")
    office.check("#id_info_form input[value=paper]")
    office.check("#id_delivery input[value=post]")
    with office.expect_navigation():
        office.click("button:has-text('登记')")
    app = Application.objects.get(name="李桂英")
    assert app.channel == "letter_registered"
    assert "2025-12-31" in office.locator("main").inner_text()
    walk.see(office, "case-entered")

    today(date(2026, 1, 16))
    office.goto(f"{base}/staff/applications/{app.pk}/")
    act(office, "reply", {"on": "2026-01-16", "result": "granted", "content": "已按申请提供发放明细"})
    assert "已答复" in office.locator("h1").inner_text()
    walk.see(office, "case-replied")

    y2025 = annual_report_data(tree.town, 2025)["applications"]["rows"]
    y2026 = annual_report_data(tree.town, 2026)["applications"]["rows"]
    assert y2025["new"][NATURAL] == 1 and y2025["carried_over"][TOTAL] == 1 and y2025["total_handled"][TOTAL] == 0
    assert y2026["carried_in"][TOTAL] == 1 and y2026["new"][TOTAL] == 0 and y2026["total_handled"][TOTAL] == 1
    assert y2025["carried_over"] == y2026["carried_in"]

    for year in (2025, 2026):
        office.goto(f"{base}/staff/reports/annual/{tree.town.code}/{year}/")
        walk.see(office, f"report-{year}")
    walk.assert_clean()
