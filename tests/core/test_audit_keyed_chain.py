"""Keyed, anchored audit chain (issue 17 item 1): a row edited in the database, a chain recomputed without
the key and a rollback of the whole log to an earlier anchored state are all reported; keys rotate."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from gongkai.core import anchors, audit
from gongkai.core.audit_actions import Action
from gongkai.core.models import AuditChainHead, AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def _events(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        audit.record(Action.TASKS_RECOVERED, comment=f"事件 {i}")


def _forge(events: list[AuditEvent], *, version: int, key: str = "") -> None:
    """What someone with database access but without the audit key can do: recompute every digest from
    ``events[0]`` on (plain SHA-256, or HMAC with a key they guessed) and the head to match."""
    prev = events[0].prev_hash
    for event in events:
        event.prev_hash = prev
        event.digest_version = version
        if version == 1:
            event.key_id = ""
            event.hash = audit._digest(event) or ""
        else:
            payload = {**audit._payload(event), "v": 2, "key_id": event.key_id}
            event.hash = hmac.new(key.encode(), audit._blob(payload), hashlib.sha256).hexdigest()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditevent SET prev_hash = %s, hash = %s, digest_version = %s, key_id = %s WHERE id = %s",
                [event.prev_hash, event.hash, event.digest_version, event.key_id, event.id],
            )
        prev = event.hash
    AuditChainHead.objects.filter(id=1).update(last_hash=prev, count=AuditEvent.objects.count())


def test_new_rows_are_keyed_and_verify(db, settings):
    _events(3)
    audit.record_many(Action.TASKS_RECOVERED, [], actor=None)
    rows = list(AuditEvent.objects.order_by("id"))
    assert {(e.digest_version, e.key_id) for e in rows} == {(2, audit.key_id(settings.GONGKAI_AUDIT_KEY))}
    assert settings.GONGKAI_AUDIT_KEY not in json.dumps([e.key_id for e in rows])
    assert audit.verify() == [] and anchors.verify() == []


def test_a_row_changed_with_raw_sql_is_reported(db):
    _events(4)
    victim = AuditEvent.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET comment = %s WHERE id = %s", ["篡改后的说明", victim.id])
    problems = audit.verify()
    assert [p.event_id for p in problems] == [victim.id] and "记录被修改" in problems[0].problem


@pytest.mark.parametrize("version", [1, 2], ids=["relabelled_unkeyed", "guessed_key"])
def test_a_row_deleted_and_the_chain_recomputed_without_the_key_is_reported(db, version):
    _events(6)
    rows = list(AuditEvent.objects.order_by("id"))
    AuditEvent.objects.filter(pk=rows[2].pk).delete()
    _forge(rows[3:], version=version, key="a-key-the-forger-guessed")
    problems = audit.verify()
    assert problems and min(p.event_id for p in problems if p.event_id) == rows[3].id
    expected = "之后出现无密钥记录" if version == 1 else "不持有密钥的人重新计算"
    assert any(expected in p.problem for p in problems)


def test_a_whole_log_recomputed_unkeyed_is_caught_by_the_anchor(db):
    _events(5)
    anchors.write()
    AuditEvent.objects.filter(pk=AuditEvent.objects.order_by("id")[1].pk).update(comment="改写的历史")
    rows = list(AuditEvent.objects.order_by("id"))
    rows[1].comment = "改写的历史"
    _forge(rows, version=1)
    assert audit.verify() == []  # self-consistent: only the anchor outside the database knows better
    problems = anchors.verify()
    assert [p.event_id for p in problems] == [rows[-1].id] and "整条链被重新计算" in problems[0].problem
    # a row deleted as well: fewer rows than anchored
    AuditEvent.objects.filter(pk=rows[2].pk).delete()
    _forge([r for r in rows if r.pk != rows[2].pk], version=1)
    assert audit.verify() == []
    assert any("日志被回滚" in p.problem for p in anchors.verify())


def test_a_rollback_to_an_earlier_state_is_reported(db):
    _events(3)
    anchors.write()
    _events(4, start=3)
    later = anchors.write()
    # Put the database back to the first anchor's state, head included (as restoring an old backup would).
    keep = list(AuditEvent.objects.order_by("id")[:3])
    AuditEvent.objects.exclude(pk__in=[e.pk for e in keep]).delete()
    AuditChainHead.objects.filter(id=1).update(last_hash=keep[-1].hash, count=3)
    assert audit.verify() == []
    problems = anchors.verify()
    assert [p.problem for p in problems] == [
        f"日志被回滚：{later.describe()}已有 7 条记录，现在只有 3 条",
    ]
    # and after the rollback, new rows do not hide it: the anchored 7th row is not what is there now
    _events(5, start=100)
    problems = anchors.verify()
    assert any(p.event_id and "锚点" in p.problem for p in problems)


def test_key_rotation_verifies_across_the_boundary(db, settings):
    old_key = settings.GONGKAI_AUDIT_KEY
    _events(2)
    anchors.write()
    settings.GONGKAI_AUDIT_KEY, settings.GONGKAI_AUDIT_OLD_KEYS = "n" * 40, [old_key]
    _events(2, start=2)
    anchors.write()
    ids = [e.key_id for e in AuditEvent.objects.order_by("id")]
    assert ids[:2] == [audit.key_id(old_key)] * 2 and ids[2:] == [audit.key_id("n" * 40)] * 2
    assert anchors.verify() == []
    # without the retired key the old rows (and the anchor signed with it) cannot be checked, and it says so
    settings.GONGKAI_AUDIT_OLD_KEYS = []
    problems = anchors.verify()
    assert len([p for p in problems if p.event_id]) == 2
    assert all("GONGKAI_AUDIT_OLD_KEYS" in p.problem for p in problems if p.event_id)
    assert any("锚点使用的审计密钥" in p.problem for p in problems)


def test_unkeyed_rows_from_before_stay_valid_and_are_followed_by_keyed_ones(db):
    prev = audit.GENESIS
    for i in range(2):
        event = AuditEvent(
            created_at=timezone.now(), actor_name="system", action="tasks.recovered", comment=f"旧 {i}", prev_hash=prev
        )
        event.hash = audit._digest(event) or ""
        event.save()
        prev = event.hash
    AuditChainHead.objects.create(id=1, last_hash=prev, count=2)
    _events(2)
    assert [e.digest_version for e in AuditEvent.objects.order_by("id")] == [1, 1, 2, 2]
    assert audit.verify() == []


def test_an_edited_anchor_line_is_reported(db):
    _events(2)
    anchors.write()
    path = anchors.anchor_file()
    line = json.loads(path.read_text())
    line["seq"] = 1
    path.write_text(json.dumps(line) + "\n")
    assert [p.problem for p in anchors.verify()] == ["audit-anchors.log 第 1 行：锚点的校验码不符，锚点被修改或伪造"]


def test_the_backup_manifest_carries_an_anchor_that_verify_reads(transactional_db, tmp_path):
    _events(3)
    call_command("backup", str(tmp_path / "bk"), verbosity=0)
    manifest = tmp_path / "bk" / "manifest.json"
    assert json.loads(manifest.read_text())["audit_anchor"]["seq"] == 3
    anchors.anchor_file().unlink()  # the file is gone: the manifest kept elsewhere still anchors the head
    AuditEvent.objects.order_by("-id").first().delete()
    AuditChainHead.objects.filter(id=1).update(last_hash=AuditEvent.objects.order_by("-id").first().hash, count=2)
    assert audit.verify() == []
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--anchors", str(manifest))


def test_the_commands_anchor_and_report_the_first_broken_row_in_chinese(db):
    _events(3)
    out = io.StringIO()
    call_command("audit", "anchor", stdout=out)
    assert "已记录锚点：第 3 条记录" in out.getvalue()
    listed = io.StringIO()
    call_command("audit", "anchor", "--list", stdout=listed)
    assert json.loads(listed.getvalue().splitlines()[0])["seq"] == 3
    good = io.StringIO()
    call_command("audit", "verify", stdout=good)
    assert "审计日志完整：3 条记录，哈希链无断裂，与 1 个锚点一致。" in good.getvalue()
    victim = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=victim.pk).update(comment="改过")
    err = io.StringIO()
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("audit", "verify", stderr=err)
    assert err.getvalue().startswith(f"第一处被破坏的记录：记录 {victim.id}：")


def test_anchoring_is_due_daily(db):
    assert anchors.due()
    anchors.write()
    assert not anchors.due()
    assert anchors.due(now=timezone.now() + timedelta(hours=25))


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "SECRET_KEY"))}
    return subprocess.run(
        [sys.executable, "-c", "import gongkai.settings"],
        env={**clean, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_requires_an_audit_key_distinct_from_the_secret_key(tmp_path):
    base = {"GONGKAI_ENV": "production", "SECRET_KEY": "s" * 50, "GONGKAI_DATA_DIR": str(tmp_path)}
    missing = _settings_in(base)
    assert missing.returncode != 0 and "必须设置 GONGKAI_AUDIT_KEY" in missing.stderr
    same = _settings_in({**base, "GONGKAI_AUDIT_KEY": "s" * 50})
    assert same.returncode != 0 and "不得与 SECRET_KEY 相同" in same.stderr
    fallbacks = "x" * 50 + ", " + "o" * 40
    old_site_key = _settings_in({**base, "GONGKAI_AUDIT_KEY": "o" * 40, "SECRET_KEY_FALLBACKS": fallbacks})
    assert old_site_key.returncode != 0 and "不得与 SECRET_KEY 相同" in old_site_key.stderr  # nor an old one
    short = _settings_in({**base, "GONGKAI_AUDIT_KEY": "short"})
    assert short.returncode != 0 and "至少 32 个字符" in short.stderr
    assert _settings_in({**base, "GONGKAI_AUDIT_KEY": "k" * 40}).returncode == 0
    assert not (tmp_path / "audit.key").exists()  # production never generates one


def test_development_generates_its_key_once(tmp_path):
    env = {"GONGKAI_ENV": "development", "GONGKAI_DATA_DIR": str(tmp_path)}
    assert _settings_in(env).returncode == 0
    key = (tmp_path / "audit.key").read_text()
    assert len(key.strip()) >= 32 and (tmp_path / "audit.key").stat().st_mode & 0o077 == 0
    assert _settings_in(env).returncode == 0 and (tmp_path / "audit.key").read_text() == key
