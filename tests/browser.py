"""Real Chromium for browser tests: Debian's build driven by Playwright, with the flags this machine needs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "var/screenshots"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}


def require(*paths: Path) -> None:
    """Fail under CI (it must not go green by skipping the browser), skip on a developer's machine."""
    missing = [str(p) for p in (Path(CHROMIUM), *paths) if not p.exists()]
    if missing:
        message = f"missing {', '.join(missing)}: run scripts/install-browser.sh"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def launched() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the database work is done in the test's own thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def chromium() -> Iterator[Any]:
    require()
    with launched() as browser:
        yield browser


AXE = ROOT / "var/node/node_modules/axe-core/axe.min.js"


def axe_findings(page: Any) -> list[dict]:
    """axe-core's serious and critical findings on ``page``. Injected through the DevTools protocol, not a script
    tag: pages served by the application carry a CSP that (rightly) refuses inline script."""
    require(AXE)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
