"""Annual-report and bulletin files rendered by the task worker (``documents.jobs``).

Only PDF goes through the worker: measured on the demo data (``bench/bench_documents.py``) the annual
report's PDF takes about a second warm and two in a fresh process, more on a busy machine, while DOCX,
XLSX, HTML and JSON stay well under a second and are still answered directly.
"""

from __future__ import annotations

from typing import Any

from gongkai.core.errors import NotAllowed
from gongkai.documents.jobs import Rendered
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, OrgKind

from . import bulletin, render, services

#: Formats rendered in the background, with a "正在生成…" page; the others are answered at once.
BACKGROUND_FORMATS = ("pdf",)


def bulletin_counties(user: Any) -> list[Org]:
    """Counties whose bulletin ``user`` may read: 县级督查 and the county office's 公开办管理员."""
    ids = {g.org_id for g in perms.grants(user) if g.role in ("supervisor", "unit_admin")}
    return list(Org.objects.filter(pk__in=ids, kind=OrgKind.COUNTY, is_active=True).order_by("path"))


def annual_title(unit: Org, year: int, include_children: bool, fmt: str) -> str:
    scope = "（含所辖单位）" if include_children else ""
    return f"{unit.name}{scope}{year}年政府信息公开工作年度报告（{fmt.upper()}）"


def annual_report(actor: Any, params: dict[str, Any]) -> Rendered:
    unit = Org.objects.filter(code=params["unit"]).first()
    # Checked again here: the job may run a while after the click.
    if unit is None or not unit.is_unit or not services.can_view(actor, unit):
        raise NotAllowed("您不能查看该单位的年度报告")
    fmt, year = params["format"], int(params["year"])
    doc = render.build(unit, year, include_children=bool(params.get("all")))
    return Rendered(render.render(doc, fmt), f"{unit.code}-{year}-annual-report.{fmt}", render.CONTENT_TYPES[fmt])


def county_bulletin(actor: Any, params: dict[str, Any]) -> Rendered:
    county = next((c for c in bulletin_counties(actor) if c.code == params["county"]), None)
    if county is None:
        raise NotAllowed("只有县级督查或县政务公开办可以查看通报")
    fmt = params["format"]
    data = bulletin.bulletin_data(county, params["period"])  # ValidationFailed: the job shows the message
    return Rendered(
        bulletin.render(data, fmt), f"{county.code}-{data['period']}-bulletin.{fmt}", render.CONTENT_TYPES[fmt]
    )
