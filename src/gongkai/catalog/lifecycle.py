"""What may be done to an entry, by whom, in which state: one table the services ask before acting and the
staff pages ask which buttons to show.

``TRANSITIONS`` move an entry through the 2019 Regulation's Art. 17 procedure (保密审查 before publication,
then 审签 by the unit's leader); ``ACTIONS`` change an entry without moving it (editing, attachments,
validity, related entries) but have the same kind of rule: the states they apply in and who may do them.
Every row names its permission predicate from ``gongkai.orgs.permissions``, so a rule lives in one place:
``check`` refuses (Chinese messages), ``available`` lists what a user may do now. Adding an action is one row
here, its service and its template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gongkai.core.errors import InvalidTransition, NotAllowed
from gongkai.orgs import permissions as perms

from .models import EntryStatus as S

#: ``who(user, entry)``: may this user do it to this entry (the state is checked separately)?
Who = Callable[[Any, Any], bool]
ALL_STATES = frozenset(S.values)


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One row: what ``name`` is called, in which states it applies, who may do it."""

    name: str
    label: str
    sources: frozenset[str]
    who: Who
    denied: str  # NotAllowed, when ``who`` says no
    #: InvalidTransition when the entry is in another state; ``{status}`` is its Chinese name. Empty: the
    #: transitions' wording 当前状态为“…”，不能执行“…”.
    wrong_status: str = ""
    needs_comment: bool = False

    def allows(self, entry: Any, user: Any) -> bool:
        return entry.status in self.sources and bool(self.who(user, entry))

    def status_error(self, current: str) -> InvalidTransition:
        status = S(current).label
        message = self.wrong_status.format(status=status) or f"当前状态为“{status}”，不能执行“{self.label}”"
        return InvalidTransition(message, field="status")


@dataclass(frozen=True, kw_only=True)
class Transition(Rule):
    """A row that moves the entry to ``target``."""

    target: str


def _drafter(user: Any, entry: Any) -> bool:
    return perms.can_edit_draft(user, entry)


def _reviewer(user: Any, entry: Any) -> bool:
    return perms.can_review(user, entry)


def _signer(user: Any, entry: Any) -> bool:
    return perms.can_sign(user, entry)


def _manager(user: Any, entry: Any) -> bool:
    return perms.can_manage_unit(user, entry.unit)


def _attacher(user: Any, entry: Any) -> bool:
    """The draft's editor while it is a draft; the unit's reviewer while it is in review (Art. 17 保密审查
    may ask for a redacted copy)."""
    if entry.is_editable_draft:
        return perms.can_edit_draft(user, entry)
    return entry.status == S.REVIEW and perms.can_review(user, entry)


def _relater(user: Any, entry: Any) -> bool:
    return perms.can_manage_unit(user, entry.unit) or (entry.is_editable_draft and perms.can_edit_draft(user, entry))


DRAFTS = frozenset({S.DRAFT, S.RETURNED})
IN_WORK = frozenset({S.DRAFT, S.RETURNED, S.REVIEW})

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            name="submit",
            label="提交审核",
            sources=DRAFTS,
            target=S.REVIEW,
            who=_drafter,
            denied="您不能提交这条信息",
        ),
        Transition(
            name="review_pass",
            label="保密审查通过",
            sources=frozenset({S.REVIEW}),
            target=S.SIGNOFF,
            who=_reviewer,
            denied="只有本单位审核人可以进行保密审查",
        ),
        Transition(
            name="review_return",
            label="审查退回",
            sources=frozenset({S.REVIEW}),
            target=S.RETURNED,
            who=_reviewer,
            denied="只有本单位审核人可以退回",
            needs_comment=True,
        ),
        Transition(
            name="sign_publish",
            label="审签发布",
            sources=frozenset({S.SIGNOFF}),
            target=S.PUBLISHED,
            who=_signer,
            denied="只有本单位审签领导可以签发",
        ),
        Transition(
            name="sign_return",
            label="审签退回",
            sources=frozenset({S.SIGNOFF}),
            target=S.RETURNED,
            who=_signer,
            denied="只有本单位审签领导可以退回",
            needs_comment=True,
        ),
        Transition(
            name="withdraw",
            label="撤回",
            sources=frozenset({S.PUBLISHED}),
            target=S.WITHDRAWN,
            who=_manager,
            denied="只有本单位公开办管理员可以撤回",
            needs_comment=True,
        ),
    )
}

ACTIONS: dict[str, Rule] = {
    a.name: a
    for a in (
        Rule(
            name="edit_draft",
            label="修改",
            sources=DRAFTS,
            who=_drafter,
            denied="您不能修改这条信息",
            wrong_status="“{status}”状态的信息不能直接修改",
        ),
        Rule(
            name="edit_published",
            label="修改已发布信息",
            sources=frozenset({S.PUBLISHED}),
            who=_manager,
            denied="只有本单位公开办管理员可以修改已发布信息",
            wrong_status="只有已发布的信息可以这样修改",
        ),
        Rule(
            name="attach",
            label="上传附件",
            sources=IN_WORK,
            who=_attacher,
            denied="您不能为这条信息上传附件",
            wrong_status="只有草稿或审核中的信息可以添加附件",
        ),
        Rule(
            name="remove_attachment",
            label="删除附件",
            sources=IN_WORK,
            who=_attacher,
            denied="您不能删除该附件",
            wrong_status="“{status}”状态的信息的附件不能删除",
        ),
        Rule(
            name="set_validity",
            label="变更有效性",
            sources=frozenset({S.PUBLISHED}),
            who=_manager,
            denied="只有本单位公开办管理员可以变更有效性",
            wrong_status="只有已发布的信息可以变更有效性",
        ),
        Rule(
            name="set_related",
            label="设置相关信息",
            sources=ALL_STATES,
            who=_relater,
            denied="您不能修改这条信息的相关信息",
        ),
    )
}

RULES: dict[str, Rule] = {**TRANSITIONS, **ACTIONS}


def check(name: str, entry: Any, user: Any, comment: str = "") -> Rule:
    """The row ``name`` if ``user`` may do it to ``entry`` now; raises ``InvalidTransition`` (wrong state, a
    reason missing) or ``NotAllowed`` (wrong role). The state is judged first: it is the same for everyone."""
    rule = RULES[name]
    if entry.status not in rule.sources:
        raise rule.status_error(entry.status)
    if not rule.who(user, entry):
        raise NotAllowed(rule.denied)
    if rule.needs_comment and not comment.strip():
        raise InvalidTransition(f"“{rule.label}”必须填写理由", field="comment")
    return rule


def transition(name: str, entry: Any, user: Any, comment: str = "") -> Transition:
    """``check`` for a row of ``TRANSITIONS``, typed as one (its ``target`` is the new state)."""
    check(name, entry, user, comment)
    return TRANSITIONS[name]


def available(entry: Any, user: Any) -> list[Rule]:
    """Every transition and action ``user`` may do to ``entry`` now, transitions first, in table order."""
    return [rule for rule in RULES.values() if rule.allows(entry, user)]
