"""The annual-report and bulletin PDFs are made by the task worker: the click answers at once with a page
that says "正在生成…" and refreshes itself (a meta refresh: the CSP allows no inline script), then offers the
download. A double click joins the first job; only the requester sees it; a failure can be retried."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.errors import DomainError
from gongkai.documents import jobs
from gongkai.documents.models import DocumentJob


@pytest.fixture
def export_url(tree):
    return reverse("reports:annual_file", args=[tree.town.code, 2025, "pdf"])


def test_click_shows_progress_then_the_download(login, people, export_url):
    c = login(people["admin"])
    first = c.post(export_url)  # no on-commit capture: the worker has not run yet
    assert first.status_code == 302
    again = c.post(export_url)  # the double click
    assert again["Location"] == first["Location"] and DocumentJob.objects.count() == 1
    job = DocumentJob.objects.get()
    page = c.get(first["Location"]).content.decode()
    assert "正在生成…" in page and '<meta http-equiv="refresh" content="2">' in page
    assert "<script" not in page
    assert c.get(reverse("documents:file", args=[job.pk])).status_code == 404

    assert jobs.run(str(job.pk)) == "done"  # what the worker does
    page = c.get(first["Location"]).content.decode()
    assert "http-equiv" not in page and "QH0101-2025-annual-report.pdf" in page
    download = c.get(reverse("documents:file", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert c.post(export_url)["Location"] != first["Location"]  # a later click renders the current numbers


def test_only_the_requester_sees_the_job(login, people, export_url, client):
    c = login(people["admin"])
    location = c.post(export_url)["Location"]
    job = DocumentJob.objects.get()
    jobs.run(str(job.pk))
    c.logout()
    login(people["reviewer"])  # may read the report, but did not ask for this file
    assert client.get(location).status_code == 404
    assert client.get(reverse("documents:file", args=[job.pk])).status_code == 404


def test_a_link_to_the_pdf_does_not_start_a_render(login, people, export_url):
    response = login(people["admin"]).get(export_url)
    assert response.status_code == 302 and DocumentJob.objects.count() == 0


def test_failure_is_shown_and_can_be_retried(login, people, export_url, monkeypatch):
    c = login(people["admin"])
    location = c.post(export_url)["Location"]
    job = DocumentJob.objects.get()

    def broken(actor, params):
        raise DomainError("测试：字体缺失")

    monkeypatch.setitem(jobs._renderers, "annual_report", broken)
    assert jobs.run(str(job.pk)) == "failed"
    page = c.get(location).content.decode()
    assert "生成失败：测试：字体缺失" in page and "重新生成" in page and "http-equiv" not in page
    monkeypatch.undo()
    retried = c.post(reverse("documents:retry", args=[job.pk]))
    new = DocumentJob.objects.exclude(pk=job.pk).get()
    assert retried["Location"] == reverse("documents:job", args=[new.pk]) and new.status == "pending"


def test_a_job_nobody_runs_says_so(login, people, export_url):
    c = login(people["admin"])
    location = c.post(export_url)["Location"]
    DocumentJob.objects.update(created_at=timezone.now() - timedelta(minutes=3))
    assert "gongkai worker" in c.get(location).content.decode()


def test_the_bulletin_pdf_too(login, people, tree):
    c = login(people["supervisor"])
    url = reverse("reports:bulletin_file", args=["pdf"]) + f"?org={tree.county.code}&period=2025-06"
    location = c.post(url)["Location"]
    job = DocumentJob.objects.get()
    assert job.params == {"county": tree.county.code, "period": "2025-06", "format": "pdf"}
    jobs.run(str(job.pk))
    assert "QH0001-2025-06-bulletin.pdf" in c.get(location).content.decode()


def test_old_jobs_and_their_files_are_removed(login, people, export_url):
    login(people["admin"]).post(export_url)
    job = DocumentJob.objects.get()
    jobs.run(str(job.pk))
    job.refresh_from_db()
    stored = Path(job.file.path)
    assert jobs.purge(timezone.now() + jobs.KEEP + timedelta(hours=1)) == 1
    assert not DocumentJob.objects.exists()
    assert not stored.exists()
