"""Publication gates: other apps (screening) register checks that can block publication.

A gate receives the entry and returns a list of Chinese reasons; any reason blocks ``sign_publish``
and ``review_pass``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Gate = Callable[[Any], list[str]]
_gates: list[Gate] = []


def register(gate: Gate) -> Gate:
    if gate not in _gates:
        _gates.append(gate)
    return gate


def blocking_reasons(entry: Any) -> list[str]:
    reasons: list[str] = []
    for gate in _gates:
        reasons.extend(gate(entry))
    return reasons
