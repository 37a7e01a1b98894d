"""依申请公开转主动公开 (Art. 44 of the 2019 Regulation).

《条例》第四十四条：多个申请人就相同政府信息向同一行政机关提出公开申请，且该政府信息属于可以公开的，行政机关可以纳入
主动公开的范围。对行政机关依申请公开的政府信息，申请人认为涉及公众利益调整、需要公众广泛知晓或者需要公众参与决策的，
可以建议行政机关将该信息纳入主动公开的范围。行政机关经审核认为属于主动公开范围的，应当及时主动公开。

``promote`` turns an answered case (予以公开 or 部分公开) into a *draft* entry of the unit's catalog, pre-filled from
the reply, with the documents given to the applicant (for 部分公开 the redacted copy) as attachments; the entry then
goes through the normal 保密审查 → 审核 → 审签 (nothing is published by this step). The case, and any like cases
the officer names, are linked to the entry. ``link`` points a case at an entry that is already proactive.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai.catalog import services as catalog
from gongkai.catalog.models import Category, Entry, EntryStatus
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import InvalidTransition, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, Role

from . import actions
from .choices import LetterKind
from .intake import lock
from .models import Application, ProactiveLink

log = logging.getLogger(__name__)


@dataclass
class Promotion:
    """What ``promote`` did: the draft, the cases linked to it, and attachments that could not be copied."""

    entry: Entry
    linked: list[Application]
    attached: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def _paragraphs(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def _publisher(actor: Any, unit: Org) -> Org:
    """The draft's 发布机构: the office the officer drafts for in this unit (a 信息员's own office), else the unit."""
    for grant in perms.grants(actor):
        if grant.unit_id == unit.pk and grant.role == Role.DRAFTER:
            return Org.objects.get(pk=grant.org_id)
    return unit


def _others(app: Application, others: list[Application] | None) -> list[Application]:
    rows = [o for o in (others or []) if o.pk != app.pk]
    foreign = [o.tracking_number for o in rows if o.unit_id != app.unit_id]
    if foreign:
        raise ValidationFailed({"others": [f"只能关联本单位的申请：{'、'.join(foreign)}"]})
    return rows


def promote(
    *,
    actor: Any,
    application: Application,
    title: str,
    category: Category | None,
    summary: str = "",
    reason: str = "",
    others: list[Application] | None = None,
) -> Promotion:
    """Draft a proactive entry from an answered case and link the case (and ``others``, like cases) to it.

    Art. 44. One transaction writes the draft (``catalog.create_draft``, audited as 新建信息), the links and one
    ``application.promote`` event on the case. The disclosed documents are copied to the draft afterwards, each
    through the catalog's upload checks in its own short transaction (a copy that fails is reported, the draft
    stays); they are screened again with the entry before it can be published.
    """
    actions.permit("promote", application, actor)
    rows = _others(application, others)
    with transaction.atomic():
        app = lock(application)
        actions.check("promote", app, actor)  # answered 予以公开/部分公开, not promoted yet (actions._promotable)
        answer = app.reply
        entry = catalog.create_draft(
            actor=actor,
            unit=app.unit,
            publisher=_publisher(actor, app.unit),
            title=title,
            category=category,
            summary=summary or app.description,
            body=_paragraphs(answer.content),
            document_number=app.document_number,
            formed_date=answer.replied_on,
        )
        linked = [app, *rows]
        for case in linked:
            ProactiveLink.objects.get_or_create(
                application=case,
                entry=entry,
                defaults={"kind": ProactiveLink.Kind.PROMOTED, "reason": reason.strip()[:300], "created_by": actor},
            )
        audit.record(
            Action.APPLICATION_PROMOTE,
            actor=actor,
            obj=app,
            org_code=app.unit.code,
            comment=reason.strip()[:300],
            changes={"entry": [None, entry.pk], "cases": [None, [c.tracking_number for c in linked]]},
        )
    result = Promotion(entry=entry, linked=linked)
    for letter in app.letters.filter(kind=LetterKind.DISCLOSED).exclude(uploaded=""):
        stored = (letter.uploaded.name or "").rsplit("/", 1)[-1]  # the case-numbered file name
        suffix = stored.rsplit(".", 1)[-1] if "." in stored else ""
        name = f"{letter.title}.{suffix}" if letter.title and suffix else stored  # the title the applicant saw
        try:
            with letter.uploaded.open("rb") as stream:
                catalog.add_attachment(actor=actor, entry=entry, name=name, stream=stream)
            result.attached.append(name)
        except (ValidationFailed, InvalidTransition, OSError) as exc:  # the draft stays; the officer adds it by hand
            log.warning("promote: attachment %s of case %s not copied: %s", name, app.pk, exc)
            result.failed[name] = str(exc)
    return result


def link(*, actor: Any, application: Application, entry: Entry, reason: str = "") -> ProactiveLink:
    """Point a case at a proactive entry of its unit that carries the same information (Art. 44; Art. 36(1))."""
    actions.permit("promote_link", application, actor)
    if entry.unit_id != application.unit_id:
        raise ValidationFailed({"entry": ["只能关联本单位的主动公开信息"]})
    if entry.status == EntryStatus.WITHDRAWN:
        raise ValidationFailed({"entry": ["该信息已撤回，不能关联"]})
    with transaction.atomic():
        app = lock(application)
        actions.check("promote_link", app, actor)
        row, created = ProactiveLink.objects.get_or_create(
            application=app,
            entry=entry,
            defaults={"kind": ProactiveLink.Kind.LINKED, "reason": reason.strip()[:300], "created_by": actor},
        )
        if not created:
            raise ValidationFailed({"entry": ["该申请已关联这条信息"]})
        audit.record(
            Action.APPLICATION_PROMOTE_LINK,
            actor=actor,
            obj=app,
            org_code=app.unit.code,
            comment=reason.strip()[:300],
            changes={"entry": [None, entry.pk]},
        )
    return row
