"""The full build: every page written, atomic swap, killed builds leave the old site serving."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.core.management import call_command

from gongkai.portal import builder, paths, render
from gongkai.portal.builder import build_site
from tests.factories import category


def test_build_writes_every_page(sample: dict[str, Any], tree: Any, site_dir: Path) -> None:
    report = build_site()
    assert report.pages > 100
    policy = sample["policy"]
    expected = [
        "index.html",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "dongshan/index.html",
        "dongshan/guide/index.html",
        "dongshan/catalog/index.html",
        "dongshan/codes/index.html",
        "dongshan/annual-reports/index.html",
        "dongshan/feed.xml",
        "dongshan/sitemap.xml",
        "dongshan/list/normative/index.html",
        "dongshan/list/normative/feed.xml",
        "dongshan/list/statutory/index.html",
        "dongshan/list/village-affairs/index.html",
        f"dongshan/info/{policy.pk}/index.html",
        f"dongshan/info/{policy.pk}/print/index.html",
        f"chengguan/info/{sample['street'].pk}/index.html",
        "qinghe/index.html",
        "static/portal/css/site.css",
        "static/portal/js/site.js",
        "static/portal/js/prefs.js",
    ]
    for rel in expected:
        assert (site_dir / rel).is_file(), rel
    # Offices and villages publish through their township: they get no site of their own.
    assert not (site_dir / tree.office.slug).exists()
    att = policy.attachments.get()
    copied = paths.file_for(site_dir, att.file.url)
    assert copied.read_bytes() == Path(att.file.path).read_bytes()
    page = (site_dir / f"dongshan/info/{policy.pk}/index.html").read_bytes()
    assert gzip.decompress((site_dir / f"dongshan/info/{policy.pk}/index.html.gz").read_bytes()) == page
    assert brotli.decompress((site_dir / f"dongshan/info/{policy.pk}/index.html.br").read_bytes()) == page
    # Every asset is local: no page refers to another host for CSS, JS or fonts.
    for html in site_dir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert 'src="http' not in text and 'href="//' not in text and 'stylesheet" href="http' not in text


def test_built_page_equals_dev_page(sample: dict[str, Any], site_dir: Path, client: Any) -> None:
    build_site()
    for url in (
        "/",
        "/dongshan/",
        f"/dongshan/info/{sample['policy'].pk}/",
        "/dongshan/list/normative/",
        "/dongshan/guide/",
        "/dongshan/feed.xml",
        "/sitemap.xml",
    ):
        assert client.get(url).content == paths.file_for(site_dir, url).read_bytes(), url


def test_site_is_swapped_atomically(sample: dict[str, Any], site_dir: Path) -> None:
    build_site()
    first = site_dir.resolve()
    assert site_dir.is_symlink()
    build_site()
    second = site_dir.resolve()
    assert second != first and (second / "index.html").exists()
    # The previous release stays for a rollback; nothing half-built is left beside the site.
    assert first.exists()
    assert not list(site_dir.parent.glob(f".{site_dir.name}-build-*"))


def test_killed_build_leaves_old_site(sample: dict[str, Any], site_dir: Path, monkeypatch: Any) -> None:
    build_site()
    before = (site_dir / "dongshan/index.html").read_bytes()
    live = site_dir.resolve()
    calls = {"n": 0}
    real = render.entry_page

    def crash(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed mid-build")
        return real(*args, **kwargs)

    monkeypatch.setattr(builder.render, "entry_page", crash)
    with pytest.raises(KeyboardInterrupt):
        build_site()
    assert site_dir.resolve() == live
    assert (site_dir / "dongshan/index.html").read_bytes() == before
    monkeypatch.setattr(builder.render, "entry_page", real)
    build_site()  # the next build sweeps the dead build folder away
    assert not list(site_dir.parent.glob(f".{site_dir.name}-build-*"))


def test_plain_folder_is_replaced_by_release(sample: dict[str, Any], site_dir: Path) -> None:
    site_dir.mkdir(parents=True)
    (site_dir / "old.html").write_text("old")
    build_site()
    assert site_dir.is_symlink() and not (site_dir / "old.html").exists()


def test_build_site_command_with_out(sample: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "public"
    call_command("build-site", "--out", str(out), "--no-progress")
    assert (out / "dongshan/index.html").exists()


def test_category_pages_newest_first(tree: Any, draft: Any, publish: Any, site_dir: Path) -> None:
    from gongkai.catalog.models import Entry

    for n in range(23):
        publish(draft(title=f"第{n:02d}号通知", category=category(tree.town, "notices")))
    # Same publication second: order falls back to the id, so the newest is the last one created.
    build_site()
    first = (site_dir / "dongshan/list/notices/index.html").read_text()
    second = (site_dir / "dongshan/list/notices/p2/index.html").read_text()
    assert first.count("<tr>") - 1 == 20 and second.count("<tr>") - 1 == 3
    assert first.index("第22号通知") < first.index("第03号通知")
    assert "第00号通知" in second and "第22号通知" not in second
    assert not (site_dir / "dongshan/list/notices/p3").exists()
    assert Entry.objects.count() == 23
    assert "共 23 条" in first
