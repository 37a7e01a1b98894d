"""Generating a letter answers at once: the number is taken, the letter's page says "正在生成…" and refreshes
itself until the worker has rendered DOCX and PDF, then offers them. A failed render can be retried with
the same number; a letter still rendering is not offered to the applicant."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.applications import letters, replies
from gongkai.applications.models import Letter
from gongkai.core.errors import DomainError
from tests.factories import PASSWORD


@pytest.fixture
def case(people, receive, today, client):
    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 10))
    client.login(username=people["drafter"].username, password=PASSWORD)
    return app


def generate(client, app):
    url = reverse("applications_staff:action", args=[app.pk, "letter"])
    response = client.post(url, {"kind": "grant", "on": "2025-03-10", "request_key": "once"})
    assert response.status_code == 302
    return response["Location"]


def test_progress_page_until_rendered(client, case):
    location = generate(client, case)  # no on-commit capture: the worker has not run
    letter = Letter.objects.get()
    assert location == reverse("applications_staff:letter_page", args=[case.pk, letter.pk])
    page = client.get(location).content.decode()
    assert "正在生成…" in page and '<meta http-equiv="refresh" content="2">' in page and letter.number in page
    assert "正在生成…" in client.get(reverse("applications_staff:detail", args=[case.pk])).content.decode()
    assert letter not in letters_for_applicant(case)

    assert letters.render(letter.pk) == "done"  # what the worker does
    page = client.get(location).content.decode()
    assert "http-equiv" not in page and "下载 DOCX" in page and "下载 PDF" in page
    pdf = client.get(reverse("applications_staff:letter", args=[case.pk, letter.pk, "pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert letters.render(letter.pk) == "skipped"  # a second run of the task changes nothing


def test_failed_render_is_retried_with_the_same_number(client, case, monkeypatch, django_capture_on_commit_callbacks):
    location = generate(client, case)
    letter = Letter.objects.get()

    def broken(html, **kwargs):
        raise DomainError("测试：未找到中文字体")

    monkeypatch.setattr(letters, "render_pdf", broken)
    assert letters.render(letter.pk) == "failed"
    page = client.get(location).content.decode()
    assert "生成失败：测试：未找到中文字体" in page and "重新生成（文号不变）" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications_staff:letter_retry", args=[case.pk, letter.pk]))
    assert response["Location"] == location
    letter.refresh_from_db()
    assert letter.status == "done" and letter.number == "东山镇政公开〔2025〕1号" and Letter.objects.count() == 1


def letters_for_applicant(app):
    from gongkai.applications.views_public import _public_letters

    return _public_letters(app)
