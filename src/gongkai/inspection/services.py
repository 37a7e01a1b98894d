"""Recording a self-inspection (自查) of a unit: the measuring happens outside any transaction (it reads the
site folder and the attachments, and probes the URL); the run and its one audit event are written in one.

国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》 (spec §4.1, §4.3); the checks are ``data/checks.yaml``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.documents.guard import forbid_in_transaction
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import scoring, selectors, standard
from .models import InspectionRun, ItemExemption
from .sitewalk import SiteFolderError, check_folder


def _require_may_run(actor: Any, unit: Org) -> None:
    if actor is None:  # the command line and the scheduler act as the system
        return
    perms.require(selectors.can_view(actor, unit), "只有本单位公开办管理员或县级督查可以发起自查")


def run_inspection(
    *,
    actor: Any,
    unit: Org,
    site: Path | str | None = None,
    url: str | None = None,
    today: date | None = None,
) -> InspectionRun:
    """Inspect ``unit`` (its built site folder ``site`` and the address ``url`` when given) and record the run."""
    if unit.kind not in selectors.UNIT_KINDS:
        raise ValidationFailed({"org": [f"{unit.name} 不是公开主体（县、乡镇或街道），不能自查"]})
    _require_may_run(actor, unit)
    root = Path(site) if site else None
    if root is not None:
        try:
            check_folder(root)
        except SiteFolderError as exc:
            raise ValidationFailed({"site": [str(exc)]}) from None
    url = (url or "").strip() or None
    if url is not None and not url.startswith(("http://", "https://")):
        raise ValidationFailed({"url": [f"探测网址“{url}”应以 http:// 或 https:// 开头"]})
    forbid_in_transaction("inspecting a site (reads every page and attachment, probes the URL)")
    today = today or timezone.localdate()
    sheet = scoring.sheet()
    window = sheet.by_id("availability").threshold("window").value if url else 0
    earlier = selectors.earlier_probes(unit, url, today, window) if url else []
    ctx = scoring.context_for(unit, today, site=root, url=url, earlier_probes=earlier, using=sheet)
    result = scoring.inspect(ctx, using=sheet)
    with transaction.atomic():
        run = InspectionRun.objects.create(
            unit=unit,
            on_date=today,
            score=result["score"],
            vetoes=len(result["vetoes"]),
            passed=result["passed"],
            findings=result,
            site=str(root or ""),
            url=url or "",
            ran_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            Action.INSPECTION_RUN,
            actor=actor,
            obj=run,
            org_code=unit.code,
            changes={"score": run.score, "vetoes": result["vetoes"], "passed": run.passed},
        )
    return run


#: A reason shorter than this says nothing (the same floor as screening's acceptance reasons).
MIN_REASON = 5


def set_item_applies(*, actor: Any, unit: Org, item: str, applies: bool, reason: str = "") -> ItemExemption | None:
    """Mark a 标准目录 事项 as not applying to ``unit`` (with a reason), or as applying again. Only the unit's
    公开办管理员 (国办发〔2019〕54号: the unit states its 未涉及领域事项 once)."""
    perms.require(perms.can_manage_unit(actor, unit), "只有本单位公开办管理员可以说明不涉及的事项")
    found = standard.by_key(item)
    if found is None:
        raise ValidationFailed({"item": [f"标准目录中没有事项“{item}”"]})
    reason = (reason or "").strip()
    with transaction.atomic():
        current = ItemExemption.objects.select_for_update().filter(unit=unit, item=found.key).first()
        if applies:
            if current is None:
                return None
            current.delete()
            audit.record(
                Action.INSPECTION_ITEM_RESTORE,
                actor=actor,
                object_type="inspection.itemexemption",
                object_id=f"{unit.code}:{found.key}",
                org_code=unit.code,
                comment=found.key,
            )
            return None
        if len(reason) < MIN_REASON:
            raise ValidationFailed(
                {"reason": [f"请填写不涉及的理由（至少 {MIN_REASON} 个字），如“本镇无城市综合执法职能”"]}
            )
        if current is not None:
            raise ValidationFailed({"item": [f"已说明本单位不涉及“{found.key}”"]})
        exemption = ItemExemption.objects.create(unit=unit, item=found.key, reason=reason, created_by=actor)
        audit.record(
            Action.INSPECTION_ITEM_EXEMPT,
            actor=actor,
            obj=exemption,
            org_code=unit.code,
            comment=reason,
        )
    return exemption
