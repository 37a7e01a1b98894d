"""What of a message may become public, and the gate before it does.

By default the public copy masks the submitter: the name becomes its first character and asterisks, and every
personal value the screening scanner knows (ID numbers, phones, bank cards, e-mail, addresses, …) is masked in
the title, the message and the reply; the submitter's own name, phone and e-mail are masked wherever they occur
in the text. Staff may edit the public copy; whatever they publish is scanned again and refused while it still
holds an unmasked personal value (国办秘函〔2019〕19号 asks for replies to be public, 《个人信息保护法》 and
《条例》第十五条 forbid publishing personal data).
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.screening.mask import mask_text
from gongkai.screening.replies import scan_reply
from gongkai.screening.scanner import KIND_LABELS, MARKER_KINDS
from gongkai.screening.values import mask_value

from .models import Message, Reply

#: Every value kind of the scanner but the markers (密级标识 must be removed, not masked) and landlines: a reply
#: names the office's own line on purpose; the submitter's own phone is masked wherever it occurs.
PERSONAL_KINDS = frozenset(KIND_LABELS) - MARKER_KINDS - {"landline"}


def mask_name(name: str) -> str:
    name = name.strip()
    if not name:
        return "网友"
    return name[0] + "*" * max(1, len(name) - 1)


def _mask_own(text: str, message: Message) -> str:
    phone_kind = "mobile" if message.phone.startswith("1") and len(message.phone) == 11 else "landline"
    for value, masked in (
        (message.name, mask_name(message.name)),
        (message.phone, mask_value(phone_kind, message.phone) if message.phone else ""),
        (message.email, mask_value("email", message.email) if message.email else ""),
    ):
        if value and len(value) >= 2:
            text = text.replace(value, masked)
    return text


def mask(text: str, message: Message) -> str:
    return mask_text(_mask_own(text, message), PERSONAL_KINDS)[0]


@dataclass(frozen=True)
class PublicCopy:
    title: str
    content: str
    reply: str
    name: str


def default_copy(message: Message, reply: Reply) -> PublicCopy:
    return PublicCopy(
        title=mask(message.title, message),
        content=mask(message.content, message),
        reply=mask(reply.text, message),
        name=mask_name(message.name),
    )


def blocking(copy: PublicCopy, message: Message) -> list[str]:
    """Why ``copy`` may not be published: unmasked personal values, markers, or the submitter's own data."""
    reasons: list[str] = []
    for label, text in (("标题", copy.title), ("留言内容", copy.content), ("答复内容", copy.reply)):
        scan = scan_reply(text=text, unit=message.unit)
        found = sorted({f.finding.label for f in scan.text_findings if f.finding.kind != "landline"})
        if found:
            reasons.append(f"{label}含有未打码的信息（{'、'.join(found)}），请打码后再公开")
        own = [v for v in (message.name, message.phone, message.email) if v and len(v) >= 2 and v in text]
        if own:
            reasons.append(f"{label}含有留言人的姓名或联系方式，请打码后再公开")
    if message.name and len(message.name) >= 2 and message.name in copy.name:
        reasons.append("公开署名不能是留言人的完整姓名")
    return reasons
