"""The staff actions on a case, one row each: its label, the statuses it may start from and who may do it.

This is the one place those rules live. The services ask ``check`` inside their transaction, on the locked
case, before they act; the case page asks ``available`` which actions to offer. The page's half of each row
(its form, the service call and the success message) is ``staff_actions.STAFF``, keyed by the same names —
the services import this module, so it cannot import them (tests/applications/test_action_table.py holds
both halves to the same names).

Adding an action: a row here, its service (which calls ``check``), a row in ``staff_actions`` and, if the
generic form card does not fit, a template partial.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from gongkai.core.errors import InvalidTransition, NotAllowed, NotFound

from . import access
from .choices import CLOSED_STATUSES, DISCLOSABLE_RESULTS, OPEN_STATUSES, Status
from .models import Application, ProactiveLink

Permission = Callable[[Any, Application], bool]


def handles_case(user: Any, app: Application) -> bool:
    """Staff (信息员, 审核人, 审签领导, 公开办管理员) of the case's own unit; never a supervisor or another unit."""
    return access.can_handle(user, app.unit)


RECEIVED = OPEN_STATUSES - {Status.PENDING}  # open and received (Art. 31): the clock runs or is paused
NOT_RECEIVED_YET = "请先确认收到申请（第三十一条），再办理"
ALREADY_CLOSED = "该申请已办结，不能再记录办理事项"


@dataclass(frozen=True)
class StaffAction:
    """One thing staff do to a case.

    ``statuses`` are the statuses it may start from (``None``: any, e.g. a letter or an appeal on a closed
    case). A refusal names the current status and the action; ``hints`` add the reason the page has always
    given for particular statuses, and ``field`` is the form field the message sits next to.
    """

    name: str
    label: str
    statuses: frozenset[str] | None
    field: str = "on"
    hints: tuple[tuple[frozenset[str], str], ...] = ()
    permission: Permission = handles_case
    denied: str = access.NOT_HANDLER
    article: str = ""  # the Regulation article the rule comes from
    #: A further rule on the case beyond its status: returns the Chinese refusal, or "" when the action applies.
    condition: Callable[[Application], str] | None = None

    def allowed_from(self, status: str) -> bool:
        return self.statuses is None or status in self.statuses

    def applies_to(self, app: Application) -> bool:
        return self.allowed_from(app.status) and not (self.condition and self.condition(app))

    def refusal(self, status: str) -> str:
        """The Chinese message for trying this action from ``status``."""
        message = f"当前状态为“{Status(status).label}”，不能{self.label}"
        hint = next((text for among, text in self.hints if status in among), "")
        return f"{message}：{hint}" if hint else message


def _row(
    name: str,
    label: str,
    statuses: Iterable[str] | None,
    *,
    field: str = "on",
    hints: dict[str, AbstractSet[str]] | None = None,
    article: str = "",
    condition: Callable[[Application], str] | None = None,
) -> StaffAction:
    return StaffAction(
        condition=condition,
        name=name,
        label=label,
        statuses=None if statuses is None else frozenset(statuses),
        field=field,
        hints=tuple((frozenset(among), text) for text, among in (hints or {}).items()),
        article=article,
    )


def _promotable(app: Application) -> str:
    """Art. 44: only information "属于可以公开的" — a case answered 予以公开 or 部分公开 — and only once."""
    answer = getattr(app, "reply", None)
    if answer is None or answer.result_id not in DISCLOSABLE_RESULTS:
        return "只有答复为“予以公开”或“部分公开”的申请可以转为主动公开（第四十四条：该政府信息属于可以公开的）"
    if app.proactive_links.filter(kind=ProactiveLink.Kind.PROMOTED).exists():
        return "该申请已转为主动公开，请在关联的信息中继续办理"
    return ""


#: Hints every event of an open case shares (补正, 征求意见, 延期, 收费).
_EVENT_HINTS: dict[str, AbstractSet[str]] = {
    NOT_RECEIVED_YET: {Status.PENDING},
    ALREADY_CLOSED: CLOSED_STATUSES,
}

