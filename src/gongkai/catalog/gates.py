"""Publication gates: other apps (screening) register checks that can block publication.

A gate receives the entry and returns a list of Chinese reasons; any reason blocks ``sign_publish``
and ``review_pass``. Gates run inside the transaction that locks the entry, so they only read; slow
preparation (screening extracts the text of attachments not scanned yet) is a gate's ``prepare`` hook,
which the services call first, outside the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Gate = Callable[[Any], list[str]]
Prepare = Callable[[Any], object]
_gates: list[Gate] = []
_prepare: list[Prepare] = []


def register(gate: Gate, *, prepare: Prepare | None = None) -> Gate:
    if gate not in _gates:
        _gates.append(gate)
    if prepare is not None and prepare not in _prepare:
        _prepare.append(prepare)
    return gate


def prepare(entry: Any) -> None:
    """Run every gate's slow preparation (outside any transaction), so the gates themselves only read."""
    for hook in _prepare:
        hook(entry)


def blocking_reasons(entry: Any) -> list[str]:
    reasons: list[str] = []
    for gate in _gates:
        reasons.extend(gate(entry))
    return reasons
