"""The steps of handling a message, one row each: label, the statuses it may start from, who may do it.

受理 / 不予受理 → 分办 (转办, 退回) → 办理 (拟写答复) → 审核/签发 (when the kind or the unit requires it) → 答复 →
公开 or 不予公开. Rating (评价) is the submitter's, on the tracking page, and not a staff row. The services call
``check`` inside their transaction on the locked message; the message page offers ``available``. Same shape as
``applications/actions.py``; the steps follow the 留言办理 practice the 检查指标 (国办秘函〔2019〕19号) expects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gongkai.core.errors import InvalidTransition, NotAllowed, NotFound

from . import access
from .choices import Status
from .models import Message

Permission = Callable[[Any, Message], bool]


def handles(user: Any, message: Message) -> bool:
    return access.can_handle(user, message.unit)


def leads(user: Any, message: Message) -> bool:
    return access.can_lead(user, message.unit)


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    statuses: frozenset[str]
    permission: Permission = handles
    denied: str = access.NOT_HANDLER
    field: str = "__all__"
    needs_reason: bool = False

    def refusal(self, status: str) -> str:
        return f"当前状态为“{Status(status).label}”，不能{self.label}"


def _s(*statuses: Status) -> frozenset[str]:
    return frozenset(str(s) for s in statuses)


ROWS: tuple[Step, ...] = (
    Step("accept", "受理", _s(Status.RECEIVED)),
    Step("reject", "不予受理", _s(Status.RECEIVED), field="reason", needs_reason=True),
    Step("assign", "分办", _s(Status.ACCEPTED), field="office"),
    Step("transfer", "转办", _s(Status.HANDLING), field="office", needs_reason=True),
    Step("return", "退回", _s(Status.HANDLING), field="reason", needs_reason=True),
    Step("draft", "拟写答复", _s(Status.HANDLING), field="text"),
    Step("approve", "审核签发", _s(Status.REVIEWING), permission=leads, denied=access.NOT_LEADER),
    Step(
        "review_return",
        "审核退回",
        _s(Status.REVIEWING),
        permission=leads,
        denied=access.NOT_LEADER,
        field="reason",
        needs_reason=True,
    ),
    Step("reply", "答复", _s(Status.APPROVED)),
    Step("publish", "公开", _s(Status.REPLIED, Status.CLOSED), permission=leads, denied=access.NOT_LEADER),
    Step(
        "withhold",
        "不予公开",
        _s(Status.REPLIED, Status.CLOSED),
        permission=leads,
        denied=access.NOT_LEADER,
        field="reason",
        needs_reason=True,
    ),
)

TABLE: dict[str, Step] = {row.name: row for row in ROWS}


def get(name: str) -> Step:
    try:
        return TABLE[name]
    except KeyError:
        raise NotFound(f"没有“{name}”这项办理操作") from None


def permit(name: str, message: Message, user: Any) -> Step:
    row = get(name)
    if not row.permission(user, message):
        raise NotAllowed(row.denied)
    return row


def check(name: str, message: Message, user: Any) -> Step:
    """Raise ``NotAllowed`` or ``InvalidTransition`` unless ``user`` may do ``name`` to ``message`` now."""
    row = permit(name, message, user)
    if message.status not in row.statuses:
        raise InvalidTransition(row.refusal(message.status), field=row.field)
    return row


def available(message: Message, user: Any) -> list[Step]:
    return [row for row in ROWS if message.status in row.statuses and row.permission(user, message)]
