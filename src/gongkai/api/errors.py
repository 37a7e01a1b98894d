"""One error body for the whole API: ``{"error": {"code", "message", "field"}}``, messages in Chinese."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gongkai.core.errors import DomainError, NotAllowed, NotFound, ValidationFailed


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


class ErrorOut(Schema):
    error: ErrorDetail


def error(code: str, message: str, field: str | None = None, status: int = 400, **extra: Any) -> JsonResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message, "field": field, **extra}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def domain_error(exc: DomainError) -> JsonResponse:
    if isinstance(exc, ValidationFailed):
        return error(exc.code, exc.message, exc.field, errors=exc.errors)
    status = 403 if isinstance(exc, NotAllowed) else 404 if isinstance(exc, NotFound) else 400
    return error(exc.code, exc.message, exc.field, status=status)


_PYDANTIC_MESSAGES = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_too_long": "内容过长",
    "string_type": "应为文字",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "json_invalid": "请求体不是合法的 JSON（UTF-8）",
    "model_attributes_type": "请求体应为 JSON 对象",
    "dict_type": "请求体应为 JSON 对象",
}


def _validation(exc: NinjaValidationError) -> JsonResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", ()) if p not in ("query", "path", "body", "form", "file", "payload")]
        field = ".".join(loc) or "__all__"
        text = _PYDANTIC_MESSAGES.get(str(item.get("type")), "格式不正确")
        errors.setdefault(field, []).append(f"参数“{field}”{text}" if field != "__all__" else text)
    first, messages = next(iter(errors.items()), ("__all__", ["请求参数不正确"]))
    code = "invalid_json" if any(e.get("type") == "json_invalid" for e in exc.errors) else "invalid"
    return error(code, "；".join(messages), None if first == "__all__" else first, errors=errors)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return _validation(exc)

    @api.exception_handler(DomainError)
    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return domain_error(exc)

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error("not_found", "未找到请求的对象", status=404)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error("unauthorized", "需要有效的接口令牌（Authorization: Bearer <令牌>）", status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        text = str(exc)
        if text.startswith("Cannot parse request body"):  # django-ninja's own wording for an unreadable body
            return error("invalid_json", "请求体无法解析：应为 UTF-8 编码的 JSON 对象", status=400)
        if not text or text.isascii():  # no English reaches a caller (ninja's texts are English)
            text = "请求无法处理"
        return error("http_error", text, status=exc.status_code)
