"""The public site published into an S3 bucket (GONGKAI_SITE_TARGET=s3) on a real SeaweedFS server: a full
build goes into a new release prefix and one pointer object switches to it, old releases are pruned, and
the refresh after one publication puts only the objects whose bytes changed."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest

from gongkai.catalog import services
from gongkai.portal import builder, paths, targets
from tests.factories import category
from tests.scale.conftest import objects

# One SeaweedFS server for every S3 test: under pytest-xdist (--dist loadgroup) they share a worker.
pytestmark = pytest.mark.xdist_group("seaweed")


def _pointer(client: Any, bucket: str) -> dict[str, Any]:
    return json.loads(client.get_object(Bucket=bucket, Key="site/current.json")["Body"].read())


def _publish_with_file(draft: Any, publish: Any, committed: Any, people: dict[str, Any], title: str) -> Any:
    entry = draft(title=title)
    services.add_attachment(
        actor=people["drafter"], entry=entry, name="名单.csv", stream=io.BytesIO("村名,户数\n李家村,12\n".encode())
    )
    return committed(publish, entry)


def test_full_build_goes_into_a_new_release_and_the_pointer_switches(
    site_bucket: str, media_bucket: str, s3_server: Any, people: dict[str, Any], draft: Any, publish: Any,
    committed: Any, tree: Any,
) -> None:  # fmt: skip
    client = s3_server.client()
    entry = _publish_with_file(draft, publish, committed, people, "关于公布2025年度低保对象名单的公告")
    attachment = entry.attachments.get()

    first = builder.build_site()
    assert first.root == f"s3://{site_bucket}/site/"
    pointer = _pointer(client, site_bucket)
    release = pointer["prefix"]
    assert release.startswith("site/releases/") and release.endswith("/")
    site = objects(client, site_bucket, release)
    unit = tree.town.slug
    assert f"{release}index.html" in site
    page = site[f"{release}{targets.key_for(paths.entry_page(unit, entry.pk))}"].decode()
    assert entry.title in page
    # The attachment came from the media bucket and is linked at its site URL, not a signed bucket URL.
    media_key = f"{release}{targets.key_for(paths.attachment_url(attachment.file.name))}"
    assert site[media_key] == "村名,户数\n李家村,12\n".encode()
    assert paths.attachment_url(attachment.file.name) in page
    assert "X-Amz-Signature" not in page
    assert any(k.startswith(f"{release}static/") for k in site)
    head = client.head_object(Bucket=site_bucket, Key=f"{release}index.html")
    assert head["ContentType"] == "text/html; charset=utf-8"

    # Second build: a new release, the pointer names it, the first stays for a rollback (keep = 2).
    builder.build_site()
    second = _pointer(client, site_bucket)["prefix"]
    assert second != release
    bucket = targets.S3Bucket(site_bucket, "site/", keep=2, client=client)
    assert [f"site/releases/{n}/" for n in bucket.releases()] == [release, second]
    # Third: the first is pruned, the second and third remain, the third is current.
    builder.build_site()
    third = _pointer(client, site_bucket)["prefix"]
    assert [f"site/releases/{n}/" for n in bucket.releases()] == [second, third]
    assert not objects(client, site_bucket, release)
    assert objects(client, site_bucket, third).keys() == {
        k.replace(second, third, 1) for k in objects(client, site_bucket, second)
    }


def test_publishing_one_entry_puts_only_its_changed_objects_into_the_current_release(
    site_bucket: str, s3_server: Any, people: dict[str, Any], draft: Any, publish: Any, committed: Any,
    tree: Any,
) -> None:  # fmt: skip
    client = s3_server.client()
    committed(publish, draft(title="关于做好防汛工作的通知"))
    builder.build_site()
    release = _pointer(client, site_bucket)["prefix"]

    def stamps() -> dict[str, Any]:
        out = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=site_bucket, Prefix=release):
            for obj in page.get("Contents", []):
                out[obj["Key"]] = (obj["LastModified"], obj["ETag"])
        return out

    before = stamps()
    time.sleep(1.1)  # LastModified has one-second resolution
    entry = draft(title="关于开展秋季消防安全检查的通知", category=category(tree.town, "notices"))
    entry = publish(entry)  # the after-commit refresh is not run here: the test calls it and reads its answer
    changed = builder.refresh_entry(entry.pk, [entry.category_id])
    after = stamps()

    assert _pointer(client, site_bucket)["prefix"] == release  # an update is not a new release
    rewritten = {k for k in after if k not in before or after[k] != before[k]}
    assert rewritten == set(changed)
    unit = tree.town.slug
    new_page = f"{release}{targets.key_for(paths.entry_page(unit, entry.pk))}"
    assert new_page in rewritten
    assert f"{release}{targets.key_for(paths.unit_home(unit))}" in rewritten
    # Untouched: the other unit, the static assets, the pages the new entry does not appear on.
    assert not any(k.startswith((f"{release}{tree.street.slug}/", f"{release}static/")) for k in rewritten)
    assert f"{release}{targets.key_for(paths.guide(unit))}" not in rewritten
    assert len(rewritten) < len(before) / 3

    # Nothing changed since: a second refresh puts nothing.
    assert builder.refresh_entry(entry.pk, [entry.category_id]) == []


def test_withdrawal_removes_the_page_from_the_current_release(
    site_bucket: str, s3_server: Any, people: dict[str, Any], draft: Any, publish: Any, committed: Any,
    tree: Any,
) -> None:  # fmt: skip
    client = s3_server.client()
    entry = committed(publish, draft(title="关于调整公交线路的通告"))
    builder.build_site()
    release = _pointer(client, site_bucket)["prefix"]
    key = f"{release}{targets.key_for(paths.entry_page(tree.town.slug, entry.pk))}"
    assert key in objects(client, site_bucket, release)
    committed(services.withdraw, actor=people["admin"], entry=entry, reason="理由：通告已过期，予以撤回")
    page = objects(client, site_bucket, release).get(key)
    # A withdrawn entry's page stays, marked withdrawn (nothing published is deleted).
    assert page is not None and "撤回" in page.decode()
