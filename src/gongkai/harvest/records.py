"""The harvest record of an entry: the full public metadata (the catalog fields of Regulation Art. 12 plus
body, validity and attachments), or for a withdrawn entry only the header that says it is gone."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from gongkai.catalog.models import Entry, EntryStatus
from gongkai.portal import paths


def identifier(index_number: str) -> str:
    """The OAI identifier: ``oai:<host of the public site>:<index number>``."""
    host = urlsplit(settings.GONGKAI_PUBLIC_URL).hostname or "localhost"
    return f"oai:{host}:{index_number}"


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def build(entry: Entry) -> dict[str, Any]:
    """The record as the feed and the push endpoint carry it (JSON-ready)."""
    url = paths.absolute(paths.entry_page(entry.unit.slug, entry.pk))
    header = {
        "identifier": identifier(entry.index_number or ""),
        "index_number": entry.index_number or "",
        "unit": entry.unit.code,
        "unit_name": entry.unit.name,
        "url": url,
    }
    if entry.status == EntryStatus.WITHDRAWN:
        return {
            **header,
            "status": "deleted",
            "title": entry.title,
            "withdrawn_at": _date(entry.withdrawn_at),
            "withdrawn_reason": entry.withdrawn_reason,
        }
    return {
        **header,
        "status": "active",
        "title": entry.title,
        "document_number": entry.document_number,
        "publisher": entry.publisher.name,
        "publisher_code": entry.publisher.code,
        "category": entry.category.full_name(),
        "genre": entry.genre,
        "topic_words": entry.topic_words.split(),
        "formed_date": _date(entry.formed_date),
        "published_at": _date(entry.published_at),
        "summary": entry.summary,
        "body_html": entry.body,
        "validity": entry.validity,
        "validity_label": entry.get_validity_display(),
        "effective_date": _date(entry.effective_date),
        "invalid_date": _date(entry.invalid_date),
        "superseded_by": entry.superseded_by.index_number if entry.superseded_by else None,
        "version": entry.version,
        "attachments": [
            {
                "name": a.original_name,
                "kind": a.kind,
                "size": a.size,
                "sha256": a.sha256 or None,
                "url": paths.absolute(f"/media/{a.file.name}"),
            }
            for a in entry.attachments.all()
            if a.replaced_at is None
        ],
    }
