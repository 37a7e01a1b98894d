"""An uploaded letter or disclosed copy goes through the same active-content checks as an entry's
attachment (issue 17 item 7): the applicant downloads it, so it must not carry a macro or a PDF script."""

from __future__ import annotations

import io
from datetime import date

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications import intake, letters
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.core.models import AuditEvent
from tests.catalog import office_builders as office

from .conftest import applicant


@pytest.fixture
def case(tree, people):
    app, _ = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="in_person", received_on=date(2025, 3, 3)
    )
    return app


def _upload(people, app, name, data):
    return letters.upload(
        actor=people["drafter"], application=app, kind="disclosed", title="公开的信息",
        upload=SimpleUploadedFile(name, data), on=date(2025, 3, 20),
    )  # fmt: skip


def test_a_workbook_with_an_embedded_object_is_refused_on_the_upload_field(people, case):
    with pytest.raises(ValidationFailed) as exc:
        _upload(people, case, "补偿标准.xlsx", office.xlsx_with_embedded_object())
    assert "嵌入的 OLE 对象" in exc.value.errors["upload"][0]
    assert not case.letters.exists()


def test_a_pdf_with_javascript_is_stored_cleaned_and_the_audit_says_so(people, case):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    raw = io.BytesIO()
    pdf.save(raw)
    row = _upload(people, case, "答复.pdf", raw.getvalue())
    with row.uploaded.open("rb") as fh, pikepdf.open(io.BytesIO(fh.read())) as stored:
        assert "/OpenAction" not in stored.Root
    event = AuditEvent.objects.filter(action=Action.APPLICATION_LETTER_UPLOAD).latest("id")
    assert "上传时已移除" in event.comment and event.changes["removed"]
