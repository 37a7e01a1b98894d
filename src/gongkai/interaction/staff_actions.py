"""The page's half of each handling step (``actions.ROWS``): its form and the service it calls. Same names as
the transition table (tests/interaction/test_staff_pages.py holds them equal)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from . import handling
from .models import Message
from .publicity import default_copy


def _reason(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs={"maxlength": 200}))


class NoForm(forms.Form):
    pass


class RejectForm(forms.Form):
    reason = _reason("不予受理理由")
    where = forms.CharField(label="建议反映渠道（不属于本单位职责的，告知向哪里反映）", required=False)


class ReasonForm(forms.Form):
    reason = _reason("理由")


class DraftForm(forms.Form):
    text = forms.CharField(label="答复内容", required=False, widget=forms.Textarea(attrs={"rows": 6}))


class ApproveForm(forms.Form):
    text = forms.CharField(label="答复内容（可修改）", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    comment = forms.CharField(label="审核意见（选填）", required=False)


class PublishForm(forms.Form):
    title = forms.CharField(label="公开标题", required=False)
    content = forms.CharField(
        label="公开的留言内容（已自动打码，可再修改）", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    reply_text = forms.CharField(
        label="公开的答复内容（已自动打码，可再修改）", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


def office_form(message: Message, data: Any = None, label: str = "承办科室/村") -> forms.Form:
    class OfficeForm(forms.Form):
        office = forms.ChoiceField(
            label=label,
            choices=[("", "请选择"), *[(o.pk, o.name) for o in handling.offices(message.unit)]],
            required=False,
        )
        reason = _reason("转办理由")

    form = OfficeForm(data)
    if label == "承办科室/村":
        del form.fields["reason"]
    return form


@dataclass(frozen=True)
class Card:
    name: str
    button: str
    make: Callable[[Message, Any], forms.Form]
    run: Callable[[Any, Message, dict[str, Any]], Any]
    done: str


def _initial_draft(message: Message, data: Any) -> forms.Form:
    reply = handling.current_reply(message)
    return DraftForm(data, initial={"text": reply.text if reply else ""})


def _initial_approve(message: Message, data: Any) -> forms.Form:
    reply = handling.current_reply(message)
    return ApproveForm(data, initial={"text": reply.text if reply else ""})


def _initial_publish(message: Message, data: Any) -> forms.Form:
    reply = message.replies.filter(status="sent").order_by("-round").first()
    if reply is None:
        return PublishForm(data)
    copy = default_copy(message, reply)
    return PublishForm(data, initial={"title": copy.title, "content": copy.content, "reply_text": copy.reply})


CARDS: dict[str, Card] = {
    c.name: c
    for c in (
        Card("accept", "受理", lambda m, d: NoForm(d), lambda u, m, c: handling.accept(actor=u, message=m), "已受理"),
        Card(
            "reject",
            "不予受理",
            lambda m, d: RejectForm(d),
            lambda u, m, c: handling.reject(actor=u, message=m, reason=c["reason"], where=c["where"]),
            "已不予受理，留言人可在查询页看到理由",
        ),
        Card(
            "assign",
            "分办",
            lambda m, d: office_form(m, d),
            lambda u, m, c: handling.assign(actor=u, message=m, office=c["office"]),
            "已分办",
        ),
        Card(
            "transfer",
            "转办",
            lambda m, d: office_form(m, d, "转办到"),
            lambda u, m, c: handling.transfer(actor=u, message=m, office=c["office"], reason=c["reason"]),
            "已转办",
        ),
        Card(
            "return",
            "退回重新分办",
            lambda m, d: ReasonForm(d),
            lambda u, m, c: handling.return_to_unit(actor=u, message=m, reason=c["reason"]),
            "已退回",
        ),
        Card(
            "draft",
            "保存答复",
            _initial_draft,
            lambda u, m, c: handling.draft(actor=u, message=m, text=c["text"]),
            "答复已保存",
        ),
        Card(
            "approve",
            "审核签发",
            _initial_approve,
            lambda u, m, c: handling.approve(actor=u, message=m, text=c["text"], comment=c["comment"]),
            "已签发",
        ),
        Card(
            "review_return",
            "退回修改",
            lambda m, d: ReasonForm(d),
            lambda u, m, c: handling.review_return(actor=u, message=m, reason=c["reason"]),
            "已退回承办人修改",
        ),
        Card(
            "reply",
            "答复留言人",
            lambda m, d: NoForm(d),
            lambda u, m, c: handling.reply(actor=u, message=m),
            "已答复，留言人可在查询页看到答复",
        ),
        Card(
            "publish",
            "公开到留言选登",
            _initial_publish,
            lambda u, m, c: handling.publish(
                actor=u, message=m, title=c["title"], content=c["content"], reply_text=c["reply_text"]
            ),
            "已公开，网站的留言选登页面将在后台更新",
        ),
        Card(
            "withhold",
            "不予公开",
            lambda m, d: ReasonForm(d),
            lambda u, m, c: handling.withhold(actor=u, message=m, reason=c["reason"]),
            "已标记不予公开",
        ),
    )
}
