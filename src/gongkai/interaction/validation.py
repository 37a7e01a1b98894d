"""Checks on what a submitter or staff type: lengths, no markup, no control characters, no emoji in names.

Every message names the field in Chinese; ``clean_message`` collects all of them before raising, so the
form is re-shown once with every problem marked and every value kept.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from gongkai.applications.validation import email_error, phone_error
from gongkai.core.errors import ValidationFailed

from . import kinds

LABELS = {
    "unit": "受理单位",
    "kind": "留言类型",
    "title": "标题",
    "content": "留言内容",
    "addressee": "收信领导",
    "name": "姓名",
    "phone": "联系电话",
    "email": "电子邮箱",
    "text": "答复内容",
    "reason": "理由",
    "comment": "意见",
    "external_number": "12345工单编号",
}
LIMITS = {"title": 100, "content": 2000, "addressee": 50, "name": 50, "text": 5000, "reason": 200, "comment": 500}
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|javascript\s*:|on[a-z]+\s*=", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_emoji(text: str) -> bool:
    return any(unicodedata.category(c) == "So" or ord(c) > 0xFFFF for c in text)


def text_error(field: str, value: str, *, required: bool = True, minimum: int = 1, names: bool = False) -> str | None:
    """Why ``value`` cannot be stored in ``field``, or None."""
    label = LABELS[field]
    if not value:
        return f"请填写{label}" if required else None
    if len(value) < minimum:
        return f"{label}太短，请至少写 {minimum} 个字"
    limit = LIMITS.get(field)
    if limit and len(value) > limit:
        return f"{label}不能超过 {limit} 个字（现为 {len(value)} 个字）"
    if _MARKUP.search(value):
        return f"{label}不能包含网页代码（如 <script>、onclick=），请删去尖括号及其中的内容"
    if _CONTROL.search(value):
        return f"{label}含有无法显示的控制字符，请删去后重新填写"
    if names and _has_emoji(value):
        return f"{label}不能包含表情符号"
    return None


def one_line(value: Any) -> str:
    return " ".join(str(value or "").split())


def block(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


def clean_message(data: dict[str, Any], *, public: bool) -> dict[str, Any]:
    """The submitter's fields, checked; raises ``ValidationFailed`` listing every problem."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {
        "kind": one_line(data.get("kind")),
        "title": one_line(data.get("title")),
        "content": block(data.get("content")),
        "addressee": one_line(data.get("addressee")),
        "name": one_line(data.get("name")),
        "phone": one_line(data.get("phone")),
        "email": one_line(data.get("email")),
        "publish_consent": data.get("publish_consent") in (True, "1", "true", "on", "yes", 1),
    }
    if out["kind"] not in kinds.all_kinds() or (public and out["kind"] == kinds.HOTLINE):
        errors["kind"] = ["请选择留言类型（咨询、建议、投诉、举报或领导信箱）"]
    checks = (
        ("title", {"minimum": 2}),
        ("content", {"minimum": 5}),
        ("addressee", {"required": False, "names": True}),
        ("name", {"names": True}),
    )
    for field, options in checks:
        if message := text_error(field, out[field], **options):
            errors[field] = [message]
    if not out["phone"]:
        errors["phone"] = ["请填写联系电话，以便承办单位联系您"]
    elif message := text_error("phone", out["phone"], names=True) or phone_error(out["phone"]):
        errors["phone"] = [message]
    if out["email"] and (message := text_error("email", out["email"], names=True) or email_error(out["email"])):
        errors["email"] = [message]
    if errors:
        raise ValidationFailed(errors)
    return out
