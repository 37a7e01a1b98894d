"""HTTP manners of ``/api/``: per-address rate limits, ETags with 304 revalidation, CORS for reads."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from gongkai.core import ratelimit

from .errors import error

PREFIX = "/api/"
SAFE = ("GET", "HEAD")
#: Personal data (case status after the query code matched): never stored by shared caches.
PRIVATE_PREFIXES = ("/api/v1/applications", "/api/v1/messages/")
READ_CACHE = "public, max-age=60"


def nul_field(request: HttpRequest) -> str | None:
    """The first query parameter (or ``path``) holding a NUL character, if any."""
    if "\x00" in request.path:
        return "path"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "")[:40] or "query"
    if request.method not in SAFE and request.content_type == "application/json":
        body = request.body
        if b"\x00" in body or b"\\u0000" in body.lower():  # JSON can only spell NUL as \u0000
            return "body"
    return None


def _cors(response: HttpResponseBase) -> HttpResponseBase:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
    return response


class ApiHttpMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            # Preflight: reads may come from any origin (open data); writes carry a token and are not CORS.
            preflight = HttpResponse(status=204)
            preflight["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            preflight["Access-Control-Allow-Headers"] = "If-None-Match, Accept"
            preflight["Access-Control-Max-Age"] = "86400"
            return _cors(preflight)
        if (bad := nul_field(request)) is not None:
            # PostgreSQL text cannot hold NUL: refuse it here rather than as a database error.
            return _cors(error("invalid", f"参数“{bad}”含有不允许的控制字符", None if bad in ("path", "body") else bad))
        verdict = ratelimit.hit_request("api" if request.method in SAFE else "api_write", request)
        if not verdict.allowed:
            return _cors(ratelimit.json_429(verdict))
        response = self.get_response(request)
        if request.method not in SAFE:
            return response
        if request.path.startswith(PRIVATE_PREFIXES):
            response["Cache-Control"] = "no-store"
            return _cors(response)
        if response.status_code == 200 and not response.streaming and isinstance(response, HttpResponse):
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            response["ETag"] = etag
            response.setdefault("Cache-Control", READ_CACHE)
            patch_vary_headers(response, ["Accept-Encoding"])
            wanted = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
            if etag in wanted or f"W/{etag}" in wanted or "*" in wanted:
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                not_modified["Cache-Control"] = response["Cache-Control"]
                return _cors(not_modified)
        return _cors(response)
