"""Request-wide behaviour: client address for the audit log, and a friendly page instead of a 500."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.views import defaults

from .audit import request_address
from .errors import DomainError, NotAllowed

log = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ForwardedAddressMiddleware:
    """Behind nginx every request comes from 127.0.0.1: lockouts, rate limits and the audit log would all
    see one address. When the direct peer is one of ``GONGKAI_TRUSTED_PROXIES``, the client is the
    right-most address in ``X-Forwarded-For`` that is not a trusted proxy (addresses further left were
    written by the client and can be forged). From any other peer the header is ignored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = settings.GONGKAI_TRUSTED_PROXIES
        if trusted and request.META.get("REMOTE_ADDR") in trusted:
            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            for hop in reversed(hops):
                if hop in trusted:
                    continue
                with contextlib.suppress(ValueError):  # garbage in the header: keep the proxy's address
                    request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(hop))
                break
        return self.get_response(request)


class FriendlyErrorMiddleware:
    """Sets the audit address; turns a database outage into "暂时无法服务" rather than a stack trace."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_address(client_address(request)):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            status = 403 if isinstance(exception, NotAllowed) else 400
            html = render_to_string("error.html", {"request": request, "message": exception.message}, request)
            return HttpResponse(html, status=status)
        if isinstance(exception, DatabaseError):
            log.exception("database unavailable")
            return unavailable(request)
        return None


UNAVAILABLE = "系统暂时无法服务，请稍后再试。已公开的政府信息仍可正常浏览，此前提交的申请不会丢失。"


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database is out of reach: JSON for the API, a plain page for people."""
    headers = {"Retry-After": "60"}
    if request.path.startswith("/api/"):
        body = {"error": {"code": "unavailable", "message": UNAVAILABLE, "field": None}}
        return JsonResponse(body, status=503, headers=headers, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(render_to_string("unavailable.html", {"request": request}), status=503, headers=headers)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: a JSON error body under ``/api/``, the site's own 404 page (templates/404.html)
    everywhere else."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": "没有这个接口地址或对象", "field": None}}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception or Http404())


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: also reached when a *middleware* hits the database (a session lookup, say), which
    ``process_exception`` never sees. Django calls it inside its ``except`` block, so the error is at hand."""
    if isinstance(sys.exc_info()[1], DatabaseError):
        return unavailable(request)
    if request.path.startswith("/api/"):
        return _error_response(request, 500, "server_error", "服务器内部错误，已记录，请稍后再试")
    message = "服务器出了点问题，已记录下来。请稍后再试；如反复出现，请联系政府信息公开工作机构。"
    return _error_response(request, 500, "server_error", message)


def _error_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The one error body: JSON under ``/api/`` (the API's error shape), the plain Chinese page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": code, "message": message, "field": None}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(render_to_string("error.html", {"request": request, "message": message}), status=status)


# --------------------------------------------------------------------------- legacy charsets and 400/403 pages

#: Encodings old office PCs and 12345 integrations post forms in; gb18030 decodes all of them.
LEGACY_CHARSETS = {"gbk", "gb2312", "gb18030", "cp936"}


class LegacyCharsetMiddleware:
    """A form posted as ``application/x-www-form-urlencoded; charset=gbk`` is decoded, not refused.

    Django accepts only UTF-8 for urlencoded bodies (a BadRequest otherwise). This middleware, placed before
    anything that reads ``request.POST``, re-encodes such a body to UTF-8 so the form sees exactly what was
    typed; a body that is not valid GB18030 either stays as it is and gets Django's 400 (in Chinese, below)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            charset = (request.content_params or {}).get("charset", "").strip().lower()
            if charset in LEGACY_CHARSETS:
                self._transcode(request)
        return self.get_response(request)

    @staticmethod
    def _transcode(request: HttpRequest) -> None:
        from urllib.parse import quote, unquote_to_bytes

        try:
            raw = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
            pairs = []
            for part in raw.split(b"&"):
                if not part:
                    continue
                key, _, value = part.partition(b"=")
                decode = lambda b: unquote_to_bytes(b.replace(b"+", b" ")).decode("gb18030")  # noqa: E731
                pairs.append(f"{quote(decode(key))}={quote(decode(value))}")
        except (UnicodeDecodeError, ValueError):
            return
        body = "&".join(pairs).encode("ascii")
        request._body = body
        request._stream = io.BytesIO(body)
        request.encoding = "utf-8"


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _without_nul(data: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key in data:
        clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in data.getlist(key)])
    clean._mutable = False
    return clean


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)


class NulCharacterMiddleware:
    """NUL characters are removed from every query parameter and form field (names and values) before a view
    reads them. Nobody types one: it comes pasted from a damaged document or from a client's bug. PostgreSQL
    cannot hold it in text (the driver refuses the whole statement, which would answer 503 as if the database were
    down) and SQLite would keep it invisibly, so the text is kept as typed, less the one character no field can
    store. (Found by the form fuzzing, tests/security/test_form_fuzz.py, on PostgreSQL.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Not the API: it answers a NUL with its own 400 (api.errors), and its views may read the raw body, which
        # a multipart body parsed here would no longer have.
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if "%00" in request.META.get("QUERY_STRING", "") and _has_nul(request.GET):
            request.GET = _without_nul(request.GET)  # type: ignore[assignment]  # immutable, as Django makes it
        form = request.method == "POST" and request.content_type in FORM_TYPES
        if form and _has_nul(request.POST):
            request.POST = _without_nul(request.POST)  # type: ignore[assignment]
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: malformed requests (a body in an encoding we cannot read, too many fields, too large)."""
    message = "提交的内容无法识别：可能是编码不对、字段太多或内容太大。请返回上一页检查后重新提交。"
    return _error_response(request, 400, "bad_request", message)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the form's security token was missing or old (a page left open overnight, cookies
    blocked). What was typed is in the browser's back button; the page says so."""
    message = (
        "页面已过期或浏览器禁用了 Cookie，提交未被接受。请返回上一页，刷新后重新提交（已填写的内容请先复制保存）。"
    )
    return _error_response(request, 403, "csrf", message)
