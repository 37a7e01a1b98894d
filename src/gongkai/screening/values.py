"""What a finding looks like once masked, and the refusal a file that cannot be masked raises.

A leaf module: the scanner (which masks each value it finds), the extractors (which refuse damaged files)
and the maskers all use it, so none of them has to import another.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9Xx]")


class MaskRefused(Exception):
    """The file cannot be masked safely; ``reason`` says why, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _keep(value: str, head: int, tail: int) -> str:
    chars = [c for c in value if c.isalnum()]
    if len(chars) <= head + tail:
        return "*" * len(chars)
    return "".join(chars[:head]) + "*" * (len(chars) - head - tail) + "".join(chars[len(chars) - tail :])


def mask_value(kind: str, raw: str) -> str:
    """The value as it may be shown: enough to recognise a row, not enough to use the number."""
    if kind == "id_card":
        return _keep(raw, 6, 4)
    if kind == "mobile":
        digits = re.sub(r"[^0-9]", "", raw)
        prefix = "+86 " if len(digits) > 11 else ""
        return prefix + _keep(digits[-11:], 3, 4)
    if kind == "bank_card":
        return _keep(raw, 4, 4)
    if kind == "landline":
        m = re.search(r"(0[0-9]{2,3})[^0-9]*([2-9][0-9]{6,7})", raw)
        if m is None:  # one unseparated run such as 057188880101
            digits = re.sub(r"[^0-9]", "", raw)
            area_len = 3 if digits.startswith(("010", "02")) else 4
            area, local = digits[:area_len], digits[area_len:]
        else:
            area, local = m.group(1), m.group(2)
        return f"{area}-{_keep(local, 0, 4)}"
    if kind == "email":
        local, _, domain = raw.partition("@")
        return (local[:1] + "***@" + domain) if local else "***"
    if kind in ("passport", "permit"):
        return _keep(raw, 1, 2)
    if kind == "plate":
        compact = re.sub(r"[·•\s]", "", raw)
        return compact[:2] + "*" * (len(compact) - 4) + compact[-2:]
    if kind == "address":
        return _DIGITS.sub("*", raw)
    if kind == "account_name":
        return raw[:1] + "*" * (len(raw) - 1)
    return "*" * len(raw)
