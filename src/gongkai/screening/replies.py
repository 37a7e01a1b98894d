"""The same scan for application replies (依申请公开答复) and their attachments, before they are sent.

The applications module calls ``scan_reply`` and refuses to send while ``blocking_reasons`` is not empty
(or records its own reviewer acceptance); nothing is stored here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from gongkai.catalog.text import html_to_text

from . import extract
from .mask import mask_text
from .report import FileReport, Located, scan_bytes, scan_segments
from .scanner import HIGH, KIND_LABELS
from .scanning import unit_words


@dataclass
class ReplyScan:
    text_findings: list[Located] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)

    @property
    def findings(self) -> list[tuple[str, Located]]:
        out = [("答复正文", f) for f in self.text_findings]
        out += [(r.name, f) for r in self.files for f in r.findings]
        return out

    def blocking_reasons(self) -> list[str]:
        reasons = []
        high = [f for f in self.text_findings if f.finding.severity == HIGH]
        if high:
            reasons.append(f"答复正文含 {len(high)} 处高风险信息（{_kinds(high)}），请打码或确认")
        for r in self.files:
            if r.status != extract.OK:
                reasons.append(f"附件“{r.name}”{extract.STATUS_LABELS[r.status]}：{r.reason}")
            high = [f for f in r.findings if f.finding.severity == HIGH]
            if high:
                reasons.append(f"附件“{r.name}”含 {len(high)} 处高风险信息（{_kinds(high)}）")
        return reasons


def _kinds(found: list[Located]) -> str:
    return "、".join(sorted({KIND_LABELS[f.finding.kind] for f in found}))


def scan_reply(
    *, text: str = "", html: str = "", files: Iterable[tuple[str, bytes]] = (), unit: Any = None
) -> ReplyScan:
    """Scan a reply's text (plain or HTML) and its files with the unit's sensitive words."""
    words: list[tuple[str, str]] = []
    if unit is not None:
        words = unit_words(unit)
    body = "\n".join(part for part in (text, html_to_text(html) if html else "") if part)
    segments = [(f"第{n}行", line) for n, line in enumerate(body.splitlines(), start=1) if line.strip()]
    result = ReplyScan(text_findings=scan_segments(segments, unit_words=words))
    result.files = [scan_bytes(name, data, unit_words=words) for name, data in files]
    return result


def mask_reply_text(text: str, kinds: Collection[str]) -> str:
    """The reply text with every value of ``kinds`` masked (the applicant's own data is masked elsewhere)."""
    return mask_text(text, kinds)[0]
