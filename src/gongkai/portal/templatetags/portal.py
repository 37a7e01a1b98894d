"""Template helpers shared by the static builder and the development views."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders

from gongkai.orgs.models import Org, OrgKind

from .. import paths

register = template.Library()


@cache
def _asset_version(name: str) -> str:
    found = finders.find(name)
    if not found or isinstance(found, list):
        return "0"
    with open(found, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:10]


@register.simple_tag
def asset(name: str) -> str:
    """Static URL with a content hash, so assets can be cached for long and still change on deploy."""
    return f"{settings.STATIC_URL}{name}?v={_asset_version(name)}"


@register.filter
def site_url(fieldfile: Any) -> str:
    """The public-site URL of an attachment's file (paths.attachment_url), for local and S3 storage alike."""
    return paths.attachment_url(fieldfile.name)


@register.filter
def filesize(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


@register.simple_tag
def portal_site() -> dict[str, Any]:
    """The county whose portal this is: its name heads every public page (also those of other apps)."""
    county = (
        Org.objects.filter(kind=OrgKind.COUNTY, parent=None, is_active=True)
        .only("name", "short_name", "slug")
        .order_by("id")
        .first()
    )
    name = county.name if county else ""
    return {"name": name or "政府信息公开", "title": disclosure_title(name), "county": county}


@register.filter
def disclosure_title(name: str) -> str:
    """ "清河县人民政府" → "清河县人民政府信息公开" (not "…人民政府政府信息公开")."""
    if not name:
        return "政府信息公开"
    return f"{name}信息公开" if name.endswith("政府") else f"{name}政府信息公开"
