"""Backup and restore with the files in a bucket and the site published to a bucket (real SeaweedFS)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from gongkai.catalog import services
from gongkai.ops.backup import verify

# One SeaweedFS server for every S3 test: under pytest-xdist (--dist loadgroup) they share a worker.
pytestmark = pytest.mark.xdist_group("seaweed")


def test_backup_reads_the_bucket_and_restore_puts_the_files_back_and_rebuilds_the_site(
    transactional_db: Any, media_bucket: str, site_bucket: str, s3_server: Any, people: dict[str, Any],
    draft: Any, publish: Any, tmp_path: Any,
) -> None:  # fmt: skip
    from gongkai.portal.builder import build_site

    entry = draft(title="关于公布农村危房改造对象的公示")
    att = services.add_attachment(
        actor=people["drafter"], entry=entry, name="对象名单.csv", stream=io.BytesIO("户主,村\n王五,李家村\n".encode())
    )
    publish(entry)
    build_site()
    client = s3_server.client()
    first = json.loads(client.get_object(Bucket=site_bucket, Key="site/current.json")["Body"].read())["release"]

    out = tmp_path / "bk"
    call_command("backup", str(out), verbosity=0)
    manifest = verify(out)
    assert f"media/{att.file.name}" in manifest["files"]
    assert (out / "media" / att.file.name).read_bytes() == "户主,村\n王五,李家村\n".encode()

    # After the backup: the file is lost and another appears.
    default_storage.delete(att.file.name)
    default_storage.save("later/多余.txt", io.BytesIO(b"later"))

    call_command("restore", str(out), verbosity=0)
    connection.close()
    with default_storage.open(att.file.name, "rb") as fh:
        assert fh.read() == "户主,村\n王五,李家村\n".encode()
    assert not default_storage.exists("later/多余.txt")
    pointer = json.loads(client.get_object(Bucket=site_bucket, Key="site/current.json")["Body"].read())
    assert pointer["release"] != first  # the site was rebuilt into a new release
    page = client.get_object(Bucket=site_bucket, Key=f"{pointer['prefix']}index.html")["Body"].read().decode()
    assert "政府信息公开" in page or entry.unit.name in page
