"""What every journey test does on every page it visits (issue 21, done-when): a screenshot of the step
(``var/screenshots/journeyN-<size>-NN-<step>.png``, full page) and axe-core's serious and critical findings,
collected and asserted at the end so that one run lists every page with a problem, not just the first.

Each journey runs at both sizes (``size`` fixture): the office PC (1366×768) and a phone (375×812).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tests.browser import DESKTOP, PHONE, SHOTS, axe_findings
from tests.factories import PASSWORD

SIZES = {"desktop": DESKTOP, "phone": PHONE}


def login(browser: Any, base: str, user: Any, viewport: dict[str, int] = DESKTOP) -> Any:
    page = browser.new_context(viewport=viewport, accept_downloads=True).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/staff/$"))
    return page


def act(page: Any, card: str, fields: dict[str, str]) -> None:
    """Fill the staff case page's action card ``#card`` (selects by value, the rest typed) and submit it."""
    for name, value in fields.items():
        control = page.locator(f"#{card} [name={name}]").first
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    with page.expect_navigation():
        page.locator(f"#{card} button[type=submit]").click()


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@dataclass
class Walk:
    journey: str
    size: str
    seen: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    @property
    def viewport(self) -> dict[str, int]:
        return SIZES[self.size]

    def see(self, page: Any, step: str) -> None:
        """Screenshot ``page`` as step ``step`` and run axe-core on it."""
        page.wait_for_load_state()
        number = len(self.seen) + 1
        name = f"{self.journey}-{self.size}-{number:02d}-{step}.png"
        page.screenshot(path=str(SHOTS / name), full_page=True)
        self.seen.append(name)
        for finding in axe_findings(page):
            self.findings.append(f"{step} ({page.url}): {finding}")

    def assert_clean(self) -> None:
        assert self.seen, "the journey visited no page"
        assert not self.findings, "axe-core (serious/critical):\n" + "\n".join(self.findings)
