from datetime import date

import pytest

from gongkai.catalog import services
from gongkai.catalog.models import EntryStatus, Validity
from gongkai.core.errors import InvalidTransition, ValidationFailed
from gongkai.core.models import AuditEvent


def test_full_flow_writes_audit_trail(draft, people):
    entry = draft(title="关于秋季征兵工作的通告")
    entry = services.submit_for_review(actor=people["drafter"], entry=entry)
    assert entry.status == EntryStatus.REVIEW
    entry = services.review_pass(actor=people["reviewer"], entry=entry, comment="无敏感信息")
    assert entry.status == EntryStatus.SIGNOFF and entry.index_number is None
    entry = services.sign_and_publish(actor=people["signer"], entry=entry)
    assert entry.status == EntryStatus.PUBLISHED
    assert entry.index_number.startswith("QH0101/")
    assert entry.published_date is not None and entry.lag_workdays is not None
    events = list(AuditEvent.objects.filter(object_type="catalog.entry", object_id=str(entry.pk)))
    assert [e.action for e in events] == ["entry.create", "entry.submit", "entry.review_pass", "entry.publish"]
    assert [(e.from_state, e.to_state) for e in events[1:]] == [
        ("draft", "review"),
        ("review", "signoff"),
        ("signoff", "published"),
    ]
    assert events[2].actor_name == "town_reviewer" and events[2].comment == "无敏感信息"
    assert events[0].changes["title"] == [None, "关于秋季征兵工作的通告"]


def test_return_needs_reason_and_goes_back_to_drafter(draft, people):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft())
    with pytest.raises(InvalidTransition, match="理由"):
        services.review_return(actor=people["reviewer"], entry=entry, comment="  ")
    entry = services.review_return(actor=people["reviewer"], entry=entry, comment="附件含身份证号")
    assert entry.status == EntryStatus.RETURNED and entry.return_reason == "附件含身份证号"
    entry = services.update_draft(actor=people["drafter"], entry=entry, title="已改正的标题")
    entry = services.submit_for_review(actor=people["drafter"], entry=entry)
    assert entry.status == EntryStatus.REVIEW and entry.return_reason == ""


def test_signer_can_return(draft, people):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft())
    entry = services.review_pass(actor=people["reviewer"], entry=entry)
    entry = services.sign_return(actor=people["signer"], entry=entry, comment="文号有误")
    assert entry.status == EntryStatus.RETURNED


def test_transitions_out_of_order_are_refused(draft, people, publish):
    entry = draft()
    with pytest.raises(InvalidTransition, match="草稿"):
        services.sign_and_publish(actor=people["signer"], entry=entry)
    entry = publish(entry)
    with pytest.raises(InvalidTransition):
        services.submit_for_review(actor=people["drafter"], entry=entry)
    with pytest.raises(InvalidTransition, match="“已发布”状态的信息不能直接修改"):
        services.update_draft(actor=people["drafter"], entry=entry, title="偷偷修改")


def test_withdraw_keeps_entry_and_index(draft, people, publish):
    entry = publish(draft())
    number = entry.index_number
    with pytest.raises(InvalidTransition, match="理由"):
        services.withdraw(actor=people["admin"], entry=entry, reason="")
    entry = services.withdraw(actor=people["admin"], entry=entry, reason="内容有误")
    assert entry.status == EntryStatus.WITHDRAWN and entry.index_number == number
    assert entry.withdrawn_reason == "内容有误" and entry.withdrawn_at is not None


def test_validity_repealed_with_successor(draft, people, publish):
    old = publish(draft(title="旧办法"))
    new = publish(draft(title="新办法"))
    with pytest.raises(ValidationFailed) as exc:
        services.set_validity(actor=people["admin"], entry=old, validity=Validity.REPEALED)
    assert exc.value.field == "invalid_date"
    old = services.set_validity(
        actor=people["admin"], entry=old, validity=Validity.REPEALED, invalid_date=date(2025, 6, 1), superseded_by=new
    )
    assert old.validity == Validity.REPEALED and old.superseded_by == new
    assert old.versions.count() == 2


def test_edit_published_creates_version_and_keeps_index(draft, people, publish):
    entry = publish(draft(title="原标题"))
    number = entry.index_number
    with pytest.raises(ValidationFailed, match="修改说明"):
        services.edit_published(actor=people["admin"], entry=entry, reason="", title="新标题")
    entry = services.edit_published(actor=people["admin"], entry=entry, reason="更正错别字", title="新标题")
    assert entry.index_number == number and entry.version == 2
    versions = list(entry.versions.order_by("number"))
    assert [v.snapshot["title"] for v in versions] == ["原标题", "新标题"]
    assert versions[1].reason == "更正错别字"
    event = AuditEvent.objects.filter(action="entry.edit_published").get()
    assert event.changes["title"] == ["原标题", "新标题"]


def test_related_entries(draft, people, publish):
    policy = publish(draft(title="某办法"))
    reading = publish(draft(title="《某办法》政策解读"))
    services.set_related(actor=people["admin"], entry=policy, related=[reading])
    assert list(reading.related.all()) == [policy]


def test_published_entry_is_never_deleted_by_services(draft, publish):
    from django.db.models import ProtectedError

    from gongkai.catalog.models import Category

    entry = publish(draft())
    with pytest.raises(ProtectedError):
        Category.objects.filter(pk=entry.category_id).delete()
