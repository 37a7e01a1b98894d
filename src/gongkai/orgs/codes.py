"""Unit codes: the 18-character 统一社会信用代码 (GB 32100-2015) or an assigned code of letters/digits."""

from __future__ import annotations

import re

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ASSIGNED = re.compile(r"^[A-Za-z0-9]{2,20}$")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    code = code.upper()
    if len(code) != 18 or any(c not in USCC_CHARSET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def unit_code_error(code: str) -> str | None:
    """A Chinese message saying what is wrong with ``code``, or None when it is acceptable."""
    code = code.strip()
    if not code:
        return "单位代码不能为空"
    if not _ASSIGNED.match(code):
        return "单位代码只能由字母和数字组成，长度 2–20 位"
    if len(code) == 18 and not is_valid_uscc(code):
        return "18 位单位代码按统一社会信用代码校验未通过（校验位错误或含非法字符 I/O/Z/S/V）"
    return None
