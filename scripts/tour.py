"""Walk README's first tour in Chromium against a running `make run` instance, as a newcomer would, and save a
screenshot of each step at desktop and phone size (docs/screenshots/ by default).

    .venv/bin/python scripts/tour.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

It changes the demo data the way the tour does (a draft submitted, the 低保 list masked and signed, an
application filed), so run it on a fresh `make run`. Prints each step with its time; exits 1 at the first step
that does not work, naming it. Not a test: the same journeys are tests in tests/journeys/.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

PASSWORD = "Demo-2025-gk!"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class Tour:
    def __init__(self, browser: Any, base: str, out: Path) -> None:
        self.browser, self.base, self.out = browser, base.rstrip("/"), out
        self.steps: list[tuple[str, float]] = []
        out.mkdir(parents=True, exist_ok=True)

    def page(self, viewport: dict[str, int] = DESKTOP) -> Page:
        page = self.browser.new_context(viewport=viewport, locale="zh-CN").new_page()
        page.set_default_timeout(20_000)
        return page

    def login(self, username: str, viewport: dict[str, int] = DESKTOP) -> Page:
        page = self.page(viewport)
        page.goto(f"{self.base}/staff/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button:has-text('登录')")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    def shot(self, page: Page, name: str) -> None:
        page.screenshot(path=str(self.out / f"{name}.png"), full_page=False)

    def step(self, name: str, fn: Callable[[], None]) -> None:
        start = time.perf_counter()
        try:
            fn()
        except Exception as exc:  # the tour reports the step that failed, then stops
            print(f"✗ {name}: {exc}", file=sys.stderr)
            raise SystemExit(1) from exc
        took = time.perf_counter() - start
        self.steps.append((name, took))
        print(f"✓ {name}（{took:.1f} 秒）")


def run(base: str, out: Path, site: Path) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        tour = Tour(browser, base, out)
        state: dict[str, Any] = {}

        def public_site() -> None:
            for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page = tour.page(viewport)
                page.goto(f"{tour.base}/")
                tour.shot(page, f"1-home-{size}")
                page.click("a[href='/dongshan/']")
                page.locator("a[href='/dongshan/catalog/']").first.click()  # 公开目录 › 社会救助 › 低保
                page.locator("main a[href='/dongshan/list/dibao/']").first.click()
                page.wait_for_url("**/list/dibao/")
                page.locator("main a[href^='/dongshan/info/']").first.click()
                page.wait_for_selector("text=索引号")
                tour.shot(page, f"1-entry-{size}")
                page.click("text=关怀版")
                assert page.evaluate("document.documentElement.classList.contains('care')"), "关怀版未切换"
                tour.shot(page, f"1-entry-care-{size}")

        def search() -> None:
            page = tour.page()
            page.goto(f"{tour.base}/search/?q=低保")
            found = page.locator("main a[href*='/info/']").count()
            assert found > 0, "检索“低保”没有结果"
            tour.shot(page, "2-search-desktop")
            with urllib.request.urlopen(f"{tour.base}/api/v1/search?q=%E4%BD%8E%E4%BF%9D", timeout=15) as r:
                assert r.status == 200 and json.loads(r.read())["count"] > 0, "接口检索无结果"

        def apply() -> None:
            page = tour.page(PHONE)
            page.goto(f"{tour.base}/apply/")
            page.click("text=东山镇")
            page.select_option("#id_applicant_type", "natural_person")
            page.fill("#id_name", "王建国")
            page.select_option("#id_id_type", "resident_id")
            page.fill("#id_id_number", "11010519491231002X")
            page.fill("#id_phone", "13800138000")
            page.fill("#id_description", "2024年东山村土地征收补偿标准")
            page.check("input[name=info_form][value=electronic]")
            page.check("input[name=delivery][value=pickup]")
            tour.shot(page, "3-apply-phone")
            page.click("button:has-text('提交申请')")
            page.wait_for_selector("text=查询码")
            text = page.inner_text("main")
            found = re.search(r"YSQ-[A-Z0-9]+-\d{4}-\d+", text)
            assert found, "提交后页面没有申请编号"
            state["tracking"] = found.group(0)
            tour.shot(page, "3-apply-done-phone")

        def clerk_drafts() -> None:
            page = tour.login("dongshan_clerk")
            tour.shot(page, "4-dashboard-clerk-desktop")
            page.click("nav >> text=新建信息")
            labels = page.locator("#id_category option").all_inner_texts()
            page.select_option("#id_category", label=next(x for x in labels if "通知公告" in x))
            page.fill("#id_title", "东山镇2026年冬季防火安全提示")
            page.fill("#id_formed_date", time.strftime("%Y-%m-%d"))
            page.fill("#id_body", "请各村做好冬季防火工作。")
            page.click("button:has-text('保存并提交审核')")
            try:
                page.wait_for_selector("text=已提交保密审查", timeout=20_000)
            except Exception as exc:
                tour.shot(page, "4-failed")
                errors = " ".join(page.locator(".errorlist").all_inner_texts())
                raise AssertionError("提交后没有进入待审核：" + errors) from exc

        def review_masks() -> None:
            page = tour.login("dongshan_review")
            page.click("nav >> text=保密审查")
            page.click("text=城乡低保新增对象公示")
            page.wait_for_selector("text=保密审查扫描结果")
            tour.shot(page, "5-review-findings-desktop")
            while page.locator("button:has-text('一键打码')").count():
                page.locator("button:has-text('一键打码')").first.click()
                page.wait_for_load_state()
            page.click("button:has-text('保密审查通过')")
            page.wait_for_selector("text=待审签")

        def sign_on_phone() -> None:
            page = tour.login("dongshan_sign", PHONE)
            page.goto(f"{tour.base}/staff/signoff/")
            tour.shot(page, "6-signoff-queue-phone")
            page.click("text=城乡低保新增对象公示")
            page.click("button:has-text('审签发布')")
            page.wait_for_selector("text=已发布")
            tour.shot(page, "6-signed-phone")
            state["signed_at"] = time.perf_counter()
            state["entry_url"] = page.url

        def reaches_site() -> None:
            """The static file the web server serves (the development server would render the page itself)."""
            entry_id = state["entry_url"].rstrip("/").split("/")[-1]
            built = site / "dongshan" / "info" / entry_id / "index.html"
            deadline = time.perf_counter() + 120
            while not built.exists():
                if time.perf_counter() > deadline:
                    raise AssertionError(f"签发 120 秒后网站目录中仍没有 {built}")
                time.sleep(0.2)
            print(f"  签发后 {time.perf_counter() - state['signed_at']:.1f} 秒写入网站目录：{built}")

        def admin_board() -> None:
            page = tour.login("dongshan_admin")
            page.click("nav >> text=依申请公开")
            page.wait_for_selector(f"text={state['tracking']}")
            tour.shot(page, "7-applications-board-desktop")
            page.click(f"text={state['tracking']}")
            page.wait_for_selector("text=答复期限")
            tour.shot(page, "7-case-desktop")
            phone = tour.login("dongshan_admin", PHONE)
            phone.goto(page.url)
            tour.shot(phone, "7-case-phone")

        def annual_report() -> None:
            page = tour.login("dongshan_admin")
            page.click("nav >> text=年度报告")
            tour.shot(page, "8-reports-desktop")
            county = tour.login("county_duban")
            county.click("nav >> text=年度报告")
            tour.shot(county, "8-county-reports-desktop")

        for name, fn in (
            ("1 公众网站：东山镇 › 低保 › 信息页 › 关怀版（电脑与手机）", public_site),
            ("2 检索“低保”（页面与接口）", search),
            ("3 手机上提交依申请公开", apply),
            ("4 信息员起草并提交审核", clerk_drafts),
            ("5 审核人一键打码并通过", review_masks),
            ("6 审签领导在手机上签发", sign_on_phone),
            ("6 信息页出现在公开网站", reaches_site),
            ("7 公开办管理员看板与案件页", admin_board),
            ("8 年度报告与县级督查", annual_report),
        ):
            tour.step(name, fn)
        browser.close()
        print(f"全部 {len(tour.steps)} 步完成，共 {sum(t for _, t in tour.steps):.1f} 秒；截图：{out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--site", type=Path, default=Path("var/site"), help="the instance's built site (SITE_DIR)")
    args = parser.parse_args()
    run(args.base, args.out, args.site)


if __name__ == "__main__":
    main()
