"""The public address of an entry's page, for the floors below the portal that print it (posters, exports).

``portal.paths`` re-exports these, so the site's links, its files on disk and a QR code on a poster agree.
"""

from __future__ import annotations

from django.conf import settings


def entry_page(unit_slug: str, entry_id: int) -> str:
    return f"/{unit_slug}/info/{entry_id}/"


def absolute(url: str) -> str:
    return f"{settings.GONGKAI_PUBLIC_URL}{url}"


def entry_absolute(entry: object) -> str:
    """The full public URL of ``entry`` (an ``Entry`` with its ``unit`` loaded)."""
    return absolute(entry_page(entry.unit.slug, entry.pk))  # type: ignore[attr-defined]