#: In the order the case page offers them.
ROWS: tuple[StaffAction, ...] = (
    _row(
        "receive",
        "确认收到申请",
        {Status.PENDING},
        field="received_on",
        hints={"该申请已确认收到，不能重复确认": RECEIVED | {Status.REPLIED}},
        article="第三十一条",
    ),
    _row(
        "reply",
        "答复",
        {Status.IN_PROGRESS, Status.AWAITING_CORRECTION, Status.AWAITING_FEE},
        field="result",
        hints={
            "请先确认收到申请（第三十一条），再作出答复": {Status.PENDING},
            "该申请已办结并已答复，不能再次答复；如需更正，请联系公开办管理员": CLOSED_STATUSES,
            "征求意见尚未结束，请先记录征求意见结束": {Status.IN_CONSULTATION},
        },
        article="第三十六条",
    ),
    _row(
        "correction_request",
        "发出补正通知",
        {Status.IN_PROGRESS},
        hints={**_EVENT_HINTS, "补正通知只能发出一次（第三十条：一次性告知）": {Status.AWAITING_CORRECTION}},
        article="第三十条",
    ),
    _row(
        "correction_receive",
        "记录收到补正",
        {Status.AWAITING_CORRECTION},
        hints={**_EVENT_HINTS, "该申请没有待补正的通知": RECEIVED - {Status.AWAITING_CORRECTION}},
        article="第三十条",
    ),
    _row(
        "consultation_start",
        "开始征求意见",
        {Status.IN_PROGRESS},
        hints=_EVENT_HINTS,
        article="第三十二条、第三十四条",
    ),
    _row(
        "consultation_delivered",
        "记录征求意见书送达",
        {Status.IN_CONSULTATION},
        hints={**_EVENT_HINTS, "该申请没有正在进行的征求意见": RECEIVED - {Status.IN_CONSULTATION}},
        article="第三十二条、第三十四条",
    ),
    _row(
        "consultation_end",
        "记录征求意见结束",
        {Status.IN_CONSULTATION},
        hints={**_EVENT_HINTS, "该申请没有正在进行的征求意见": RECEIVED - {Status.IN_CONSULTATION}},
        article="第三十二条",
    ),
    _row(
        "extend",
        "延长答复期限",
        {Status.IN_PROGRESS, Status.IN_CONSULTATION},
        hints={
            **_EVENT_HINTS,
            "待补正期间答复期限尚未重新起算，不需要延期": {Status.AWAITING_CORRECTION},
            "申请人尚未缴费：请在记录缴费后再延长答复期限": {Status.AWAITING_FEE},
        },
        article="第三十三条第二款",
    ),
    _row(
        "reasonable_period",
        "确定延迟答复的合理期限",
        {Status.IN_PROGRESS, Status.IN_CONSULTATION},
        hints={
            **_EVENT_HINTS,
            "待补正期间答复期限尚未重新起算": {Status.AWAITING_CORRECTION},
            "申请人尚未缴费：请在记录缴费后再确定合理期限": {Status.AWAITING_FEE},
        },
        article="第三十五条",
    ),
    _row("fee_notice", "发出收费通知", {Status.IN_PROGRESS}, hints=_EVENT_HINTS, article="第四十二条"),
    _row(
        "fee_paid",
        "记录缴费",
        {Status.AWAITING_FEE},
        hints={**_EVENT_HINTS, "该申请没有待缴费的收费通知": RECEIVED - {Status.AWAITING_FEE}},
        article="第四十二条",
    ),
    _row(
        "transfer",
        "转送其他机关",
        {Status.PENDING},
        field="to_unit",
        hints={
            "已确认收到的申请不能转送，请以“本机关不掌握相关政府信息”答复并告知负责机关的名称和联系方式": RECEIVED
            | {Status.REPLIED}
        },
        article="第三十六条第（五）项",
    ),
    _row(
        "promote",
        "转为主动公开",
        {Status.REPLIED},
        field="title",
        hints={"请先作出“予以公开”或“部分公开”的答复，再转为主动公开": OPEN_STATUSES},
        article="第四十四条",
        condition=_promotable,
    ),
    _row("promote_link", "关联已主动公开的信息", None, field="entry", article="第四十四条、第三十六条第（一）项"),
    _row("letter", "生成文书", None, field="kind"),
    _row("upload", "上传文书", None, field="upload"),
    _row("appeal", "登记行政复议/行政诉讼", None, field="kind"),
    _row("appeal_decide", "更新复议/诉讼结果", None, field="outcome"),
)

TABLE: dict[str, StaffAction] = {row.name: row for row in ROWS}


def get(name: str) -> StaffAction:
    try:
        return TABLE[name]
    except KeyError:
        raise NotFound(f"没有“{name}”这项办理操作") from None


def permit(name: str, app: Application, user: Any) -> StaffAction:
    """Who may do it, asked before a service even reads its input; raises ``NotAllowed``."""
    row = get(name)
    if not row.permission(user, app):
        raise NotAllowed(row.denied)
    return row


def check(name: str, app: Application, user: Any) -> StaffAction:
    """Raise ``NotAllowed`` or ``InvalidTransition`` unless ``user`` may do ``name`` to ``app`` now.

    Services call it inside their transaction on the locked case, so the status it reads is the one they act on.
    """
    row = permit(name, app, user)
    if not row.allowed_from(app.status):
        raise InvalidTransition(row.refusal(app.status), field=row.field)
    if row.condition and (message := row.condition(app)):
        raise InvalidTransition(message, field=row.field)
    return row


def available(app: Application, user: Any) -> list[StaffAction]:
    """The actions ``user`` may start on ``app`` in its current status, in the page's order."""
    return [row for row in ROWS if row.applies_to(app) and row.permission(user, app)]
