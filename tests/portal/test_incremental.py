"""Publishing, withdrawing or changing an entry re-renders exactly the pages it touches."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from gongkai.catalog import services
from gongkai.catalog.models import Validity
from gongkai.portal import builder, paths
from gongkai.portal.builder import build_site
from tests.factories import category
from tests.portal.conftest import snapshot


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    keys = set(before) | set(after)
    return {k for k in keys if before.get(k) != after.get(k)}


def _pages(changed: set[str]) -> set[str]:
    """Changed pages without their .gz/.br twins (each page's twins are checked to follow it)."""
    return {k for k in changed if not k.endswith((".gz", ".br"))}


def test_publication_touches_only_its_pages(
    sample: dict[str, Any], tree: Any, draft: Any, publish: Any, committed: Any, site_dir: Path
) -> None:
    build_site()
    before = snapshot(site_dir)
    entry = committed(publish, draft(title="2025年第三季度城乡低保对象公示", category=category(tree.town, "dibao")))
    after = snapshot(site_dir)
    changed = _changed(before, after)
    e = entry.pk
    assert _pages(changed) == {
        f"dongshan/info/{e}/index.html",
        f"dongshan/info/{e}/print/index.html",
        "dongshan/list/dibao/index.html",
        "dongshan/list/dibao/feed.xml",
        "dongshan/list/social-assistance/index.html",
        "dongshan/list/social-assistance/feed.xml",
        "dongshan/list/statutory/index.html",
        "dongshan/list/statutory/feed.xml",
        "dongshan/catalog/index.html",  # its entry counts
        "dongshan/index.html",
        "dongshan/feed.xml",
        "dongshan/sitemap.xml",
        "index.html",
    }
    for page in _pages(changed):
        if len(after[page]) >= 256:
            assert f"{page}.gz" in changed and f"{page}.br" in changed, page
    assert "2025年第三季度城乡低保对象公示" in after[f"dongshan/info/{e}/index.html"].decode()
    # Another unit's pages and the untouched columns are byte-for-byte the same files.
    assert not any(k.startswith("chengguan/") for k in changed)
    assert "dongshan/list/notices/index.html" not in changed


def test_withdrawal_updates_page_lists_and_files(
    sample: dict[str, Any], people: Any, committed: Any, site_dir: Path
) -> None:
    build_site()
    policy = sample["policy"]
    att_file = paths.file_for(site_dir, policy.attachments.get().file.url)
    assert att_file.exists()
    committed(services.withdraw, actor=people["admin"], entry=policy, reason="附件含有个人信息，撤回处理")
    page = (site_dir / f"dongshan/info/{policy.pk}/index.html").read_text()
    assert "本信息已撤回" in page and "附件含有个人信息，撤回处理" in page
    assert date.today().strftime("%Y-%m-%d") in page
    assert "为规范农村最低生活保障工作" not in page  # the body is not served any more
    assert not att_file.exists()
    for listing in (
        "dongshan/list/normative/index.html",
        "dongshan/index.html",
        "dongshan/feed.xml",
        "dongshan/sitemap.xml",
        "index.html",
    ):
        assert f"/dongshan/info/{policy.pk}/" not in (site_dir / listing).read_text(), listing
    # The interpretation no longer links to a withdrawn policy.
    assert (
        f"/dongshan/info/{policy.pk}/"
        not in (site_dir / f"dongshan/info/{sample['reading'].pk}/index.html").read_text()
    )


def test_repeal_shows_banner_with_replacement(
    sample: dict[str, Any], people: Any, published: Any, committed: Any, site_dir: Path, tree: Any
) -> None:
    build_site()
    new = published(title="东山镇农村低保实施办法（2026年修订）", category=category(tree.town, "normative"))
    committed(
        services.set_validity,
        actor=people["admin"],
        entry=sample["policy"],
        validity=Validity.REPEALED,
        invalid_date=date.today(),
        superseded_by=new,
    )
    page = (site_dir / f"dongshan/info/{sample['policy'].pk}/index.html").read_text()
    assert "本文件废止" in page and f'href="/dongshan/info/{new.pk}/"' in page


def test_shrinking_list_drops_stale_pages(
    tree: Any, draft: Any, publish: Any, people: Any, committed: Any, site_dir: Path
) -> None:
    entries = [publish(draft(title=f"通知{n}")) for n in range(21)]
    build_site()
    assert (site_dir / "dongshan/list/notices/p2/index.html").exists()
    committed(services.withdraw, actor=people["admin"], entry=entries[0], reason="重复发布")
    assert not (site_dir / "dongshan/list/notices/p2/index.html").exists()


def test_no_site_yet_means_no_refresh(sample: dict[str, Any], site_dir: Path) -> None:
    assert builder.refresh_entry(sample["policy"].pk, []) == []
    assert not site_dir.exists()


def test_guide_follows_office_data(sample: dict[str, Any], tree: Any, committed: Any, site_dir: Path) -> None:
    from gongkai.orgs.models import Org

    build_site()
    town = Org.objects.get(pk=tree.town.pk)

    def change() -> None:
        town.phone = "0571-99990000"
        town.office_hours = "工作日 8:30-12:00，14:00-17:30"
        town.save()

    committed(change)
    guide = (site_dir / "dongshan/guide/index.html").read_text()
    assert "0571-99990000" in guide and "14:00-17:30" in guide


def test_renaming_a_column_rewrites_the_pages_of_its_entries(
    sample: dict[str, Any], tree: Any, people: Any, committed: Any, site_dir: Path
) -> None:
    from gongkai.catalog.categories import rename_category

    build_site()
    normative = category(tree.town, "normative")
    policy = sample["policy"]
    page = f"dongshan/info/{policy.pk}/index.html"
    assert normative.name in snapshot(site_dir)[page].decode()
    committed(rename_category, actor=people["admin"], category=normative, name="镇规范性文件")
    html = snapshot(site_dir)[page].decode()
    assert "镇规范性文件" in html


def test_unlinking_a_related_entry_rewrites_its_page_too(
    sample: dict[str, Any], people: Any, committed: Any, site_dir: Path
) -> None:
    build_site()
    policy, reading = sample["policy"], sample["reading"]
    page = f"dongshan/info/{reading.pk}/index.html"
    assert f"/info/{policy.pk}/" in snapshot(site_dir)[page].decode()  # the reading links back to the policy
    committed(services.set_related, actor=people["admin"], entry=policy, related=[])
    assert f"/info/{policy.pk}/" not in snapshot(site_dir)[page].decode()
