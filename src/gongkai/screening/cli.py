"""``gongkai scan FILE…`` without the database: JSON lines on stdout, Chinese notes on stderr.

Exit status: 0 nothing found; 1 something found; 2 a file could not be read or needs manual review —
2 wins over 1, because an unreadable file may hide more than what was found elsewhere.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from .extract import MAX_BYTES, OK, STATUS_LABELS
from .report import scan_path

CLEAN, FOUND, UNREADABLE = 0, 1, 2


def load_words(path: str | None) -> list[str]:
    if not path:
        return []
    return [w.strip() for w in Path(path).read_text(encoding="utf-8").splitlines() if w.strip()]


def scan_files(
    files: Sequence[str],
    *,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    unit_words: Iterable[str] = (),
    max_bytes: int = MAX_BYTES,
) -> int:
    words = list(unit_words)
    found = unreadable = False
    for name in files:
        rep = scan_path(name, unit_words=words, max_bytes=max_bytes)
        for located in rep.findings:
            out.write(json.dumps(located.as_json(name), ensure_ascii=False) + "\n")
        found = found or bool(rep.findings)
        if rep.status != OK:
            unreadable = True
            line = {"file": name, "status": rep.status, "reason": rep.reason}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            err.write(f"{name}：{STATUS_LABELS[rep.status]}（{rep.reason}）\n")
    return UNREADABLE if unreadable else FOUND if found else CLEAN


def main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - thin wrapper for python -m
    import argparse

    parser = argparse.ArgumentParser(prog="python -m gongkai.screening", description="扫描文件中的个人信息和涉密标识")
    parser.add_argument("files", nargs="+", metavar="文件")
    parser.add_argument("--words", help="敏感词文件（每行一个）")
    args = parser.parse_args(argv)
    return scan_files(args.files, unit_words=load_words(args.words))
