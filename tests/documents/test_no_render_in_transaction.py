"""No PDF is rendered while a database transaction is open: not for a letter, not for the annual-report
export, not for the bulletin (issue 14: a render inside the letter's transaction held SQLite's write lock for
minutes). Each flow runs through the staff pages with real commits (``transactional_db``) and the immediate
task backend, so the worker's part happens here too; WeasyPrint itself records whether a transaction was open.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _rules() -> None:
    """pytest-django runs transactional tests last, after others have flushed the rows migrations load."""
    call_command("applications", "load-rules", verbosity=0)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per PDF WeasyPrint writes: whether any connection was inside a transaction at that moment."""
    from weasyprint import HTML

    seen: list[bool] = []
    write_pdf = HTML.write_pdf

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(any(c.in_atomic_block for c in connections.all(initialized_only=True)))
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", spy)
    return seen


def test_the_letter_is_rendered_after_its_transaction(login, people, replied_case, renders):
    c = login(people["drafter"])
    url = reverse("applications_staff:action", args=[replied_case.pk, "letter"])
    response = c.post(url, {"kind": "grant", "on": "2025-03-10", "request_key": "k1"})
    assert response.status_code == 302
    letter = replied_case.letters.get()
    assert letter.status == "done" and letter.pdf and letter.docx
    assert renders == [False]


def test_the_annual_report_pdf_is_rendered_outside_a_transaction(login, people, tree, renders):
    c = login(people["admin"])
    response = c.post(reverse("reports:annual_file", args=[tree.town.code, 2025, "pdf"]))
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "下载" in page
    assert renders == [False]


def test_the_bulletin_pdf_is_rendered_outside_a_transaction(login, people, tree, renders):
    c = login(people["supervisor"])
    url = reverse("reports:bulletin_file", args=["pdf"]) + f"?org={tree.county.code}&period=2025-06"
    response = c.post(url)
    assert response.status_code == 302
    assert "下载" in c.get(response["Location"]).content.decode()
    assert renders == [False]
