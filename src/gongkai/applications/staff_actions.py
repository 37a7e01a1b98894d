"""The case page's half of the action table: for each row of ``actions`` its card (heading, button,
template partial), its form and the service it runs, with the Chinese message staff see afterwards.

Keyed by the same names as ``actions.TABLE`` (tests/applications/test_action_table.py holds the two equal).
The status and permission rules are not here: ``actions`` has them and the services ask it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone

from gongkai import rules
from gongkai.core.errors import ValidationFailed

from . import actions, handling, intake, letters, promotion, remedies, replies, selectors
from . import forms as f
from .models import Appeal, Application

FormMaker = Callable[..., forms.Form]
"""``(app, data, files, **form_kwargs)`` → the form; ``data`` None for the unbound one."""


@dataclass(frozen=True)
class Done:
    """What a service run tells the officer, and where the page goes next (default: the case page)."""

    message: str
    url: str | None = None
    warning: str = ""  # shown after the message as a warning (the action was done all the same)


Runner = Callable[[Any, Application, dict[str, Any]], Done]
"""``(user, app, cleaned_data)`` → calls the service (which raises a domain error when it refuses)."""

ACTION_CARD = "applications/staff/_action.html"


@dataclass(frozen=True)
class StaffForm:
    name: str
    title: str | Callable[[], str]
    button: str
    make: FormMaker
    run: Runner
    today: tuple[str, ...] = ("on",)  # date fields the unbound form fills with today
    multipart: bool = False
    partial: str = ACTION_CARD
    anchor: str = ""  # the case page's element to return to; default the card itself

    def unbound(self, app: Application) -> forms.Form:
        day = timezone.localdate()
        return self.make(app, None, None, initial={key: day for key in self.today})

    def bound(self, app: Application, data: Any, files: Any) -> forms.Form:
        return self.make(app, data, files)

    def heading(self) -> str:
        return self.title() if callable(self.title) else self.title


@dataclass(frozen=True)
class Card:
    """One action card on the case page."""

    name: str
    title: str
    button: str
    form: forms.Form
    multipart: bool
    partial: str


def _plain(cls: type[forms.Form]) -> FormMaker:
    def make(app: Application, data: Any, files: Any, **kwargs: Any) -> forms.Form:
        return cls(data, files, **kwargs)

    return make


def _extension_form(app: Application, data: Any, files: Any, **kwargs: Any) -> forms.Form:
    return f.ExtensionForm(data, files, unit=app.unit, **kwargs)  # approvers: the case's unit


def _transfer_form(app: Application, data: Any, files: Any, **kwargs: Any) -> forms.Form:
    return f.TransferForm(data, files, exclude=app.unit, **kwargs)  # any other unit


def _promote_form(app: Application, data: Any, files: Any, **kwargs: Any) -> forms.Form:
    similar = [s.application for s in selectors.similar_cases(app)]
    return f.PromoteForm(data, files, app=app, similar=similar, **kwargs)


def _promote_link_form(app: Application, data: Any, files: Any, **kwargs: Any) -> forms.Form:
    return f.PromoteLinkForm(data, files, app=app, **kwargs)


# ---- the service calls ------------------------------------------------------------------------------------


def _receive(user: Any, app: Application, d: dict[str, Any]) -> Done:
    intake.confirm_receipt(actor=user, application=app, received_on=d["received_on"])
    return Done("已确认收到申请，开始计算答复期限")


def _reply(user: Any, app: Application, d: dict[str, Any]) -> Done:
    result = d.get("result")
    replies.reply(
        actor=user,
        application=app,
        result=result.key if result else "",
        on=d["on"],
        content=d.get("content", ""),
        proactive_location=d.get("proactive_location", ""),
        referred_agency=d.get("referred_agency", ""),
        proactive=bool(d.get("proactive")),
    )
    return Done("已答复，申请办结；可生成答复告知书")


def _correction_request(user: Any, app: Application, d: dict[str, Any]) -> Done:
    handling.request_correction(actor=user, application=app, on=d["on"], items=d["items"], due=d["due"])
    return Done("已记录补正通知，可生成《补正申请通知书》")


def _correction_receive(user: Any, app: Application, d: dict[str, Any]) -> Done:
    handling.record_correction(actor=user, application=app, on=d["on"], note=d.get("note", ""))
    return Done("已记录收到补正，答复期限重新计算")


def _consultation_start(user: Any, app: Application, d: dict[str, Any]) -> Done:
    handling.start_consultation(
        actor=user,
        application=app,
        on=d["on"],
        party=d["party"],
        who=d["who"],
        matter=d.get("matter", ""),
        delivered_on=d.get("delivered_on"),
    )
    return Done("已开始征求意见，答复期限暂停")


def _consultation_delivered(user: Any, app: Application, d: dict[str, Any]) -> Done:
    handling.record_consultation_delivered(actor=user, application=app, on=d["on"])
    return Done("已记录征求意见书送达日期，征求意见期限自该日起计算")


def _consultation_end(user: Any, app: Application, d: dict[str, Any]) -> Done:
    handling.end_consultation(actor=user, application=app, on=d["on"], outcome=d.get("outcome", ""))
    return Done("征求意见已结束，答复期限继续计算")


def _extend(user: Any, app: Application, d: dict[str, Any]) -> Done:
    handling.extend(
        actor=user,
        application=app,
        on=d["on"],
        days=d.get("days"),
        reason=d.get("reason", ""),
        approved_by=d.get("approved_by"),
        notified_on=d.get("notified_on"),
    )
    return Done("已延长答复期限")


def _reasonable_period(user: Any, app: Application, d: dict[str, Any]) -> Done:
    handling.set_reasonable_period(
        actor=user,
        application=app,
        on=d["on"],
        due=d["due"],
        reason=d.get("reason", ""),
        notified_on=d.get("notified_on"),
    )
    return Done(f"已确定延迟答复的合理期限至 {d['due']:%Y-%m-%d}（第三十五条）")


def _fee_notice(user: Any, app: Application, d: dict[str, Any]) -> Done:
    notice = handling.issue_fee_notice(
        actor=user,
        application=app,
        on=d["on"],
        basis=d["basis"],
        quantity=d.get("quantity"),
        delivered_on=d.get("delivered_on"),
    )
    return Done(f"已发出收费通知，金额 {notice.amount} 元")


def _fee_paid(user: Any, app: Application, d: dict[str, Any]) -> Done:
    handling.record_payment(actor=user, application=app, on=d["on"])
    return Done("已记录缴费")


def _transfer(user: Any, app: Application, d: dict[str, Any]) -> Done:
    new = intake.transfer(actor=user, application=app, to_unit=d["to_unit"], on=d["on"], reason=d.get("reason", ""))
    return Done(f"已转送{new.unit.name}，新编号 {new.tracking_number}")


def _promote(user: Any, app: Application, d: dict[str, Any]) -> Done:
    done = promotion.promote(
        actor=user,
        application=app,
        title=d["title"],
        category=d["category"],
        summary=d.get("summary", ""),
        reason=d.get("reason", ""),
        others=list(d.get("others") or []),
    )
    linked = "、".join(a.tracking_number for a in done.linked)
    warning = f"以下文件未能复制，请在信息中手工上传：{'、'.join(done.failed)}" if done.failed else ""
    return Done(
        f"已生成主动公开信息草稿《{done.entry.title}》，关联申请 {linked}；请补充完善后提交审核",
        url=reverse("staff:entry_edit", kwargs={"pk": done.entry.pk}),
        warning=warning,
    )


def _promote_link(user: Any, app: Application, d: dict[str, Any]) -> Done:
    row = promotion.link(actor=user, application=app, entry=d["entry"], reason=d.get("reason", ""))
    return Done(f"已关联主动公开信息《{row.entry.title}》")


def _letter(user: Any, app: Application, d: dict[str, Any]) -> Done:
    """Numbers the letter now; its page shows "正在生成…" until the worker has rendered DOCX and PDF."""
    letter = letters.generate(
        actor=user, application=app, kind=d["kind"], on=d["on"], request_key=d.get("request_key", "")
    )
    return Done(
        f"已编号《{letter.title}》{letter.number}",
        url=reverse("applications_staff:letter_page", kwargs={"pk": app.pk, "letter_id": letter.pk}),
    )


def _upload(user: Any, app: Application, d: dict[str, Any]) -> Done:
    letters.upload(
        actor=user, application=app, kind=d["kind"], title=d.get("title", ""), upload=d["upload"], on=d["on"]
    )
    return Done("已上传文书")


def _appeal(user: Any, app: Application, d: dict[str, Any]) -> Done:
    appeal = replies.record_appeal(
        actor=user,
        application=app,
        kind=d["kind"],
        filed_on=d["filed_on"],
        authority=d.get("authority", ""),
        case_number=d.get("case_number", ""),
        note=d.get("note", ""),
    )
    return Done("已登记行政复议/诉讼", warning=remedies.direct_suit_warning(app, appeal.kind))


def _appeal_decide(user: Any, app: Application, d: dict[str, Any]) -> Done:
    appeal = Appeal.objects.filter(pk=d["appeal"], application=app).first()
    if appeal is None:
        raise ValidationFailed({"appeal": ["没有找到该复议/诉讼记录"]})
    replies.decide_appeal(actor=user, appeal=appeal, outcome=d["outcome"], decided_on=d.get("decided_on"))
    return Done("已更新复议/诉讼结果")


def _correction_title() -> str:
    return f"补正通知（收到后{rules.get('correction_request').text}内，一次性）"


STAFF: dict[str, StaffForm] = {
    s.name: s
    for s in (
        StaffForm(
            "receive", "确认收到申请（双方确认之日）", "确认收到", _plain(f.ReceiptForm), _receive, ("received_on",)
        ),
        StaffForm("reply", "答复（选择办理结果）", "答复并办结", _plain(f.ReplyForm), _reply),
        StaffForm(
            "correction_request",
            _correction_title,
            "记录补正通知",
            _plain(f.CorrectionRequestForm),
            _correction_request,
        ),
        StaffForm(
            "correction_receive", "收到补正", "记录收到补正", _plain(f.CorrectionReceivedForm), _correction_receive
        ),
        StaffForm(
            "consultation_start",
            "征求第三方/其他机关意见",
            "开始征求意见",
            _plain(f.ConsultationStartForm),
            _consultation_start,
        ),
        StaffForm(
            "consultation_delivered",
            "征求意见书送达（对方签收之日）",
            "记录送达",
            _plain(f.ConsultationDeliveredForm),
            _consultation_delivered,
        ),
        StaffForm("consultation_end", "征求意见结束", "记录结束", _plain(f.ConsultationEndForm), _consultation_end),
        StaffForm(
            "extend",
            "延长答复期限（须负责人同意并告知申请人）",
            "记录延期",
            _extension_form,
            _extend,
            ("on", "notified_on"),
        ),
        StaffForm(
            "reasonable_period",
            "确定延迟答复的合理期限（第三十五条：申请数量、频次明显超过合理范围，理由合理但无法按期答复）",
            "确定合理期限",
            _plain(f.ReasonablePeriodForm),
            _reasonable_period,
            ("on", "notified_on"),
        ),
        StaffForm("fee_notice", "信息处理费收费通知", "发出收费通知", _plain(f.FeeNoticeForm), _fee_notice),
        StaffForm("fee_paid", "申请人缴费", "记录缴费", _plain(f.DateForm), _fee_paid),
        StaffForm("transfer", "转送其他机关（尚未确认收到的）", "转送", _transfer_form, _transfer),
        StaffForm(
            "promote",
            "转为主动公开（第四十四条：生成信息草稿，经审核审签后发布）",
            "生成主动公开草稿",
            _promote_form,
            _promote,
            today=(),
        ),
        StaffForm(
            "promote_link",
            "关联已主动公开的信息（第四十四条）",
            "关联",
            _promote_link_form,
            _promote_link,
            today=(),
        ),
        StaffForm("letter", "生成文书（DOCX + PDF）", "生成", _plain(f.LetterForm), _letter),
        StaffForm("upload", "上传文书", "上传", _plain(f.UploadForm), _upload, multipart=True),
        StaffForm("appeal", "登记行政复议/行政诉讼", "登记", _plain(f.AppealForm), _appeal, today=()),
        StaffForm(
            "appeal_decide",
            "更新结果",
            "保存",
            _plain(f.AppealDecisionForm),
            _appeal_decide,
            today=(),
            partial="applications/staff/_appeal_decide.html",
            anchor="appeals",
        ),
    )
}


def cards(app: Application, user: Any, bound: dict[str, forms.Form] | None = None) -> list[Card]:
    """The case page's action cards: what ``actions.available`` allows, in the table's order, plus a
    rejected form (kept with its errors and what was typed even if the action no longer applies)."""
    bound = bound or {}
    shown = {row.name for row in actions.available(app, user)} | set(bound)
    return [_card(STAFF[row.name], app, bound.get(row.name)) for row in actions.ROWS if row.name in shown]


def _card(spec: StaffForm, app: Application, form: forms.Form | None) -> Card:
    return Card(
        name=spec.name,
        title=spec.heading(),
        button=spec.button,
        form=form if form is not None else spec.unbound(app),
        multipart=spec.multipart,
        partial=spec.partial,
    )
