"""Attachments in an S3 bucket (GONGKAI_MEDIA_STORAGE=s3) against a real SeaweedFS server: upload through the
catalog service, read back, screened, published into the site."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from gongkai.catalog import services
from gongkai.catalog.files import check_upload
from gongkai.screening import scanning
from tests.screening import builders

# One SeaweedFS server for every S3 test: under pytest-xdist (--dist loadgroup) they share a worker.
pytestmark = pytest.mark.xdist_group("seaweed")


def test_an_attachment_goes_to_the_bucket_and_screening_reads_it_from_there(
    media_bucket: str, s3_server: Any, people: dict[str, Any], draft: Any
) -> None:
    entry = draft(title="关于发放2025年度高龄津贴的公示")
    number = builders.resident_id()
    data = builders.docx(["高龄津贴发放名单如下。"], table=[["姓名", "身份证号"], ["张三", number]])
    att = services.add_attachment(actor=people["drafter"], entry=entry, name="名单.docx", stream=io.BytesIO(data))

    # In the bucket, under the name the field stores; nothing in the local media folder. What is stored is the
    # upload as checked (its author properties removed: catalog/docmeta.py), not the raw bytes.
    data = check_upload("名单.docx", io.BytesIO(data)).data
    stored = s3_server.client().get_object(Bucket=media_bucket, Key=att.file.name)["Body"].read()
    assert stored == data
    assert default_storage.exists(att.file.name)
    assert not (Path(settings.MEDIA_ROOT) / att.file.name).exists()
    with att.file.open("rb") as fh:
        assert fh.read() == data

    results = scanning.scan_entry(entry=entry, trigger="manual", force=True)
    on_file = [r for r in results if r.attachment_id == att.pk]
    assert len(on_file) == 1
    assert on_file[0].status == "found"
    assert on_file[0].findings.filter(kind="id_card").count() == 1
