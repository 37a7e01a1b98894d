"""Every step of handling a message through its service: state, ledger, audit; refusals and permissions."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.interaction import actions, handling
from gongkai.interaction.models import Message


def _reload(m: Message) -> Message:
    return Message.objects.get(pk=m.pk)


def test_full_path_with_leader_review(submit: Any, people: dict[str, Any], tree: Any) -> None:
    m = submit(kind="complain", title="垃圾清运不及时", content="人民路垃圾站三天没有清运，气味很大，请尽快处理。")
    assert m.status == "received" and m.number.startswith("LY-QH0101-")
    handling.accept(actor=people["drafter"], message=m)
    handling.assign(actor=people["admin"], message=m, office=tree.office)
    handling.transfer(actor=people["admin"], message=m, office=tree.other_office, reason="经费问题由财政所答复")
    assert _reload(m).office == tree.other_office
    handling.draft(actor=people["other_drafter"], message=m, text="已协调环卫公司每日清运两次。")
    assert _reload(m).status == "reviewing"  # 投诉 needs leader review by default
    with pytest.raises(NotAllowed):
        handling.approve(actor=people["drafter"], message=m)
    handling.review_return(actor=people["signer"], message=m, reason="请写明具体清运时间")
    assert _reload(m).status == "handling"
    handling.draft(actor=people["other_drafter"], message=m, text="已协调环卫公司每日7时、17时各清运一次。")
    handling.approve(actor=people["signer"], message=m, comment="同意")
    assert _reload(m).status == "approved"
    handling.reply(actor=people["drafter"], message=m)
    m = _reload(m)
    assert m.status == "replied" and m.replied_on is not None
    kinds = list(m.events.values_list("kind", flat=True))
    assert kinds == [
        "received",
        "accepted",
        "assigned",
        "transferred",
        "drafted",
        "review_returned",
        "drafted",
        "approved",
        "replied",
    ]
    actions_recorded = list(
        AuditEvent.objects.filter(object_type="interaction.message", object_id=str(m.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions_recorded == [
        "message.submit",
        "message.accept",
        "message.assign",
        "message.transfer",
        "message.draft",
        "message.review_return",
        "message.draft",
        "message.approve",
        "message.reply",
    ]


def test_consult_needs_no_review_unless_the_unit_says_so(submit: Any, people: dict[str, Any], tree: Any) -> None:
    m = submit()
    handling.accept(actor=people["admin"], message=m)
    handling.assign(actor=people["admin"], message=m, office=tree.office)
    handling.draft(actor=people["drafter"], message=m, text="本周内安排维修。")
    assert _reload(m).status == "approved"
    handling.set_review(actor=people["admin"], unit=tree.town, kind="consult", required=True)
    m2 = submit(content="另一处路灯也坏了，在村委会门口，请一并维修。")
    handling.accept(actor=people["admin"], message=m2)
    handling.assign(actor=people["admin"], message=m2, office=tree.office)
    handling.draft(actor=people["drafter"], message=m2, text="一并安排维修。")
    assert _reload(m2).status == "reviewing"
    with pytest.raises(NotAllowed):
        handling.set_review(actor=people["drafter"], unit=tree.town, kind="consult", required=False)


def test_reject_with_reason_and_where_to_go(submit: Any, people: dict[str, Any]) -> None:
    m = submit()
    with pytest.raises(ValidationFailed) as exc:
        handling.reject(actor=people["admin"], message=m, reason="  ")
    assert "不予受理理由" in exc.value.errors["reason"][0]
    handling.reject(actor=people["admin"], message=m, reason="不属于本镇职责", where="县交通运输局 0571-88881234")
    m = _reload(m)
    assert m.status == "rejected"
    assert m.events.last().data == {"where": "县交通运输局 0571-88881234"}
    with pytest.raises(InvalidTransition) as refused:
        handling.accept(actor=people["admin"], message=m)
    assert "不予受理" in refused.value.message


def test_return_sends_back_for_another_assignment(submit: Any, people: dict[str, Any], tree: Any) -> None:
    m = submit()
    handling.accept(actor=people["admin"], message=m)
    handling.assign(actor=people["admin"], message=m, office=tree.village)
    handling.return_to_unit(actor=people["drafter"], message=m, reason="不属于本村")
    m = _reload(m)
    assert m.status == "accepted" and m.office is None


def test_wrong_state_and_wrong_people_are_refused(submit: Any, people: dict[str, Any], tree: Any) -> None:
    m = submit()
    with pytest.raises(InvalidTransition) as exc:
        handling.reply(actor=people["admin"], message=m)
    assert exc.value.message == "当前状态为“待受理”，不能答复"
    for outsider in ("street_admin", "supervisor", "sysadmin", "auditor"):
        with pytest.raises(NotAllowed):
            handling.accept(actor=people[outsider], message=m)
    assert _reload(m).status == "received"
    handling.accept(actor=people["admin"], message=m)
    with pytest.raises(ValidationFailed):
        handling.assign(actor=people["admin"], message=m, office=tree.street)  # not an office of the town
    assert [r.name for r in actions.available(_reload(m), people["drafter"])] == ["assign"]
    assert actions.available(_reload(m), people["street_admin"]) == []


def test_unsatisfied_reopens_once(answered: Any, people: dict[str, Any]) -> None:
    m = answered()
    first_due = m.due_date
    handling.rate(message=m, code=m.query_code, value="unsatisfied", comment="还没修")
    m2 = _reload(m)
    assert m2.status == "handling" and m2.reopened == 1 and m2.replied_on is None
    assert m2.due_date is not None and m2.due_date >= first_due
    handling.draft(actor=people["drafter"], message=m2, text="已于今日修复两盏路灯。")
    handling.reply(actor=people["drafter"], message=m2)
    handling.rate(message=m2, code=m.query_code, value="unsatisfied")
    m3 = _reload(m)
    assert m3.status == "closed" and m3.reopened == 1 and m3.ratings.count() == 2
    with pytest.raises(InvalidTransition):
        handling.rate(message=m3, code=m.query_code, value="satisfied")


def test_rating_needs_the_code(answered: Any) -> None:
    m = answered()
    with pytest.raises(NotAllowed):
        handling.rate(message=m, code="WRONG234", value="satisfied")
    with pytest.raises(ValidationFailed):
        handling.rate(message=m, code=m.query_code, value="great")
    assert _reload(m).ratings.count() == 0
    handling.rate(message=m, code=m.query_code.lower(), value="satisfied")
    assert _reload(m).status == "closed"


def test_withhold_takes_a_published_message_down(answered: Any, people: dict[str, Any]) -> None:
    m = answered()
    handling.publish(actor=people["signer"], message=m)
    assert _reload(m).published_on is not None
    with pytest.raises(NotAllowed):
        handling.withhold(actor=people["drafter"], message=m, reason="涉及个人隐私")
    handling.withhold(actor=people["signer"], message=m, reason="涉及个人隐私")
    m = _reload(m)
    assert m.published_on is None and m.withheld_reason == "涉及个人隐私" and m.public_content == ""
