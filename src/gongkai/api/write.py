"""The write API for integrations: create a draft, upload an attachment, submit for review, read the draft.

Every call goes through the same catalog services (and permission checks, and audit) as the staff UI, acting
as the token's user and only inside the token's unit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from gongkai.catalog import services
from gongkai.catalog.models import Category, Entry
from gongkai.core.errors import NotFound, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from .errors import ErrorOut
from .tokens import UnitToken

router = Router(tags=["写接口（需令牌）"], auth=UnitToken())
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}


class DraftIn(Schema):
    category: int
    title: str
    formed_date: date
    publisher: str | None = None
    summary: str = ""
    body: str = ""
    document_number: str = ""
    genre: str = "通知"
    topic_words: str = ""
    disclosure_mode: str = "proactive"
    withhold_ground: str = ""


class SubmitIn(Schema):
    comment: str = ""


class DraftAttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    sha256: str


class DraftOut(Schema):
    id: int
    unit: str
    status: str
    status_label: str
    title: str
    category: int
    publisher: str
    formed_date: date
    return_reason: str
    index_number: str | None
    attachments: list[DraftAttachmentOut]


def draft_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "unit": entry.unit.code,
        "status": entry.status,
        "status_label": entry.get_status_display(),
        "title": entry.title,
        "category": entry.category_id,
        "publisher": entry.publisher.code,
        "formed_date": entry.formed_date,
        "return_reason": entry.return_reason,
        "index_number": entry.index_number,
        "attachments": [
            {"id": a.pk, "name": a.original_name, "kind": a.kind, "size": a.size, "sha256": a.sha256}
            for a in entry.attachments.all()
            if a.replaced_at is None
        ],
    }


def _entry(request: HttpRequest, entry_id: int) -> Entry:
    """Only entries of the token's unit that its user may see; anything else is a 404 (no existence leak)."""
    token = request.auth  # type: ignore[attr-defined]
    entry = Entry.objects.select_related("unit", "publisher").filter(pk=entry_id, unit=token.unit).first()
    if entry is None or not (perms.can_read_unpublished(token.user, entry) or perms.can_edit_draft(token.user, entry)):
        raise NotFound("没有这条信息，或令牌无权查看", field="id")
    return entry


@router.post("/drafts", response={201: DraftOut, **ERRORS}, summary="新建草稿")
def create_draft(request: HttpRequest, payload: DraftIn) -> Any:
    token = request.auth  # type: ignore[attr-defined]
    data = payload.dict()
    category = Category.objects.filter(pk=data.pop("category"), unit=token.unit).first()
    publisher_code = data.pop("publisher")
    publisher = token.unit
    if publisher_code:
        found = Org.objects.filter(code=publisher_code[:20]).first()
        if found is None:
            raise ValidationFailed({"publisher": ["发布机构的单位代码不存在"]})
        publisher = found
    if category is None:
        raise ValidationFailed({"category": ["目录类别不存在或不属于令牌所在单位"]})
    entry = services.create_draft(actor=token.user, unit=token.unit, category=category, publisher=publisher, **data)
    return 201, draft_out(entry)


@router.get("/drafts/{entry_id}", response={200: DraftOut, **ERRORS}, summary="查看本单位的一条信息（含草稿）")
def get_draft(request: HttpRequest, entry_id: int) -> Any:
    return draft_out(_entry(request, entry_id))


@router.post(
    "/drafts/{entry_id}/attachments",
    response={201: DraftOut, **ERRORS},
    summary="上传附件（multipart 字段 file）",
)
def upload_attachment(request: HttpRequest, entry_id: int, file: File[UploadedFile]) -> Any:
    token = request.auth  # type: ignore[attr-defined]
    entry = _entry(request, entry_id)
    services.add_attachment(actor=token.user, entry=entry, name=file.name or "附件", stream=file)
    return 201, draft_out(_entry(request, entry_id))


@router.post("/drafts/{entry_id}/submit", response={200: DraftOut, **ERRORS}, summary="提交保密审查")
def submit(request: HttpRequest, entry_id: int, payload: SubmitIn | None = None) -> Any:
    token = request.auth  # type: ignore[attr-defined]
    entry = services.submit_for_review(
        actor=token.user, entry=_entry(request, entry_id), comment=(payload.comment if payload else "")[:500]
    )
    return draft_out(Entry.objects.select_related("unit", "publisher").get(pk=entry.pk))
