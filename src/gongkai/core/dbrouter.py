"""Read replicas: which queries may be answered by a streaming standby (``DATABASE_REPLICA_URLS``).

Only reads, only where they are allowed, only when they cannot miss a change the reader just made:

* ``ReplicaReadsMiddleware`` allows them for GET/HEAD requests under ``GONGKAI_REPLICA_PATHS`` (the open
  API, the search page, the staff report pages: read-only paths, where a standby that is a second behind
  does no harm), unless the browser is *pinned* to the primary;
* after any POST/PUT/PATCH/DELETE the response pins that browser to the primary for
  ``GONGKAI_REPLICA_PIN_SECONDS`` (a signed cookie), so staff who published something see it at once in
  the API, in search and in the reports (read-your-writes) while the standby catches up;
* inside a transaction every query goes to the primary (a transaction reads its own writes; a
  ``select_for_update`` cannot run on a standby);
* only the apps that hold public data (catalog, orgs, search, harvest, rules, workdays) are routed; sessions,
  accounts, lockouts, rate limits and task rows always use the primary;
* writes always go to the primary (``db_for_write``), migrations run only there.

Code outside a request (a report command) opts in with ``reads_from_replica()``.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

#: App labels whose reads may be answered by a standby.
ROUTED_APPS = frozenset({"catalog", "orgs", "search", "harvest", "rules", "workdays"})
PIN_COOKIE = "gongkai_primary"
_PIN_SALT = "gongkai.core.dbrouter.pin"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_allowed: ContextVar[bool] = ContextVar("gongkai_replica_reads", default=False)
_turn = itertools.count()


def replica_aliases() -> list[str]:
    return [alias for alias in connections if alias.startswith("replica")]


@contextlib.contextmanager
def reads_from_replica(allowed: bool = True) -> Iterator[None]:
    """Let the reads inside the block (outside transactions) go to a replica."""
    token = _allowed.set(allowed)
    try:
        yield
    finally:
        _allowed.reset(token)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry, installed by settings.py when ``DATABASE_REPLICA_URLS`` is set."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _allowed.get() or model._meta.app_label not in ROUTED_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        replicas = replica_aliases()
        if not replicas:
            return DEFAULT_DB_ALIAS
        return replicas[next(_turn) % len(replicas)]

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every alias holds the same database

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def _pinned(request: HttpRequest) -> bool:
    try:
        request.get_signed_cookie(
            PIN_COOKIE, salt=_PIN_SALT, max_age=timedelta(seconds=settings.GONGKAI_REPLICA_PIN_SECONDS)
        )
    except (KeyError, signing.BadSignature):
        return False
    return True


def _replica_paths() -> tuple[str, ...]:
    return tuple(p.strip() for p in settings.GONGKAI_REPLICA_PATHS.split(",") if p.strip())


class ReplicaReadsMiddleware:
    """Decides per request whether its reads may use a replica, and pins writers to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = (
            request.method in SAFE_METHODS
            and request.path.startswith(_replica_paths())
            and bool(replica_aliases())
            and not _pinned(request)
        )
        with reads_from_replica(allowed):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS and replica_aliases():
            response.set_signed_cookie(
                PIN_COOKIE,
                str(int(time.time())),
                salt=_PIN_SALT,
                max_age=int(settings.GONGKAI_REPLICA_PIN_SECONDS) + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
