"""Scoring one unit against the sheet (国办秘函〔2019〕19号 评分方法, spec §4.1): any 单项否决 item reached → 不合格;
else the deduction items come off the 100-point sheet, each at most its ``max``, and below ``pass_score`` (60)
is 不合格. The 20 bonus points above 80 (加分指标) are not measured by the platform and not added.

The result is a plain JSON-able dict: the command prints it, the staff page shows it, ``InspectionRun`` keeps it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from gongkai.orgs.models import Org

from . import definitions
from .checks import MEASURES, Context, Outcome
from .definitions import Check, Sheet


def sheet() -> Sheet:
    return definitions.default_sheet(MEASURES)


def context_for(
    unit: Org,
    today: date,
    *,
    site: Path | None = None,
    url: str | None = None,
    earlier_probes: list[bool] | None = None,
    using: Sheet | None = None,
) -> Context:
    s = using or sheet()
    kinds = frozenset(k for c in s.checks if c.measure == "live_scan" for k in c.kinds)
    labels = next((c.fields for c in s.checks if c.measure == "missing_metadata" and c.fields), None)
    ctx = Context(unit=unit, today=today, site=site, url=url, earlier_probes=list(earlier_probes or []))
    ctx.scan_kinds = kinds
    if labels:
        ctx.metadata_labels = labels
    return ctx


def _deducted(check: Check, outcome: Outcome) -> int:
    if check.points is None or not outcome.measured:
        return 0
    return min(check.points.max, check.points.per * outcome.count)


def inspect(ctx: Context, using: Sheet | None = None) -> dict[str, Any]:
    s = using or sheet()
    results: list[dict[str, Any]] = []
    vetoes: list[str] = []
    deducted_total = 0
    probe: dict[str, Any] | None = None
    for check in s.checks:
        outcome = MEASURES[check.measure](ctx, check)
        deducted = _deducted(check, outcome)
        deducted_total += deducted
        vetoed = check.is_veto and outcome.measured and outcome.vetoed
        if vetoed:
            vetoes.append(check.id)
        if "probe" in outcome.data:
            probe = outcome.data["probe"]
        results.append(
            {
                "id": check.id,
                "name": check.name,
                "kind": check.kind,
                "kind_label": check.kind_label,
                "measured": outcome.measured,
                "summary": outcome.summary,
                "count": outcome.count,
                "vetoed": vetoed,
                "deducted": deducted,
                "points": {"per": check.points.per, "max": check.points.max} if check.points else None,
                "source": str(check.source),
                "statutory": check.source.statutory,
                "problems": [p.as_json() for p in outcome.problems],
                "data": {k: v for k, v in outcome.data.items() if k != "probe"},
            }
        )
    score = max(0, s.total - deducted_total)
    passed = not vetoes and score >= s.pass_score
    fixes = [
        {"check": r["name"], "check_id": r["id"], "kind_label": r["kind_label"]} | p
        for r in sorted(results, key=lambda r: (not r["vetoed"], -r["deducted"]))
        if r["vetoed"] or r["deducted"]
        for p in r["problems"]
    ]
    return {
        "unit": {"code": ctx.unit.code, "name": ctx.unit.name},
        "date": ctx.today.isoformat(),
        "score": score,
        "total": s.total,
        "deducted": deducted_total,
        "pass_score": s.pass_score,
        "passed": passed,
        "verdict": "合格" if passed else "不合格",
        "vetoes": vetoes,
        "unmeasured": {"points": s.unmeasured, "note": s.unmeasured_note},
        "site_checked": ctx.site is not None,
        "probe": probe,
        "checks": results,
        "fixes": fixes,
    }
