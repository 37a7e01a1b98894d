"""Moved to :mod:`gongkai.core.ratelimit` (search and the API use it too); kept so old imports work."""

from gongkai.core.ratelimit import DEFAULT_LIMITS, Verdict, hit, limits

__all__ = ["DEFAULT_LIMITS", "Verdict", "hit", "limits"]
