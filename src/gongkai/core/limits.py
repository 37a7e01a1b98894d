"""The rate limits as settings: scope → (requests, window seconds). Kept apart from ``ratelimit`` (which needs
the models) because ``settings.py`` parses ``GONGKAI_RATE_LIMITS`` with it before any app is loaded."""

from __future__ import annotations

from django.conf import settings

#: scope → (requests allowed, window in seconds). Override with ``GONGKAI_RATE_LIMITS`` (and, for the
#: application scopes, the older ``GONGKAI_APPLY_RATE_LIMITS`` setting).
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "submit": (5, 3600),
    "track": (20, 600),
    "api_submit": (5, 3600),
    "search": (60, 60),
    "api": (300, 60),
    "api_write": (60, 60),
    "subscribe": (10, 3600),  # the subscription form and unsubscribe posts
    "harvest": (120, 60),  # OAI-PMH at /oai (the JSON feed counts under "api")
    "password_reset": (10, 3600),  # /staff/password/reset/: a one-time code is guessed no faster than this
}


def limits() -> dict[str, tuple[int, int]]:
    return {
        **DEFAULT_LIMITS,
        **getattr(settings, "GONGKAI_RATE_LIMITS", {}),
        **getattr(settings, "GONGKAI_APPLY_RATE_LIMITS", {}),
    }


def parse_limits(value: str) -> dict[str, tuple[int, int]]:
    """``"search=60/60,api=300/60"`` → ``{"search": (60, 60), "api": (300, 60)}``; bad parts are refused."""
    out: dict[str, tuple[int, int]] = {}
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        scope, _, spec = part.partition("=")
        count, _, window = spec.partition("/")
        if not (scope.strip() and count.strip().isdigit() and window.strip().isdigit() and int(window) > 0):
            raise ValueError(f"GONGKAI_RATE_LIMITS 格式应为 范围=次数/秒数，如 search=60/60（无法理解：{part}）")
        out[scope.strip()] = (int(count), int(window))
    return out
