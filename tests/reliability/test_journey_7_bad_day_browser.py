"""Journey 7 of spec/journeys.md in real Chromium, at both sizes, against a deployment (PostgreSQL behind a
proxy the test cuts, the app under gunicorn, the site folder under nginx): the database stops in the afternoon;
the public site keeps serving every page a citizen opens; the search and application pages say "暂时无法服务，
请稍后再试" in a page of their own; when the database is back they work again without a restart. Every page:
a screenshot and axe-core. (What a citizen had submitted surviving the outage is tested without a browser in
test_live.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.journeys.walk import SIZES, Walk, no_sideways_scroll

from .conftest import Stack

pytestmark = [pytest.mark.postgres_only, pytest.mark.browser]


@pytest.mark.parametrize("size", list(SIZES))
def test_journey_7_the_site_stays_up_when_the_database_stops(chromium: Any, stack: Stack, size: str) -> None:
    walk = Walk("journey7", size)
    slug, entries = stack.info["slug"], stack.info["entries"]
    with stack.nginx() as site, stack.gunicorn(workers=2) as app:
        page = chromium.new_context(viewport=walk.viewport).new_page()
        page.set_default_timeout(30_000)
        assert page.goto(f"{app}/apply/").status == 200
        walk.see(page, "apply-before")

        stack.proxy.stop()  # the database server is gone
        try:
            for step, path in (("home", "/"), ("unit", f"/{slug}/"), ("catalog", f"/{slug}/catalog/")):
                response = page.goto(f"{site}{path}")
                assert response is not None and response.status == 200, path
                walk.see(page, f"site-{step}")
            entry = entries[0]
            response = page.goto(f"{site}/{slug}/info/{entry['id']}/")
            assert response is not None and response.status == 200
            assert entry["title"] in page.content() and entry["index_number"] in page.content()
            assert no_sideways_scroll(page)
            walk.see(page, "site-entry")
            for step, path in (("apply", "/apply/"), ("search", "/search/?q=%E4%BD%8E%E4%BF%9D")):
                response = page.goto(f"{app}{path}")
                assert response is not None and response.status == 503, path
                text = page.locator("body").inner_text()
                assert "暂时无法服务" in text and "Traceback" not in page.content(), text
                assert no_sideways_scroll(page)
                walk.see(page, f"app-down-{step}")
        finally:
            stack.proxy.start()
        response = page.goto(f"{app}/apply/")
        assert response is not None and response.status == 200  # back without a restart
        walk.see(page, "apply-after")
    walk.assert_clean()
