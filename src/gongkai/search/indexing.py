"""What goes into the index: only public fields of published entries, plus their attachments' text."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.utils import timezone

from gongkai.catalog.models import Attachment, Entry, EntryStatus
from gongkai.catalog.text import html_to_text
from gongkai.screening import ocrstore
from gongkai.screening.extract import OK, extract_bytes

from . import tokenizer
from .backends import GAP, DocumentText, get_backend

log = logging.getLogger(__name__)

#: Attachment text beyond this many characters is not indexed (a 500-page PDF still gets its first 2M).
MAX_ATTACHMENT_CHARS = 2_000_000


def attachment_text(att: Attachment) -> str:
    """Text of one attachment, through the screening extractors (PDF, DOCX, XLSX, CSV, …), with the OCR text
    of scanned images and pages the screening worker recognised (cached: indexing never runs OCR)."""
    try:
        with att.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        log.warning("attachment %s unreadable for indexing", att.pk)
        return ""
    result = extract_bytes(att.original_name, data, ocr=ocrstore.read_only)
    if result.status != OK and not result.segments:
        return ""
    return "\n".join(s.text for s in result.segments)[:MAX_ATTACHMENT_CHARS]


def document_for(entry: Entry, attachment_texts: Sequence[str] = ()) -> DocumentText:
    body: list[str] = []
    for text in [entry.summary, html_to_text(entry.body), *attachment_texts]:
        toks = tokenizer.tokens(text)
        if toks:
            if body:
                body.append(GAP)
            body.extend(toks)
    meta = " ".join(x for x in (entry.index_number or "", entry.document_number, entry.topic_words) if x)
    published = entry.published_at or timezone.now()
    return DocumentText(
        entry_id=entry.pk,
        unit_id=entry.unit_id,
        category_id=entry.category_id,
        year=timezone.localtime(published).year,
        genre=entry.genre,
        validity=entry.validity,
        published_at=published,
        title=tokenizer.tokens(entry.title),
        meta=tokenizer.tokens(meta),
        body=body,
    )


def _indexable(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.status == EntryStatus.PUBLISHED and e.published_at is not None]


def index_entries(entry_ids: Sequence[int], *, with_attachments: bool = True) -> int:
    """(Re)index these entries; entries that are not (or no longer) published leave the index."""
    entries = list(Entry.objects.filter(pk__in=list(entry_ids)))
    public = _indexable(entries)
    texts: dict[int, list[str]] = {e.pk: [] for e in public}
    if with_attachments and public:
        current = Attachment.objects.filter(entry__in=public, replaced_at__isnull=True)
        for att in current.order_by("entry", "sort_order"):
            if text := attachment_text(att):
                texts[att.entry_id].append(text)
    backend = get_backend()
    gone = set(entry_ids) - {e.pk for e in public}
    if gone:
        backend.remove(sorted(gone))
    return backend.replace(document_for(e, texts[e.pk]) for e in public)


def remove_entry(entry_id: int) -> None:
    get_backend().remove([entry_id])
