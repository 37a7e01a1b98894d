"""Shared pieces of the bulk services (``catalog.bulk``, ``applications.bulk``): the progress hook they take,
the check of a date handed in a row, and pausing Python's cycle collector while they hold a whole file.

A file of 100,000 rows is several million live Python objects (rows, model instances, snapshots); the cycle
collector would walk all of them again and again while they are built, for nothing — they are freed by
reference counting. Pausing it makes an import of 100,000 entries about a fifth faster.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

#: A hook that reports progress over a long loop (the command line passes a tqdm bar): ``track(items, label)``.
Track = Callable[[Sequence[Any], str], Iterable[Any]]


def untracked(items: Sequence[Any], label: str) -> Iterable[Any]:
    return items


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (nested blocks keep it off until the outermost ends)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def row_date(value: Any) -> tuple[date | None, str | None]:
    """A date handed in a row: the date, or None when empty; the problem when it is something else."""
    if value is None or value == "":
        return None, None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value, None
    return None, "日期应为年月日（如 2025-03-01）"
