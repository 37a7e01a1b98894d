"""The entry state machine: every allowed transition, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.core.errors import InvalidTransition

from .models import EntryStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    needs_comment: bool = False


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", "提交审核", frozenset({S.DRAFT, S.RETURNED}), S.REVIEW),
        Transition("review_pass", "保密审查通过", frozenset({S.REVIEW}), S.SIGNOFF),
        Transition("review_return", "审查退回", frozenset({S.REVIEW}), S.RETURNED, needs_comment=True),
        Transition("sign_publish", "审签发布", frozenset({S.SIGNOFF}), S.PUBLISHED),
        Transition("sign_return", "审签退回", frozenset({S.SIGNOFF}), S.RETURNED, needs_comment=True),
        Transition("withdraw", "撤回", frozenset({S.PUBLISHED}), S.WITHDRAWN, needs_comment=True),
    )
}


def check(name: str, current: str, comment: str = "") -> Transition:
    t = TRANSITIONS[name]
    if current not in t.sources:
        raise InvalidTransition(f"当前状态为“{S(current).label}”，不能执行“{t.label}”", field="status")
    if t.needs_comment and not comment.strip():
        raise InvalidTransition(f"“{t.label}”必须填写理由", field="comment")
    return t


def allowed_from(current: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if current in t.sources]
