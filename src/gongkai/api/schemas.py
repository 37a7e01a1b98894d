"""Response shapes of the read API (they are the OpenAPI schema)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent: str | None
    is_unit: bool
    slug: str


class CategoryOut(Schema):
    id: int
    name: str
    full_name: str
    slug: str
    parent: int | None
    is_retired: bool


class CategoryRef(Schema):
    id: int
    name: str


class EntryOut(Schema):
    index_number: str
    title: str
    unit: str
    unit_name: str
    publisher: str
    category: CategoryRef
    document_number: str
    genre: str
    topic_words: str
    formed_date: date
    published_at: datetime
    validity: str
    validity_label: str
    url: str
    api_url: str


class AttachmentOut(Schema):
    name: str
    kind: str
    size: int
    sha256: str
    url: str


class EntryDetail(EntryOut):
    summary: str
    body_html: str
    disclosure_mode: str
    withhold_ground: str
    effective_date: date | None
    invalid_date: date | None
    superseded_by: str | None
    related: list[str]
    attachments: list[AttachmentOut]
    version: int


class Page(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class OrgPage(Page):
    results: list[OrgOut]


class EntryPage(Page):
    results: list[EntryOut]
    count_capped: bool = Field(
        False,
        description=(
            "为 true 表示符合条件的信息多于 count（计数上限）：按页码只能翻阅最新的 count 条；"
            "不带 q 时可沿 next_cursor 继续取完"
        ),
    )
    next_cursor: str | None = Field(
        None, description="不带 q 时：下一页的游标（作为 cursor 参数传回）；没有更多信息时为 null"
    )


class SearchHitOut(EntryOut):
    snippet: str
    score: float | None


class SearchPageOut(Page):
    query: str
    count_capped: bool = Field(
        False, description="为 true 时匹配的信息多于 count（检索计数上限），只能翻阅和排序其中最新的 count 条"
    )
    results: list[SearchHitOut]
