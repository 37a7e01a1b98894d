"""Scanning whole files and texts: findings with their location and masked context. No Django."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import MAX_BYTES, OK, Extraction, OcrReader, Segment, extract_bytes, extract_path
from .mask import masked_context
from .scanner import HIGH, Finding, scan_text


@dataclass(frozen=True)
class Located:
    location: str
    finding: Finding
    context: str

    def as_json(self, file: str) -> dict[str, str]:
        f = self.finding
        return {
            "file": file,
            "location": self.location,
            "kind": f.kind,
            "severity": f.severity,
            "masked": f.masked,
        }


@dataclass
class FileReport:
    name: str
    kind: str
    status: str = OK
    reason: str = ""
    findings: list[Located] = field(default_factory=list)

    @property
    def high_count(self) -> int:
        return sum(1 for f in self.findings if f.finding.severity == HIGH)


def scan_segments(segments: Iterable[tuple[str, str]], *, unit_words: Iterable[Any] = ()) -> list[Located]:
    words = list(unit_words)
    out: list[Located] = []
    for location, text in segments:
        found = scan_text(text, unit_words=words)
        for f in found:
            out.append(Located(location, f, masked_context(text, f, found)))
    return out


def scan_file_segments(segments: Iterable[Segment], *, unit_words: Iterable[Any] = ()) -> list[Located]:
    """Like ``scan_segments``; a finding in OCR text names the box of its words on the page."""
    words = list(unit_words)
    out: list[Located] = []
    for segment in segments:
        found = scan_text(segment.text, unit_words=words)
        for f in found:
            out.append(Located(segment.where(f.start, f.end), f, masked_context(segment.text, f, found)))
    return out


def scan_extraction(name: str, ex: Extraction, *, unit_words: Iterable[Any] = ()) -> FileReport:
    report = FileReport(name, ex.kind, ex.status, ex.reason)
    report.findings = scan_file_segments(ex.segments, unit_words=unit_words)
    return report


def scan_bytes(
    name: str,
    data: bytes,
    *,
    unit_words: Iterable[Any] = (),
    max_bytes: int = MAX_BYTES,
    ocr: OcrReader | None = None,
) -> FileReport:
    return scan_extraction(name, extract_bytes(name, data, max_bytes=max_bytes, ocr=ocr), unit_words=unit_words)


def scan_path(path: str | Path, *, unit_words: Iterable[Any] = (), max_bytes: int = MAX_BYTES) -> FileReport:
    return scan_extraction(str(path), extract_path(path, max_bytes=max_bytes), unit_words=unit_words)
