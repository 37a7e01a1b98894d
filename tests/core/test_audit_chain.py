import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core import audit
from gongkai.core.models import AuditEvent


def test_chain_verifies(draft, publish):
    publish(draft())
    assert audit.verify() == []


def test_edited_row_detected(draft, publish):
    publish(draft())
    event = AuditEvent.objects.filter(action="entry.publish").get()
    AuditEvent.objects.filter(pk=event.pk).update(comment="篡改")
    problems = audit.verify()
    assert [p.event_id for p in problems] == [event.pk]


def test_deleted_row_detected(draft, publish):
    publish(draft())
    middle = AuditEvent.objects.order_by("id")[3]
    AuditEvent.objects.filter(pk=middle.pk).delete()
    assert audit.verify()
    with pytest.raises(CommandError, match="校验失败"):
        call_command("audit", "verify")


def test_deleted_last_row_detected(draft):
    draft()
    AuditEvent.objects.order_by("-id").first().delete()
    assert any("删除" in p.problem for p in audit.verify())


def test_export_csv(draft, tmp_path):
    draft()
    out = tmp_path / "audit.csv"
    call_command("audit", "export", "--out", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("时间,操作人") and "entry.create" in text
