"""Reply with documents (issue 21; Art. 37 部分公开: the redacted copy): the office uploads the information it
discloses, the applicant downloads it from the tracking page with the code; another browser cannot."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import intake, letters, replies
from gongkai.applications.forms import LetterForm

from .conftest import applicant


def test_the_applicant_downloads_the_disclosed_documents(client, tree, people, today):
    today(date(2025, 3, 20))
    app, code = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="in_person", received_on=date(2025, 3, 3)
    )
    replies.reply(actor=people["drafter"], application=app, result="partly_granted", on=date(2025, 3, 20),
                  content="部分公开，第三方个人信息已删除")  # fmt: skip
    copy = SimpleUploadedFile("征收补偿标准（删除个人信息）.xlsx", b"PK\x03\x04 redacted workbook")
    doc = letters.upload(
        actor=people["drafter"], application=app, kind="disclosed", title="征收补偿标准（部分公开）", upload=copy,
        on=date(2025, 3, 20),
    )  # fmt: skip
    page = client.post(reverse("applications:track"), {"tracking": app.tracking_number, "code": code}).content.decode()
    assert "征收补偿标准（部分公开）" in page
    download = client.get(reverse("applications:letter", args=[doc.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")
    assert client.__class__().get(reverse("applications:letter", args=[doc.pk])).status_code == 404


def test_disclosed_documents_are_uploaded_not_generated(tree, people):
    assert "disclosed" not in dict(LetterForm().fields["kind"].choices)
