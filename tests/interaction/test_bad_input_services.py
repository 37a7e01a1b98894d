"""Bad input to intake: each field named in Chinese, nothing stored; duplicates point to the first number."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.core.errors import ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.interaction import intake
from gongkai.interaction.models import Message

from .conftest import message_data

SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("title", "", "请填写标题"),
        ("content", "", "请填写留言内容"),
        ("content", "好" * 2001, "留言内容不能超过 2000 个字"),
        ("name", "", "请填写姓名"),
        ("phone", "", "请填写联系电话"),
        ("phone", "12345", "联系电话格式不正确"),
        ("email", "not-an-email", "电子邮箱格式不正确"),
        ("kind", "gossip", "请选择留言类型"),
        ("kind", "hotline", "请选择留言类型"),
        ("name", "李😀", "姓名不能包含表情符号"),
        ("content", "路灯坏了\x07请修理一下谢谢", "控制字符"),
    ],
)
def test_bad_field_is_named_and_nothing_is_stored(tree: Any, field: str, value: str, words: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        intake.submit_online(unit=tree.town, data=message_data(**{field: value}))
    assert words in exc.value.errors[field][0]
    assert not Message.objects.exists() and not AuditEvent.objects.filter(action="message.submit").exists()


@pytest.mark.parametrize("field", ["title", "content", "name", "phone", "email", "addressee"])
def test_script_in_every_field(tree: Any, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        intake.submit_online(unit=tree.town, data=message_data(kind="leader", **{field: SCRIPT}))
    assert field in exc.value.errors
    assert not Message.objects.exists()


def test_unknown_or_inactive_unit(tree: Any) -> None:
    for unit in (None, tree.office):
        with pytest.raises(ValidationFailed) as exc:
            intake.submit_online(unit=unit, data=message_data())
        assert "受理留言的单位" in exc.value.errors["unit"][0]


def test_emoji_in_the_text_is_kept(tree: Any, calendar_until_next_year: None) -> None:
    m, _ = intake.submit_online(unit=tree.town, data=message_data(content="路灯修好了吗？谢谢👍🙏"))
    assert Message.objects.get(pk=m.pk).content.endswith("👍🙏")


def test_same_content_within_a_day_is_refused(tree: Any, calendar_until_next_year: None) -> None:
    first, _ = intake.submit_online(unit=tree.town, data=message_data())
    with pytest.raises(ValidationFailed) as exc:
        intake.submit_online(unit=tree.town, data=message_data(title="再问一次", name="张三"))
    assert first.number in exc.value.errors["content"][0]
    assert Message.objects.count() == 1
    # Another unit may receive the same text.
    intake.submit_online(unit=tree.street, data=message_data())
    assert Message.objects.count() == 2


def test_numbers_are_per_unit_and_year(tree: Any, calendar_until_next_year: None) -> None:
    a, code_a = intake.submit_online(unit=tree.town, data=message_data())
    b, _ = intake.submit_online(unit=tree.town, data=message_data(content="第二条不同的留言内容，请答复。"))
    c, _ = intake.submit_online(unit=tree.street, data=message_data())
    assert a.number.endswith("-00001") and b.number.endswith("-00002") and c.number.endswith("-00001")
    assert code_a not in a.query_code_hash and len(a.query_code_hash) == 64


def test_hotline_entry_needs_number_and_deadline(tree: Any, people: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        intake.enter_message(
            actor=people["admin"], unit=tree.town, data=message_data(kind="hotline"), channel="hotline"
        )
    assert set(exc.value.errors) >= {"external_number", "external_deadline"}
    assert not Message.objects.exists()
