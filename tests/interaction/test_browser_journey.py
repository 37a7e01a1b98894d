"""A villager on a phone leaves a message, staff answer it, the villager reads the answer and rates it
(Chromium against a live server, mobile viewport)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gongkai.accounts.models import PasswordState
from gongkai.interaction.models import Message
from tests.browser import DESKTOP, PHONE, SHOTS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser: Any, base: str, user: Any) -> Any:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/staff/$"))
    return page


def test_villager_asks_on_a_phone_then_reads_and_rates_the_answer(
    chromium: Any, live_server: Any, tree: Any, people: dict[str, Any], calendar_until_next_year: None
) -> None:
    PasswordState.objects.update(must_change=False)
    base = live_server.url
    villager = chromium.new_context(viewport=PHONE).new_page()
    villager.set_default_timeout(20_000)
    villager.goto(f"{base}/messages/new/?unit={tree.town.slug}")
    villager.select_option("#id_kind", "consult")
    villager.fill("#id_title", "村道路灯什么时候修")
    villager.fill("#id_content", "李家村东头的路灯坏了，晚上出行不便，请问什么时候能修好？")
    villager.fill("#id_name", "李大山")
    villager.fill("#id_phone", "139123")  # too short
    villager.check("#id_publish_consent")
    villager.click("button:has-text('提交留言')")
    villager.wait_for_selector(".apply-error")
    assert "联系电话格式不正确" in villager.locator(".apply-error").first.inner_text()
    assert villager.input_value("#id_content").startswith("李家村东头的路灯坏了")  # nothing typed is lost
    villager.fill("#id_phone", "13912345678")
    villager.click("button:has-text('提交留言')")
    villager.wait_for_selector("text=留言已提交")
    assert villager.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    villager.screenshot(path=str(SHOTS / "messages-receipt-phone.png"), full_page=True)
    number, code = (t.strip() for t in villager.locator(".apply-receipt .big").all_inner_texts())
    assert number.startswith(f"LY-{tree.town.code}-")

    office = login(chromium, base, people["admin"])
    office.goto(f"{base}/staff/messages/")
    office.click(f"text={number}")
    office.click("#accept button")
    office.wait_for_selector("#assign")
    office.select_option("#assign select[name=office]", str(tree.office.pk))
    office.click("#assign button")
    office.wait_for_selector("#draft")
    office.fill("#draft textarea[name=text]", "路灯已报修，本周五前由镇村建办安排维修。")
    office.click("#draft button")
    office.wait_for_selector("#reply")
    office.click("#reply button")
    office.wait_for_selector("text=已答复")
    assert Message.objects.get(number=number).status == "replied"

    villager.goto(f"{base}/messages/track/")
    villager.fill("#id_number", number)
    villager.fill("#id_code", code)
    villager.click("button:has-text('查询')")
    villager.wait_for_selector("text=办理情况")
    assert "路灯已报修，本周五前由镇村建办安排维修。" in villager.content()
    villager.check("input[name=value][value=satisfied]")
    villager.click("button:has-text('提交评价')")
    villager.wait_for_selector("text=感谢您的评价")
    assert villager.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    villager.screenshot(path=str(SHOTS / "messages-rated-phone.png"), full_page=True)
    message = Message.objects.get(number=number)
    assert message.status == "closed" and message.ratings.get().value == "satisfied"
