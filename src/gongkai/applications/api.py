"""JSON API: ``POST /api/v1/applications`` and ``GET /api/v1/applications/{tracking}?code=``.

Plain Django views for now (django-ninja comes later); errors are ``{"error": {"code", "message", "field"}}``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.core.middleware import client_address
from gongkai.orgs.models import UNIT_KINDS, Org

from . import intake, ratelimit, selectors
from .intake import APPLICANT_FIELDS


def error(code: str, message: str, field: str | None = None, status: int = 400, **extra: Any) -> JsonResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message, "field": field, **extra}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # a public, unauthenticated endpoint: no session cookie to protect
@require_POST
def submit(request: HttpRequest) -> JsonResponse:
    verdict = ratelimit.hit("api_submit", client_address(request))
    if not verdict.allowed:
        response = error("rate_limited", verdict.message, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
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
    except ValidationFailed as exc:
        return error(exc.code, exc.message, exc.field, errors=exc.errors)
    except DomainError as exc:
        return error(exc.code, exc.message, exc.field)
    return JsonResponse(
        {"tracking_number": app.tracking_number, "query_code": code, **selectors.public_status(app)},
        status=201,
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def status(request: HttpRequest, tracking: str) -> JsonResponse:
    verdict = ratelimit.hit("track", client_address(request))
    if not verdict.allowed:
        response = error("rate_limited", verdict.message, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    code = request.GET.get("code", "")
    if not code:
        return error("invalid", "请提供查询码（code）", "code")
    app = selectors.find_by_tracking(tracking, code)
    if app is None:
        return error("not_found", "申请编号或查询码不正确", "code", status=404)
    return JsonResponse(selectors.public_status(app), json_dumps_params={"ensure_ascii": False})
