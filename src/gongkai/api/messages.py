"""互动交流 over the API: ``POST /messages`` (a citizen's message, as the web form), ``GET /messages/{number}?code=``
(its status and the reply once answered) and ``GET /messages`` (留言选登: published messages only, masked).
The handlers call ``gongkai.interaction``'s services and selectors; errors are the one body of ``errors.py``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from ninja import Query, Router, Schema

from gongkai.core import ratelimit
from gongkai.core.errors import DomainError
from gongkai.interaction import intake, kinds, selectors
from gongkai.orgs.models import UNIT_KINDS, Org

from .errors import ErrorOut, domain_error, error

router = Router(tags=["互动交流"])
PAGE_SIZE = 20
FIELDS = ("kind", "title", "content", "name", "phone", "email", "addressee", "publish_consent")


class MessageStatusOut(Schema):
    number: str
    unit: str
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    received_on: date
    due_date: date | None
    replied_on: date | None
    reply: str | None
    reply_office: str | None
    rejected_reason: str | None
    rejected_where: str | None
    can_rate: bool
    rating: str | None
    reopened: bool


class MessageSubmittedOut(Schema):
    number: str
    code: str
    due_date: date | None


class PublishedMessageOut(Schema):
    number: str
    unit: str
    kind: str
    kind_label: str
    title: str
    content: str
    name: str
    received_on: date
    replied_on: date | None
    reply: str
    office: str
    published_on: date


class PublishedPage(Schema):
    count: int
    pages: int
    page_size: int
    results: list[PublishedMessageOut]


_DOCS = {
    "org": "受理单位的单位代码（必填），如 QH0101",
    "kind": "留言类型：" + "、".join(f"{k} {v}" for k, v in kinds.choices(public=True)),
    "title": "标题（2–100 字）",
    "content": "留言内容（5–2000 字）",
    "name": "姓名",
    "phone": "联系电话",
    "email": "电子邮箱（选填）",
    "addressee": "收信领导（领导信箱，选填）",
    "publish_consent": "是否同意在留言选登中公开（个人信息隐去），默认 false",
}
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["org", "kind", "title", "content", "name", "phone"],
                    "properties": {
                        k: {"type": "boolean" if k == "publish_consent" else "string", "description": v}
                        for k, v in _DOCS.items()
                    },
                }
            }
        },
    }
}


def _json(body: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@router.post(
    "/messages",
    response={201: MessageSubmittedOut, 400: ErrorOut, 429: ErrorOut},
    summary="提交留言（咨询、建议、投诉、举报、领导信箱）",
    openapi_extra=REQUEST_BODY,
)
def submit(request: HttpRequest) -> Any:
    verdict = ratelimit.hit_request("api_submit", request)
    if not verdict.allowed:
        return ratelimit.json_429(verdict)
    try:
        payload = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return error("invalid_json", "请求体不是合法的 JSON（UTF-8）")
    if not isinstance(payload, dict):
        return error("invalid_json", "请求体应为 JSON 对象")
    for key in FIELDS:
        if key in payload and not isinstance(payload[key], str | bool | None):
            return error("invalid", f"参数“{key}”应为文字", key)
    unit = Org.objects.filter(code=str(payload.get("org") or "")[:20], kind__in=list(UNIT_KINDS), is_active=True)
    if not unit.exists():
        return error("invalid", "请在 org 中填写受理单位（乡镇、街道等）的单位代码", "org")
    try:
        message, code = intake.submit_online(unit=unit.first(), data={k: payload.get(k) for k in FIELDS})
    except DomainError as exc:
        return domain_error(exc)
    return _json({"number": message.number, "code": code, "due_date": message.due_date}, status=201)


@router.get(
    "/messages/{number}",
    response={200: MessageStatusOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="凭留言编号和查询码查询办理进度与答复",
)
def status(request: HttpRequest, number: str, code: str = Query("", description="提交时给出的查询码")) -> Any:
    verdict = ratelimit.hit_request("track", request)
    if not verdict.allowed:
        return ratelimit.json_429(verdict)
    if not code:
        return error("invalid", "请提供查询码（code）", "code")
    message = selectors.find_by_number(number[:60], code[:60])
    if message is None:
        return error("not_found", "留言编号或查询码不正确", "code", status=404)
    return _json(selectors.public_status(message))


@router.get(
    "/messages",
    response={200: PublishedPage, 400: ErrorOut, 429: ErrorOut},
    summary="留言选登：已公开的留言和答复（个人信息已隐去）",
)
def published(
    request: HttpRequest,
    org: str = Query("", max_length=20, description="单位代码"),
    kind: str = Query("", max_length=20, description="留言类型"),
    year: int | None = Query(None, ge=2000, le=2100, description="年度"),
    page: int = Query(1, ge=1, le=10000, description="页码，从 1 开始"),
) -> Any:
    if kind and kind not in kinds.all_kinds():
        return error("invalid", "参数“kind”不是已知的留言类型", "kind")
    if org and not Org.objects.filter(code=org).exists():
        return error("invalid", "参数“org”不是已知的单位代码", "org")
    paginator = Paginator(selectors.published(unit_code=org, kind=kind, year=year), PAGE_SIZE)
    items = paginator.get_page(page) if page <= max(paginator.num_pages, 1) else []
    return {
        "count": paginator.count,
        "pages": paginator.num_pages,
        "page_size": PAGE_SIZE,
        "results": [selectors.public_item(m) for m in items],
    }
