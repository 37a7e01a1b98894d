"""``GET /api/v1/reports/annual/{org}/{year}``: a published annual report as open data, in the JSON shape of
the reports issue (the same numbers as its web page, Word, PDF and spreadsheet)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router

from gongkai.catalog.models import EntryStatus
from gongkai.core.errors import NotFound
from gongkai.reports.models import AnnualReport

from .errors import ErrorOut

router = Router(tags=["年度报告"])

ORG = Path(..., max_length=40, description="单位代码，如 QH0101（见 /orgs）")
YEAR = Path(..., ge=2008, le=2100, description="报告年度，如 2025")


@router.get(
    "/reports/annual/{org}/{year}",
    response={200: dict[str, Any], 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="已发布的政府信息公开年度报告（2021 年全国统一格式的数据）",
    description=(
        "返回该单位该年度已发布年度报告的数据：`org`、`year`、`proactive`（表二）、`applications`（表三，7 列 25 行，"
        "含各渠道数量）、`appeals`（表四）、`entries`（按类别、按月、历年、时效）、`checks`（勾稽校验未通过项，通过时为空列表）。"
        "数字是报告提交发布时的数据，与公开网站上的报告一致。尚未发布的年度返回 404。"
    ),
)
def annual_report(request: HttpRequest, org: str = ORG, year: int = YEAR) -> Any:
    report = (
        AnnualReport.objects.filter(
            unit__code=org, year=year, include_children=False, entry__status=EntryStatus.PUBLISHED
        )
        .exclude(data=None)
        .first()
    )
    if report is None:
        raise NotFound(f"单位 {org[:40]} 的 {year} 年度报告尚未发布", field="year")
    return report.data
