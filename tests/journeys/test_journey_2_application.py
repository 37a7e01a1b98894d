"""Journey 2 of spec/journeys.md end to end in real Chromium, at both sizes: 王先生 asks for a land-compensation
document on the public form (his ID number checked, nothing typed lost), gets a tracking number and a query
code; the office confirms receipt, asks for 补正 on day 3, records his answer a week later, consults the company
(15 working days, the clock paused), extends by 10 working days with the head's approval, replies 部分公开 with
the letter in PDF and DOCX; the case page explains every day; he tracks the case, sees 已答复 and downloads the
letter; he files 行政复议, which the 2025 report's table 四 counts as 尚未审结. Every page: screenshot and axe."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gongkai.applications.models import Application
from gongkai.reports.annual import annual_report_data
from gongkai.workdays.calendar import calendar
from tests.journeys.walk import Walk, act, login, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journey_2_a_citizen_applies_the_office_works_the_clock_and_he_tracks_the_reply(
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], today: Any, size: str
) -> None:
    walk = Walk("journey2", size)
    base = live_server.url
    today(date(2025, 4, 1))
    citizen = chromium.new_context(viewport=walk.viewport, accept_downloads=True).new_page()
    citizen.set_default_timeout(20_000)
    citizen.goto(f"{base}/apply/{tree.town.slug}/")
    walk.see(citizen, "citizen-form")
    citizen.select_option("#id_applicant_type", "natural_person")
    citizen.fill("#id_name", "王建国")
    citizen.select_option("#id_id_type", "resident_id")
    citizen.fill("#id_id_number", "110105194912310021")  # check character wrong
    citizen.fill("#id_phone", "13800138000")
    citizen.fill("#id_email", "wang@example.com")
    citizen.fill("#id_description", "2024年某村土地征收补偿标准")
    citizen.click("button:has-text('提交申请')")
    citizen.wait_for_selector(".apply-error")
    assert "校验" in citizen.locator(".apply-error").first.inner_text()
    assert citizen.input_value("#id_description") == "2024年某村土地征收补偿标准"  # nothing typed is lost
    walk.see(citizen, "citizen-id-error")
    citizen.fill("#id_id_number", "11010519491231002X")
    citizen.click("button:has-text('提交申请')")
    citizen.wait_for_selector("text=申请已提交")
    assert no_sideways_scroll(citizen)
    walk.see(citizen, "citizen-receipt")
    numbers = citizen.locator(".apply-receipt .big").all_inner_texts()
    tracking, code = numbers[0].strip(), numbers[1].strip()
    assert tracking.startswith(f"YSQ-{tree.town.code}-")

    # 2. the office confirms receipt: the 20 working days start
    office = login(chromium, base, staff["admin"], walk.viewport)
    office.goto(f"{base}/staff/applications/")
    walk.see(office, "office-queue")
    office.click(f"text={tracking}")
    walk.see(office, "office-case-new")
    act(office, "receive", {"received_on": "2025-04-01"})
    assert office.locator("text=已确认收到申请").count()
    # 3. unclear: 补正 on day 3; his answer a week later restarts the clock from that day
    today(date(2025, 4, 10))
    act(office, "correction_request", {"on": "2025-04-03", "items": "请写明村名", "due": "2025-04-17"})
    act(office, "correction_receive", {"on": "2025-04-10"})
    # 4. the company is consulted; the main clock is paused
    today(date(2025, 4, 30))
    act(
        office,
        "consultation_start",
        {"on": "2025-04-14", "party": "third_party", "who": "东山建材有限公司", "matter": "补偿协议"},
    )
    walk.see(office, "office-consulting")
    act(office, "consultation_end", {"on": "2025-04-30", "outcome": "反对公开两段"})
    # 5. the head approves a 10-working-day extension; the applicant is told the same day
    today(date(2025, 5, 28))
    act(
        office,
        "extend",
        {
            "on": "2025-05-20",
            "days": "10",
            "reason": "需调取档案",
            "approved_by": str(staff["signer"].pk),
            "notified_on": "2025-05-20",
        },
    )
    # 6. reply 部分公开 with the letter
    act(
        office, "reply", {"on": "2025-05-28", "result": "partly_granted", "content": "涉及第三方商业秘密的两段不予公开"}
    )
    act(office, "letter", {"kind": "partial", "on": "2025-05-28"})  # numbered at once, rendered in the background
    assert "东山镇政公开〔2025〕1号" in office.locator("main").inner_text()
    walk.see(office, "office-letter")
    for fmt in ("PDF", "DOCX"):
        with office.expect_download() as download:
            office.click(f"main a:has-text('下载 {fmt}')")
        data = Path(download.value.path()).read_bytes()
        assert data.startswith(b"%PDF-" if fmt == "PDF" else b"PK"), fmt
    office.click("text=← 返回申请")
    main = office.locator("main").inner_text()
    for phrase in ("收到补正后的申请", "暂停", "延长 10 个工作日", "部分公开", "政府信息公开申请答复书"):
        assert phrase in main, phrase
    walk.see(office, "office-replied")

    # 7. he checks with his number and code: 已答复, and the letter
    today(date(2025, 6, 3))
    citizen.goto(f"{base}/apply/track/")
    walk.see(citizen, "citizen-track-form")
    citizen.fill("#id_tracking", tracking)
    citizen.fill("#id_code", code)
    citizen.click("button:has-text('查询')")
    citizen.wait_for_selector("text=办理情况")
    status = citizen.locator(".apply-status").inner_text()
    assert "已答复" in status, status
    assert "王建国" not in citizen.content() and "11010519491231002X" not in citizen.content()
    assert no_sideways_scroll(citizen)
    walk.see(citizen, "citizen-replied")
    with citizen.expect_download() as download:
        citizen.click("text=政府信息公开申请答复书")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    # 8. 行政复议: next January's report counts it as not yet concluded
    today(date(2025, 6, 20))
    office.goto(f"{base}/staff/applications/{Application.objects.get(tracking_number=tracking).pk}/")
    act(office, "appeal", {"kind": "reconsideration", "filed_on": "2025-06-20", "authority": "清河县人民政府"})
    assert "尚未审结" in office.locator("#appeals").inner_text()
    walk.see(office, "office-appeal")
    app = Application.objects.get(tracking_number=tracking)
    assert app.status == "replied"
    table4 = annual_report_data(tree.town, 2025)["appeals"]
    assert table4["reconsideration"]["pending"] == 1, table4
    walk.assert_clean()


def test_the_deadline_the_citizen_sees_is_twenty_working_days_from_receipt(
    chromium: Any, live_server: Any, tree: Any, staff: dict[str, Any], calendar_until_next_year: None, size: str
) -> None:
    """The same journey's first days on the wall clock: what he reads right after the office confirms."""
    walk = Walk("journey2-clock", size)
    base = live_server.url
    citizen = chromium.new_context(viewport=walk.viewport).new_page()
    citizen.set_default_timeout(20_000)
    citizen.goto(f"{base}/apply/{tree.town.slug}/")
    citizen.select_option("#id_applicant_type", "natural_person")
    citizen.fill("#id_name", "王建国")
    citizen.select_option("#id_id_type", "resident_id")
    citizen.fill("#id_id_number", "11010519491231002X")
    citizen.fill("#id_phone", "13800138000")
    citizen.fill("#id_email", "wang@example.com")
    citizen.fill("#id_description", "2024年某村土地征收补偿标准")
    citizen.click("button:has-text('提交申请')")
    citizen.wait_for_selector("text=申请已提交")
    numbers = citizen.locator(".apply-receipt .big").all_inner_texts()
    tracking, code = numbers[0].strip(), numbers[1].strip()
    office = login(chromium, base, staff["admin"], walk.viewport)
    office.goto(f"{base}/staff/applications/")
    office.click(f"text={tracking}")
    on = office.evaluate("new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)")
    act(office, "receive", {"received_on": on})
    due = calendar.add(date.fromisoformat(on), 20)
    citizen.goto(f"{base}/apply/track/")
    citizen.fill("#id_tracking", tracking)
    citizen.fill("#id_code", code)
    citizen.click("button:has-text('查询')")
    citizen.wait_for_selector("text=办理情况")
    status = citizen.locator(".apply-status").inner_text()
    assert on in status and due.isoformat() in status
    walk.see(citizen, "citizen-deadline")
    walk.assert_clean()
