"""Request-wide behaviour: client address for the audit log, and a friendly page instead of a 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .audit import request_address
from .errors import DomainError, NotAllowed

log = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


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
            html = render_to_string("unavailable.html", {"request": request})
            return HttpResponse(html, status=503, headers={"Retry-After": "60"})
        return None
