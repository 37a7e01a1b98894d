"""The OCR cache: recognised text kept by file SHA-256 and engine version (``OcrResult``).

Three readers for ``extract.extract_bytes``: ``running`` (the task worker: recognises what is not cached),
``waiting`` (a request or the publication gate: a miss marks the file pending and raises ``OcrPending``,
the caller queues the worker) and ``read_only`` (search indexing: a miss is simply no OCR text).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time

from django.db import IntegrityError

from gongkai.documents.guard import forbid_in_transaction

from . import ocr
from .extract import OcrReader
from .models import OcrResult
from .ocr import OcrPending, OcrText, OcrUnavailable, Word

log = logging.getLogger(__name__)
NOT_INSTALLED = "服务器未安装文字识别组件（tesseract），扫描件中的文字无法自动识别，请人工审查"


def _engine() -> str:
    engine = ocr.engine_version()
    if not engine:
        raise OcrUnavailable(NOT_INSTALLED)
    return engine


def _from_row(row: OcrResult) -> OcrText:
    if row.state == OcrResult.State.FAILED:
        raise OcrUnavailable(row.reason or "文字识别失败，请人工审查")
    words = [Word.from_json(d) for d in row.boxes]
    return OcrText(row.engine_version, list(row.pages), words, row.reason)


def _lookup(data: bytes) -> tuple[str, str, OcrResult | None]:
    engine = _engine()
    sha = hashlib.sha256(data).hexdigest()
    row = OcrResult.objects.filter(sha256=sha, engine_version=engine).first()
    return sha, engine, row


def running(kind: str, data: bytes, pages: list[int]) -> OcrText:
    """Cached text, or recognise now and keep it. Seconds a page: the task worker only, never in a transaction."""
    sha, engine, row = _lookup(data)
    if row is not None and row.state != OcrResult.State.PENDING:
        return _from_row(row)
    forbid_in_transaction("recognising a scanned attachment (OCR)")
    began = time.monotonic()
    state, reason, found = OcrResult.State.DONE, "", None
    try:
        found = ocr.recognize(kind, data, pages)
        reason = found.note
    except OcrUnavailable as exc:
        state, reason = OcrResult.State.FAILED, exc.reason
    values = {
        "state": state,
        "reason": reason,
        "text": found.text if found else "",
        "boxes": [w.as_json() for w in found.words] if found else [],
        "pages": found.pages if found else [],
        "seconds": round(time.monotonic() - began, 2),
    }
    try:
        OcrResult.objects.update_or_create(sha256=sha, engine_version=engine, defaults=values)
    except IntegrityError:  # another worker stored the same file meanwhile: same text
        log.info("OCR result of %s stored concurrently", sha[:12])
    if found is None:
        raise OcrUnavailable(reason)
    return found


def waiting(kind: str, data: bytes, pages: list[int]) -> OcrText:
    """Cached text; on a miss the file is marked pending and ``OcrPending`` raised (the caller queues OCR)."""
    sha, engine, row = _lookup(data)
    if row is not None and row.state != OcrResult.State.PENDING:
        return _from_row(row)
    if row is None:
        with contextlib.suppress(IntegrityError):  # the gate of a concurrent request marked it first
            OcrResult.objects.get_or_create(sha256=sha, engine_version=engine)
    raise OcrPending(sha)


def read_only(kind: str, data: bytes, pages: list[int]) -> OcrText:
    """Cached text or none (``OcrUnavailable``): for readers that neither wait nor run OCR (search)."""
    _, _, row = _lookup(data)
    if row is None or row.state == OcrResult.State.PENDING:
        raise OcrUnavailable("扫描件尚未识别文字")
    return _from_row(row)


def pending(sha256: str) -> bool:
    return OcrResult.objects.filter(sha256=sha256, state=OcrResult.State.PENDING).exists()


def reader(*, run: bool) -> OcrReader:
    return running if run else waiting
