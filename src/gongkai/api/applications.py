"""依申请公开 over the API: ``POST /applications`` and ``GET /applications/{tracking}?code=`` (moved here from
the plain views in ``gongkai.applications.api`` so they appear in the OpenAPI schema; same behaviour)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Query, Router, Schema

from gongkai.applications import intake, selectors
from gongkai.applications.intake import APPLICANT_FIELDS
from gongkai.core import ratelimit
from gongkai.core.errors import DomainError
from gongkai.orgs.models import UNIT_KINDS, Org

from .errors import ErrorOut, domain_error, error

router = Router(tags=["依申请公开"])


class TransferOut(Schema):
    unit: str
    tracking_number: str
    status_label: str


class StatusOut(Schema):
    tracking_number: str
    unit: str
    status: str
    status_label: str
    submitted_on: date
    received_on: date | None
    due_date: date | None
    replied_on: date | None
    result: str | None
    transferred_to: TransferOut | None


class SubmittedOut(StatusOut):
    query_code: str


_FIELD_DOCS = {
    "unit": "受理机关的单位代码（必填）",
    "applicant_type": "申请人类型：citizen 公民、legal_person 法人或其他组织 等",
    "name": "申请人姓名或名称",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "description": "所需政府信息的名称、文号或便于查询的其他特征性描述（必填）",
}
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["unit"],
                    "properties": {
                        f: {"type": "string", **({"description": _FIELD_DOCS[f]} if f in _FIELD_DOCS else {})}
                        for f in ("unit", *APPLICANT_FIELDS)
                    },
                }
            }
        },
    }
}


def _limited(scope: str, request: HttpRequest) -> JsonResponse | None:
    verdict = ratelimit.hit_request(scope, request)
    return None if verdict.allowed else ratelimit.json_429(verdict)


@router.post(
    "/applications",
    response={201: SubmittedOut, 400: ErrorOut, 429: ErrorOut},
    summary="在线提交政府信息公开申请",
    openapi_extra=REQUEST_BODY,
)
def submit(request: HttpRequest) -> Any:
    if (limited := _limited("api_submit", request)) is not None:
        return limited
    try:
        payload = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return error("invalid_json", "请求体不是合法的 JSON（UTF-8）")
    if not isinstance(payload, dict):
        return error("invalid_json", "请求体应为 JSON 对象")
    unit_code = str(payload.get("unit") or "")
    unit = Org.objects.filter(code=unit_code, kind__in=list(UNIT_KINDS), is_active=True).first()
    if unit is None:
        return error("invalid", "请在 unit 中填写受理机关的单位代码", "unit")
    data = {k: payload.get(k) for k in APPLICANT_FIELDS if k in payload}
    try:
        app, code = intake.submit_online(unit=unit, data=data)
    except DomainError as exc:
        return domain_error(exc)
    body = {"tracking_number": app.tracking_number, "query_code": code, **selectors.public_status(app)}
    return JsonResponse(body, status=201, json_dumps_params={"ensure_ascii": False})


@router.get(
    "/applications/{tracking}",
    response={200: StatusOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="凭申请编号和查询码查询办理进度",
)
def status(request: HttpRequest, tracking: str, code: str = Query("", description="提交时给出的查询码")) -> Any:
    if (limited := _limited("track", request)) is not None:
        return limited
    if not code:
        return error("invalid", "请提供查询码（code）", "code")
    app = selectors.find_by_tracking(tracking[:60], code[:60])
    if app is None:
        return error("not_found", "申请编号或查询码不正确", "code", status=404)
    return JsonResponse(selectors.public_status(app), json_dumps_params={"ensure_ascii": False})
