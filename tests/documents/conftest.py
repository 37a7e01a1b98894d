"""Fixtures for document tests: a logged-in staff client and a font folder of the test's own."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import PASSWORD


@pytest.fixture
def login(client: Any) -> Any:
    def run(user: Any) -> Any:
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return run


@pytest.fixture
def empty_font_dir(settings: Any, tmp_path: Any) -> Any:
    """A fresh installation whose subsets were never built: documents must fall back, not build."""
    folder = tmp_path / "fonts"
    settings.GONGKAI_FONT_DIR = folder
    return folder


@pytest.fixture
def replied_case(tree: Any, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    """A case received on 2025-03-03 and answered (予以公开) on 2025-03-10, with "today" 2025-04-30."""
    from gongkai.applications import intake, replies
    from tests.applications.conftest import applicant

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 4, 30))
    app, _ = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="in_person", received_on=date(2025, 3, 3)
    )
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 10))
    return app
