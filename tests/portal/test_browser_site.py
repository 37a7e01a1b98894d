"""Real Chromium on the built static site: journeys, 关怀版, print view, phone width, axe-core, no XSS."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from gongkai.portal.builder import build_site
from tests.browser import AXE, DESKTOP, PHONE, SHOTS, axe_findings, launched, require
from tests.factories import category

pytestmark = pytest.mark.browser

XSS_TITLE = '<img src=x onerror="window.__xss=1">恶意标题<script>window.__xss=2</script>'


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def static_site(sample: dict[str, Any], tree: Any, draft: Any, publish: Any, site_dir: Path) -> Iterator[dict]:
    """The built site folder served by a plain file server, as nginx would serve it."""
    require(AXE)
    bad = publish(
        draft(
            title=XSS_TITLE,
            category=category(tree.town, "notices"),
            body='<p onmouseover="window.__xss=3">正文</p><script>window.__xss=4</script>'
            '<a href="javascript:window.__xss=5">链接</a>',
        )
    )
    build_site()
    root = site_dir.resolve()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{server.server_address[1]}", "bad": bad, **sample}
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser(static_site: dict) -> Iterator[Any]:
    with launched() as b:
        yield b


def _axe(page: Any) -> list[dict]:
    return axe_findings(page)


def _no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("size_name,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_page_type_passes_axe(browser: Any, static_site: dict, size_name: str, viewport: dict) -> None:
    base, policy = static_site["base"], static_site["policy"]
    pages = {
        "county-home": "/",
        "unit-home": "/dongshan/",
        "guide": "/dongshan/guide/",
        "catalog": "/dongshan/catalog/",
        "category": "/dongshan/list/statutory/",
        "codes": "/dongshan/codes/",
        "annual": "/dongshan/annual-reports/",
        "entry": f"/dongshan/info/{policy.pk}/",
        "print": f"/dongshan/info/{policy.pk}/print/",
        "not-found": "/404.html",
    }
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    problems: dict[str, Any] = {}
    for name, url in pages.items():
        page.goto(base + url)
        page.screenshot(path=str(SHOTS / f"{size_name}-{name}.png"), full_page=True)
        if violations := _axe(page):
            problems[name] = violations
        if not _no_horizontal_scroll(page):
            problems.setdefault(name, []).append("horizontal scroll")
    context.close()
    assert not problems, problems


def test_journey_home_to_entry_in_care_mode_and_print(browser: Any, static_site: dict) -> None:
    base, policy = static_site["base"], static_site["policy"]
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/")
    page.get_by_role("link", name="清河县东山镇人民政府").first.click()
    page.wait_for_url("**/dongshan/")
    page.get_by_role("link", name="法定主动公开内容").first.click()
    # The catalog is a tree: 法规文件 folds its sub-columns until the reader opens it.
    normative = page.get_by_role("link", name="行政规范性文件", exact=True)
    assert not normative.is_visible()
    page.locator("summary", has_text="法规文件").click()
    normative.click()
    page.get_by_role("link", name=policy.title).first.click()
    page.wait_for_url(f"**/dongshan/info/{policy.pk}/")
    assert page.title().startswith(policy.title)
    assert page.locator("h1").inner_text() == policy.title
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article')).fontSize)")

    care = page.get_by_role("button", name="关怀版")
    care.click()
    assert page.evaluate("document.documentElement.classList.contains('care')")
    assert page.get_by_role("button", name="退出关怀版").get_attribute("aria-pressed") == "true"
    bigger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article')).fontSize)")
    assert bigger >= normal * 1.2
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "phone-entry-care.png"), full_page=True)
    assert not _axe(page)

    # Kept across pages, and keyboard-operable: Tab reaches the skip link first.
    page.goto(base + "/dongshan/guide/")
    assert page.evaluate("document.documentElement.classList.contains('care')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.goto(base + f"/dongshan/info/{policy.pk}/")
    page.get_by_role("button", name="放大字号").click()
    largest = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article')).fontSize)")
    assert largest > bigger

    page.get_by_role("link", name="打印本页").click()
    page.wait_for_url("**/print/")
    assert page.locator("h1").inner_text() == policy.title
    assert page.locator("svg.qr").count() == 1
    page.emulate_media(media="print")
    assert page.locator(".print-actions").is_hidden()
    page.screenshot(path=str(SHOTS / "phone-print.png"), full_page=True)
    assert not errors, errors
    context.close()


def test_markup_in_title_and_body_never_runs(browser: Any, static_site: dict) -> None:
    base, bad = static_site["base"], static_site["bad"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for url in (
        f"/dongshan/info/{bad.pk}/",
        f"/dongshan/info/{bad.pk}/print/",
        "/dongshan/list/notices/",
        "/",
        "/dongshan/",
    ):
        page.goto(base + url)
        page.mouse.move(200, 400)
        for link in page.locator("a", has_text="链接").all():
            link.click()
        assert page.evaluate("window.__xss") is None, url
    page.goto(base + f"/dongshan/info/{bad.pk}/")
    assert "<img" in page.locator("h1").inner_text()  # shown as text, not as an element
    assert page.locator("h1 img, h1 script, .article script").count() == 0
    assert not dialogs
    context.close()


def test_screenshots_folder_is_usable() -> None:
    """The folder people look at exists after a run (also when the browser tests were skipped locally)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert SHOTS.is_dir() and shutil.disk_usage(SHOTS).free > 0
