"""The leader signing on a phone (issue 21): at 375×812 the staff menu is one row, not 470 px of links; the entry's
审签发布 is on the first screen; lists are cards without sideways scrolling; axe-core finds nothing serious."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.accounts.models import PasswordState
from gongkai.catalog import services
from tests.browser import PHONE
from tests.browser import axe_findings as _axe
from tests.journeys.walk import login
from tests.portal.test_browser_site import _no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_signer_signs_from_the_first_screen_of_a_phone(chromium: Any, live_server: Any, people, draft) -> None:
    PasswordState.objects.update(must_change=False)
    entry = draft(title="关于2025年春季森林防火工作的通知", body="<p>" + "各村要加强巡查。" * 400 + "</p>")
    entry = services.submit_for_review(actor=people["drafter"], entry=entry)
    entry = services.review_pass(actor=people["reviewer"], entry=entry)
    page = login(chromium, live_server.url, people["signer"], PHONE)
    menu = page.locator("nav.mainnav").bounding_box()
    assert menu is not None and menu["height"] < 80, menu
    assert "审签" in page.locator("nav.mainnav").inner_text()
    page.goto(f"{live_server.url}/staff/signoff/")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"
    )
    assert _no_horizontal_scroll(page), wide
    assert not _axe(page)
    page.click(f"text={entry.title}")
    button = page.locator(".quick-actions a", has_text="审签发布")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box  # on the first screen
    assert _no_horizontal_scroll(page) and not _axe(page)
    page.mouse.wheel(0, 3000)  # reading down the long body, the actions stay at hand
    assert button.bounding_box()["y"] >= 0 and button.is_visible()
    button.click()
    page.locator("#act-sign_publish button").click()
    page.wait_for_selector("text=已发布")
    entry.refresh_from_db()
    assert entry.status == "published"
