"""Checks on applicant data: resident ID checksum (GB 11643-1999), USCC, phone, e-mail."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from gongkai.orgs.codes import is_valid_uscc

from .choices import IdType

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


def resident_id_error(number: str) -> str | None:
    """Why ``number`` is not a valid 18-digit resident ID, or None."""
    if len(number) != 18:
        return f"居民身份证号码应为 18 位（现为 {len(number)} 位）"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "居民身份证号码前 17 位应为数字，最后一位为数字或 X"
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期不存在"
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        return "居民身份证号码校验位不正确，请核对是否输错"
    return None


def normalize_id(id_type: str, number: str) -> str:
    number = re.sub(r"\s+", "", number or "")
    if id_type in (IdType.RESIDENT_ID, IdType.USCC):
        number = number.upper()
    return number


def id_number_error(id_type: str, number: str) -> str | None:
    if not number:
        return "请填写证件号码"
    if id_type == IdType.RESIDENT_ID:
        return resident_id_error(number)
    if id_type == IdType.USCC:
        return None if is_valid_uscc(number) else "统一社会信用代码应为 18 位且校验位正确，请核对"
    if len(number) > 40 or not re.fullmatch(r"[A-Za-z0-9()（）\-]+", number):
        return "证件号码只能包含字母、数字和连字符，最长 40 位"
    return None


def phone_error(phone: str) -> str | None:
    if phone and not _PHONE.match(phone.replace(" ", "")):
        return "联系电话格式不正确（手机号 11 位，固定电话如 0571-88880101）"
    return None


def email_error(email: str) -> str | None:
    if not email:
        return None
    try:
        validate_email(email)
    except ValidationError:
        return "电子邮箱格式不正确"
    return None
