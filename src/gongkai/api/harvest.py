"""The harvest feed for the county portal and the resource library (Regulation Art. 23–24): every change of
published information, in change order, resumable with a signed cursor. See ``gongkai.harvest``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gongkai.core.errors import ValidationFailed
from gongkai.harvest import selectors

from .errors import ErrorOut

router = Router(tags=["资源库汇聚"])


class HarvestAttachmentOut(Schema):
    name: str
    kind: str
    size: int
    sha256: str | None
    url: str


class HarvestRecordOut(Schema):
    seq: int = Field(description="变更序号，单调递增")
    change: str = Field(description="published 发布、updated 修改、withdrawn 撤回、validity 有效性变更")
    changed_at: str
    status: str = Field(description="active 公开中；deleted 已撤回（仅含标识字段）")
    identifier: str = Field(description="OAI 标识 oai:<站点域名>:<索引号>")
    index_number: str
    unit: str
    unit_name: str
    url: str
    title: str
    withdrawn_at: str | None = None
    withdrawn_reason: str | None = None
    document_number: str | None = None
    publisher: str | None = None
    publisher_code: str | None = None
    category: str | None = Field(None, description="目录类别路径，如 法定主动公开内容/规范性文件")
    genre: str | None = None
    topic_words: list[str] | None = None
    formed_date: str | None = None
    published_at: str | None = None
    summary: str | None = None
    body_html: str | None = None
    validity: str | None = Field(None, description="valid 有效、expired 失效、repealed 废止、amended 已修改")
    validity_label: str | None = None
    effective_date: str | None = None
    invalid_date: str | None = None
    superseded_by: str | None = None
    version: int | None = None
    attachments: list[HarvestAttachmentOut] | None = None


class HarvestPage(Schema):
    results: list[HarvestRecordOut]
    has_more: bool = Field(description="是否还有下一页；为 false 时保存 next_cursor，日后用它取此后的变更")
    next_cursor: str = Field(description="续取令牌（签名，原样使用）")


DESCRIPTION = """\
全部已发布信息及其变更，按变更序号（`seq`）升序：发布、修改、撤回、有效性变更（失效、废止）各为一条。
已撤回的信息以 `status: "deleted"` 出现，只含标识字段（同 OAI-PMH 的 deleted 记录）。

首次汇聚不带 `cursor`；之后每页用上一页的 `next_cursor` 续取，直到 `has_more` 为 false。
令牌记住筛选条件和已取到的序号：保存最后一页的令牌，下次用它只取此后的变更，不漏不重。
同一格式的 OAI-PMH 接口见 `/oai?verb=Identify`。
"""


@router.get(
    "/harvest/records",
    response={200: HarvestPage, 400: ErrorOut, 429: ErrorOut},
    summary="汇聚：全部信息及其变更（可续取）",
    description=DESCRIPTION,
)
def harvest_records(
    request: HttpRequest,
    from_: str | None = Query(
        None,
        alias="from",
        max_length=40,
        description="起始时间（含），ISO 8601，如 2025-03-01 或 2025-03-01T08:00:00+08:00",
    ),
    until: str | None = Query(None, max_length=40, description="截止时间（含），ISO 8601；只写日期表示当天结束"),
    org: str | None = Query(None, max_length=40, description="公开主体的单位代码，如 QH0101"),
    cursor: str | None = Query(None, max_length=2000, description="续取令牌：上一页的 next_cursor"),
) -> Any:
    if cursor:
        window = selectors.parse_token(cursor, "json")
        for name, given, kept in (
            ("from", from_, window.since),
            ("until", until, window.until),
            ("org", org, window.org),
        ):
            if given and str(given).strip():
                parsed: Any = (
                    given.strip() if name == "org" else selectors.parse_moment(given, name, name, end=name == "until")
                )
                if parsed != kept:
                    raise ValidationFailed({name: [f"续取令牌已包含筛选条件，参数“{name}”须与首次请求相同或省略"]})
    else:
        since = selectors.parse_moment(from_, "from", "起始时间")
        end = selectors.parse_moment(until, "until", "截止时间", end=True)
        selectors.check_window(since, end)
        unit = selectors.resolve_unit(org)
        window = selectors.Window(since=since, until=end, org=unit.code if unit else None)
    page = selectors.page(window, selectors.changes(window))
    return {
        "results": [selectors.out(c) for c in page.items],
        "has_more": page.has_more,
        "next_cursor": window.token(page.last_seq, "json"),
    }
