"""Public URLs of every page, in one place.

The static builder and the development views both go through these functions, so a URL in a link, in the
sitemap and on disk always agree. A URL ending in ``/`` is stored as ``…/index.html``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.encoding import filepath_to_uri

from gongkai.catalog.public_urls import absolute as absolute  # moved down: posters print entry URLs
from gongkai.catalog.public_urls import entry_page as entry_page
from gongkai.orgs.services import RESERVED_SLUGS as _ORG_RESERVED

PAGE_SIZE = 20

#: Top-level paths owned by the dynamic application; `orgs.services.create_org` refuses them as slugs.
RESERVED_SLUGS = _ORG_RESERVED


def county_home() -> str:
    return "/"


def unit_home(unit_slug: str) -> str:
    return f"/{unit_slug}/"


def guide(unit_slug: str) -> str:
    return f"/{unit_slug}/guide/"


def catalog(unit_slug: str) -> str:
    return f"/{unit_slug}/catalog/"


def codes(unit_slug: str) -> str:
    return f"/{unit_slug}/codes/"


def annual_reports(unit_slug: str) -> str:
    return f"/{unit_slug}/annual-reports/"


def category_list(unit_slug: str, category_slug: str, page: int = 1) -> str:
    base = f"/{unit_slug}/list/{category_slug}/"
    return base if page <= 1 else f"{base}p{page}/"


def category_feed(unit_slug: str, category_slug: str) -> str:
    return f"/{unit_slug}/list/{category_slug}/feed.xml"


def unit_feed(unit_slug: str) -> str:
    return f"/{unit_slug}/feed.xml"


def unit_sitemap(unit_slug: str) -> str:
    return f"/{unit_slug}/sitemap.xml"


def entry_print(unit_slug: str, entry_id: int) -> str:
    return f"/{unit_slug}/info/{entry_id}/print/"


def sitemap_index() -> str:
    return "/sitemap.xml"


def robots() -> str:
    return "/robots.txt"


def not_found() -> str:
    return "/404.html"


def unavailable() -> str:
    """The page nginx shows for 502/503/504 when the application is down (docs/nginx.conf.example)."""
    return "/50x.html"


def too_many_requests() -> str:
    """The page nginx shows when its own per-address limit answers 429."""
    return "/429.html"


def apply_url() -> str:
    return "/apply/"


def subscribe(unit_slug: str, category_id: int | None = None) -> str:
    """The e-mail subscription form (dynamic, gongkai.subscriptions), optionally with a category chosen."""
    return f"/subscribe/{unit_slug}/" + (f"?category={category_id}" if category_id else "")


def attachment_url(name: str) -> str:
    """Where an attachment (its storage name) is on the public site: under MEDIA_URL, whatever the storage.

    Not ``FieldFile.url``: with S3 media storage that is a signed link into the private bucket, which would
    expire inside a static page; the builder copies every public attachment into the site at this URL.
    """
    return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"


def message_form_url() -> str:
    """The dynamic message form (互动交流, served by the application like /apply/)."""
    return "/messages/new/"


def messages(unit_slug: str) -> str:
    """留言选登: a unit's published messages with their replies."""
    return f"/{unit_slug}/messages/"


def message_stats(unit_slug: str) -> str:
    return f"/{unit_slug}/messages/stats/"


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def file_for(root: Path, url: str) -> Path:
    """Where the page at ``url`` lives inside the site folder ``root``."""
    rel = url.lstrip("/")
    if not rel or rel.endswith("/"):
        rel += "index.html"
    path = (root / rel).resolve()
    # A slug can never contain "..", but the file system is the last place to be trusting.
    if root.resolve() not in path.parents:
        raise ValueError(f"unsafe page path: {url}")
    return path
