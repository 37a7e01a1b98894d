"""Backup → change everything → restore gives back every row and every file; a damaged backup is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.models import AuditEvent
from gongkai.ops.backup import BackupError, verify


def snapshot_rows() -> dict[str, list[dict]]:
    out = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        out[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return out


def snapshot_files(root: Path) -> dict[str, bytes]:
    root = root.resolve() if root.exists() else root
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def world(transactional_db, settings, tree, people, draft, publish):
    """Real data: entries in several states, an attachment file, a built site, audit events."""
    from gongkai.portal.builder import build_site

    publish(draft(title="已公开的通知"))
    draft(title="仍在起草")
    media = Path(settings.MEDIA_ROOT)
    (media / "attachments" / "2025").mkdir(parents=True)
    (media / "attachments" / "2025" / "附件一.pdf").write_bytes(b"%PDF-1.4 test\n" * 50)
    build_site()
    assert (Path(settings.SITE_DIR) / "index.html").exists()
    return settings


def test_round_trip(world, tmp_path, draft):
    settings = world
    rows, media, site = snapshot_rows(), snapshot_files(Path(settings.MEDIA_ROOT)), snapshot_files(settings.SITE_DIR)
    assert rows["core.AuditEvent"] and media and "index.html" in site
    out = tmp_path / "bk"
    call_command("backup", str(out), verbosity=0)
    manifest = verify(out)
    assert "media/attachments/2025/附件一.pdf" in manifest["files"] and "site/index.html" in manifest["files"]
    assert manifest["database"] == ("sqlite" if connection.vendor == "sqlite" else "pg_dump")

    # Change everything after the backup: new rows, a deleted file, an edited file, a changed site.
    draft(title="备份之后的草稿")
    audit.record(Action.TASKS_RECOVERED, comment="备份之后")
    (Path(settings.MEDIA_ROOT) / "attachments" / "2025" / "附件一.pdf").unlink()
    (Path(settings.MEDIA_ROOT) / "later.txt").write_text("later")
    (Path(settings.SITE_DIR) / "index.html").write_text("defaced")
    assert snapshot_rows() != rows

    call_command("restore", str(out), verbosity=0)
    connection.close()  # a fresh connection sees the restored database, as the server would after restore
    assert snapshot_rows() == rows
    assert snapshot_files(Path(settings.MEDIA_ROOT)) == media
    assert snapshot_files(Path(settings.SITE_DIR)) == site
    assert audit.verify() == []
    assert not AuditEvent.objects.filter(comment="备份之后").exists()


def test_damaged_backup_is_refused_before_anything_changes(world, tmp_path, draft):
    out = tmp_path / "bk"
    call_command("backup", str(out), verbosity=0)
    draft(title="恢复失败后仍应保留")
    before = snapshot_rows()
    (out / "media" / "attachments" / "2025" / "附件一.pdf").write_bytes(b"tampered")
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(out), verbosity=0)
    assert "备份已损坏" in str(exc.value) and "附件一.pdf" in str(exc.value) and "SHA-256" in str(exc.value)
    assert snapshot_rows() == before


@pytest.mark.parametrize("damage", ["missing", "extra", "manifest"])
def test_other_damage(world, tmp_path, damage):
    out = tmp_path / "bk"
    call_command("backup", str(out), verbosity=0)
    if damage == "missing":
        (out / "site" / "index.html").unlink()
        expected = "缺少文件 site/index.html"
    elif damage == "extra":
        (out / "media" / "webshell.php").write_text("<?php ?>")
        expected = "清单之外多出文件 media/webshell.php"
    else:
        (out / "manifest.json").write_text("{not json")
        expected = "清单文件 manifest.json 无法读取"
    with pytest.raises(BackupError) as exc:
        verify(out)
    assert expected in str(exc.value)


def test_backup_refuses_a_non_empty_folder(world, tmp_path):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "x").write_text("x")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", str(tmp_path / "bk"), verbosity=0)


@pytest.mark.postgres_only
def test_round_trip_with_dumpdata_when_pg_dump_is_missing(world, tmp_path, monkeypatch):
    import gongkai.ops.backup as backup_module

    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    rows = snapshot_rows()
    out = tmp_path / "bk"
    call_command("backup", str(out), verbosity=0)
    assert verify(out)["database"] == "dumpdata"
    audit.record(Action.TASKS_RECOVERED, comment="备份之后")
    call_command("restore", str(out), verbosity=0)
    after = snapshot_rows()
    for label in rows:
        assert after[label] == rows[label], label
    assert audit.verify() == []
    # The search index is rebuilt, vectors included (they are not model fields, so the copy lacks them).
    from gongkai.search import selectors

    assert rows["search.SearchDocument"]
    assert [h.entry.title for h in selectors.search(q="已公开的通知").hits] == ["已公开的通知"]


def test_backup_and_restore_say_each_step_as_it_ends(world, tmp_path):
    from io import StringIO

    out, said = tmp_path / "bk", StringIO()
    call_command("backup", str(out), stdout=said)
    lines = said.getvalue().splitlines()
    assert lines[0] == f"正在备份到 {out} …"
    steps = [line.split("：")[0].strip() for line in lines[1:5]]
    assert steps[0].startswith("1/4 数据库（") and steps[0].endswith("MB）")
    assert steps[1].startswith("2/4 上传的文件（") and steps[2].startswith("3/4 公开网站（")
    assert steps[3] == "4/4 校验值清单"
    assert all("完成，用时" in line and line.endswith("秒") for line in lines[1:5])
    assert lines[5].startswith("备份完成：")
    said = StringIO()
    call_command("restore", str(out), stdout=said)
    connection.close()
    lines = said.getvalue().splitlines()
    assert [line.split("：")[0].strip().split("（")[0] for line in lines[1:5]] == [
        "1/4 校验备份",
        "2/4 数据库",
        "3/4 上传的文件",
        "4/4 公开网站",
    ]
    assert lines[5].startswith("恢复完成：")
