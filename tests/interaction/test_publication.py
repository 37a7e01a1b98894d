"""公开: the submitter is masked on the public copy, the scanner gate refuses unmasked personal data, consent and
the kind decide whether a message can be published at all."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.core.errors import InvalidTransition, ValidationFailed
from gongkai.interaction import handling
from gongkai.interaction.models import Message

ID = "11010519491231002X"


def test_public_copy_masks_the_submitter(answered: Any, people: dict[str, Any]) -> None:
    m = answered(
        content=f"我是李大山，身份证{ID}，电话13912345678，住李家村3组，请问低保怎么申请？",
    )
    handling.publish(actor=people["signer"], message=m)
    m = Message.objects.get(pk=m.pk)
    public = m.public_title + m.public_content + m.public_reply + m.public_name
    for secret in ("李大山", ID, "13912345678"):
        assert secret not in public
    assert m.public_name == "李**"
    assert "110105********002X" in m.public_content or "*" in m.public_content
    assert m.public_office == "东山镇民政办"


def test_edited_copy_with_personal_data_is_refused(answered: Any, people: dict[str, Any]) -> None:
    m = answered()
    with pytest.raises(ValidationFailed) as exc:
        handling.publish(actor=people["signer"], message=m, reply_text=f"请持身份证 {ID} 到镇民政办办理。")
    assert "答复内容含有未打码的信息（居民身份证号）" in exc.value.errors["__all__"][0]
    with pytest.raises(ValidationFailed) as exc2:
        handling.publish(actor=people["signer"], message=m, content="李大山反映路灯坏了。")
    assert "留言人的姓名" in " ".join(exc2.value.errors["__all__"])
    assert Message.objects.get(pk=m.pk).published_on is None


def test_office_landline_may_stay_in_the_reply(answered: Any, people: dict[str, Any]) -> None:
    m = answered()
    handling.publish(actor=people["signer"], message=m, reply_text="如有疑问请致电镇民政办 0571-88880101。")
    assert "0571-88880101" in Message.objects.get(pk=m.pk).public_reply


def test_no_consent_or_unpublishable_kind_is_refused(answered: Any, people: dict[str, Any]) -> None:
    m = answered(publish_consent=False)
    with pytest.raises(InvalidTransition, match="未同意公开"):
        handling.publish(actor=people["signer"], message=m)
    r = answered(kind="report", content="举报某村干部优亲厚友，低保评定不公平，请调查。")
    with pytest.raises(InvalidTransition, match="举报"):
        handling.publish(actor=people["signer"], message=r)


def test_publish_is_for_leaders_and_only_once(answered: Any, people: dict[str, Any]) -> None:
    from gongkai.core.errors import NotAllowed

    m = answered()
    with pytest.raises(NotAllowed):
        handling.publish(actor=people["drafter"], message=m)
    handling.publish(actor=people["admin"], message=m)
    with pytest.raises(InvalidTransition, match="已公开"):
        handling.publish(actor=people["admin"], message=m)
