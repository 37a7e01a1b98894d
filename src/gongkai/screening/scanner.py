"""Detectors for personal and secret information in plain text. No Django: usable on its own.

Numbers are found by *chunks* — maximal runs of ASCII digits (after folding full-width digits) — never by
a pattern that can start or stop inside a longer digit run. Chunks joined by a single space or dash form a
*group*; a candidate identifier is a contiguous run of whole chunks of one group, so ``330102 19900307 1234``
is seen as one number while ``113708280043326001/2024-02411`` stays an 18-digit run that fails the date
check, and a 19-digit serial never yields an 18-digit ID. Chunks glued to ASCII letters (``QH0101``,
credit codes) or part of decimals and thousand-grouped amounts are never candidates.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .values import mask_value

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITY_LABELS = {HIGH: "高", MEDIUM: "中", LOW: "低"}
SEVERITY_RANK = {HIGH: 0, MEDIUM: 1, LOW: 2}

KIND_LABELS = {
    "id_card": "居民身份证号",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "landline": "固定电话",
    "email": "电子邮箱",
    "passport": "护照号码",
    "permit": "港澳台通行证件号码",
    "plate": "机动车号牌",
    "address": "详细住址",
    "account_name": "账户名",
    "classified": "密级标识",
    "internal": "内部资料标识",
    "draft": "征求意见稿",
    "unit_word": "本单位敏感词",
}
#: Kinds that mark the whole document rather than a value: masking them would hide the problem, not solve it.
MARKER_KINDS = frozenset({"classified", "internal", "draft", "unit_word"})
DEFAULT_SEVERITY = {
    "id_card": HIGH,
    "mobile": HIGH,
    "bank_card": HIGH,
    "classified": HIGH,
    "internal": HIGH,
    # Office numbers and 征求意见稿 are very often published on purpose (contact lines, public consultation):
    # the reviewer sees them, but they do not block publication.
    "landline": MEDIUM,
    "draft": MEDIUM,
    "email": LOW,
    "passport": LOW,
    "permit": LOW,
    "plate": LOW,
    "address": LOW,
    "account_name": LOW,
    "unit_word": HIGH,
}


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    start: int
    end: int
    value: str  # the raw text; never stored or printed — only ``masked`` leaves the process
    masked: str

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


# Full-width digits, letters and spaces fold 1:1 so that offsets stay valid in the original text.
_FOLD = {0xFF10 + i: ord("0") + i for i in range(10)}
_FOLD.update({0xFF21 + i: ord("A") + i for i in range(26)})
_FOLD.update({0xFF41 + i: ord("a") + i for i in range(26)})
_FOLD.update({0xFF0B: ord("+"), 0xFF0D: ord("-"), 0xFF08: ord("("), 0xFF09: ord(")"), 0xFF0E: ord(".")})


def fold(text: str) -> str:
    return text.translate(_FOLD)


PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of GB 11643."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _valid_region(digits: str) -> bool:
    return digits[:2] in PROVINCES and digits[2:6] != "0000"


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def is_resident_id(number: str) -> bool:
    """18-digit (check character, birth date, province) or 15-digit legacy (birth date, province)."""
    number = number.upper()
    if len(number) == 18 and number[:17].isdigit():
        return (
            _valid_region(number)
            and _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            and id_check_char(number[:17]) == number[17]
        )
    if len(number) == 15 and number.isdigit():
        return _valid_region(number) and _valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_CHUNK = re.compile(r"[0-9]+")
# Amounts and decimals: digits inside them are never identifiers.
_AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)+")
_JOINERS = frozenset(" \u00a0\u3000-\u2010\u2011\u2012\u2013")
_MONEY_BEFORE = frozenset("¥￥$")
_MONEY_AFTER = frozenset("元万亿%‰")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_CARD_WORDS = re.compile(r"卡号|银行|账号|帐号|账户|帐户|开户|一卡通|社保卡|代发|存折|折号")
_CODE_WORDS = re.compile(r"信用代码|社会信用|组织机构代码|纳税人识别号|税号|注册号|登记证号")
_PHONE_WORDS = re.compile(r"电话|传真|联系|座机|热线|手机|tel|fax", re.I)


@dataclass
class _Chunk:
    start: int
    end: int
    digits: str  # may end with X for the last part of an ID
    free: bool  # false when glued to letters or inside an amount


_CODE = re.compile(r"[A-Za-z0-9]+(?:[-/_.][A-Za-z0-9]+)+")
_CHECK_X = re.compile(r"(?<=[0-9])[Xx](?![A-Za-z0-9])")
_LETTER = re.compile(r"[A-Za-z]")


def _blocked_spans(norm: str) -> list[tuple[int, int]]:
    """Amounts, decimals and codes with letters (``ZB2025-13812345678-01``): no identifier inside."""
    spans = [m.span() for m in _AMOUNT.finditer(norm)]
    for m in _CODE.finditer(norm):
        # A trailing check character X (01527918X-2020) is not a letter that makes a code.
        if _LETTER.search(_CHECK_X.sub("", m.group())):
            spans.append(m.span())
    return spans


def _chunks(norm: str) -> list[_Chunk]:
    blocked = bytearray(len(norm))
    for a, b in _blocked_spans(norm):
        blocked[a:b] = b"\x01" * (b - a)
    out: list[_Chunk] = []
    for m in _CHUNK.finditer(norm):
        s, e = m.span()
        digits = m.group()
        if e < len(norm) and norm[e] in "Xx" and (e + 1 >= len(norm) or not _ALNUM.match(norm[e + 1])):
            digits += "X"
            e += 1
        in_amount = blocked[s] == 1
        glued = (s > 0 and norm[s - 1].isascii() and norm[s - 1].isalpha()) or (
            e < len(norm) and norm[e].isascii() and norm[e].isalpha()
        )
        # 13800000000元 is an amount, never a phone number.
        money = (s > 0 and norm[s - 1] in _MONEY_BEFORE) or (e < len(norm) and norm[e] in _MONEY_AFTER)
        out.append(_Chunk(s, e, digits, not (in_amount or glued or money)))
    return out


def _groups(norm: str, chunks: list[_Chunk]) -> list[list[_Chunk]]:
    groups: list[list[_Chunk]] = []
    current: list[_Chunk] = []
    for ch in chunks:
        if not ch.free:
            if current:
                groups.append(current)
            current = []
            continue
        if current and not (
            ch.start - current[-1].end == 1
            and norm[current[-1].end] in _JOINERS
            and not current[-1].digits.endswith("X")
        ):
            groups.append(current)
            current = []
        current.append(ch)
    if current:
        groups.append(current)
    return groups


def _shape_ok(sizes: tuple[int, ...], shapes: frozenset[tuple[int, ...]]) -> bool:
    return len(sizes) == 1 or all(s == 1 for s in sizes) or sizes in shapes


_ID15_SHAPES = frozenset({(6, 6, 3), (6, 9), (6, 2, 2, 2, 3)})
_MOBILE_SHAPES = frozenset({(3, 4, 4), (3, 8), (7, 4), (3, 3, 5), (4, 4, 3)})


def _bank_shape(sizes: tuple[int, ...]) -> bool:
    # Cards are printed in blocks of four (the last block shorter), sometimes as 6 + the rest.
    return (
        len(sizes) == 1
        or all(s == 1 for s in sizes)
        or (all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4)
        or (len(sizes) == 2 and sizes[0] == 6)
    )


def _mobile_digits(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _near(pattern: re.Pattern[str], norm: str, start: int, width: int = 24) -> bool:
    return bool(pattern.search(norm, max(0, start - width), start))


def _numeric_findings(text: str, norm: str) -> list[Finding]:
    chunks = _chunks(norm)
    candidates: list[tuple[int, int, int, str]] = []  # (priority, start, end, kind)
    for group in _groups(norm, chunks):
        n = len(group)
        for i in range(n):
            digits = ""
            sizes: tuple[int, ...] = ()
            for j in range(i, n):
                if digits.endswith("X"):
                    break
                digits += group[j].digits
                sizes = (*sizes, len(group[j].digits))
                if len(digits) > 19:
                    break
                s, e = group[i].start, group[j].end
                length = len(digits)
                if length == 18 and is_resident_id(digits):
                    if not _near(_CODE_WORDS, norm, s):
                        candidates.append((0, s, e, "id_card"))
                    continue
                if "X" in digits:
                    continue
                if 16 <= length <= 19 and _bank_shape(sizes) and luhn_ok(digits):
                    # 62 is also Gansu's region code: an ID with a typo in its check digit is not a card.
                    id_shaped = length == 18 and is_resident_id(digits[:17] + id_check_char(digits[:17]))
                    union_pay = digits.startswith("62") and not id_shaped
                    other = digits[0] in "345" or digits.startswith(("60", "9558"))
                    if union_pay or (other and _near(_CARD_WORDS, norm, s, 30)):
                        candidates.append((1, s, e, "bank_card"))
                if length == 15 and _shape_ok(sizes, _ID15_SHAPES) and is_resident_id(digits):
                    candidates.append((2, s, e, "id_card"))
                if _mobile_digits(digits) and _shape_ok(sizes, _MOBILE_SHAPES):
                    # Take a directly joined country code (+86 138…, 0086-138…) into the finding.
                    if i > 0 and group[i - 1].digits in ("86", "0086"):
                        s = group[i - 1].start
                    if s > 0 and norm[s - 1] == "+":
                        s -= 1
                    candidates.append((3, s, e, "mobile"))
                if length == 13 and digits.startswith("86") and _mobile_digits(digits[2:]) and n == 1:
                    s = s - 1 if s > 0 and norm[s - 1] == "+" else s
                    candidates.append((3, s, e, "mobile"))
                if length in (11, 12) and n == 1 and _landline_digits(digits) and _near(_PHONE_WORDS, norm, s, 12):
                    candidates.append((4, s, e, "landline"))
    for m in _LANDLINE.finditer(norm):
        area = m.group("a1") or m.group("a2")
        if _valid_area(area, m.group("local")):
            candidates.append((4, m.start(), m.end(), "landline"))
    return [
        Finding(kind, DEFAULT_SEVERITY[kind], s, e, text[s:e], mask_value(kind, norm[s:e]))
        for s, e, kind in _pick(candidates)
    ]


_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(?:\(\s*(?P<a1>0[0-9]{2,3})\s*\)\s*-?\s*"
    r"|(?P<a2>0[0-9]{2,3})[ \u00a0]?[-\u2010\u2013—][ \u00a0]?)"
    r"(?P<local>[2-9][0-9]{6,7})(?:\s*(?:转|-|ext\.?)\s*[0-9]{1,5})?(?![0-9])"
)


def _valid_area(area: str, local: str) -> bool:
    if area == "010" or re.fullmatch(r"02[0-9]", area):
        return len(local) == 8
    return bool(re.fullmatch(r"0[3-9][0-9]{2}", area)) and len(local) in (7, 8)


def _landline_digits(digits: str) -> bool:
    if digits[:3] == "010" or re.match(r"02[0-9]", digits):
        return len(digits) == 11 and digits[3] in "23456789"
    return bool(re.match(r"0[3-9][0-9]{2}[2-9]", digits)) and len(digits) in (11, 12)


class _Spans:
    """Non-overlapping taken spans, kept sorted: overlap checks in O(log n) on long lists."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s)
        if i > 0 and self.ends[i - 1] > s:
            return False
        return i >= len(self.starts) or self.starts[i] >= e

    def add(self, s: int, e: int) -> None:
        i = bisect.bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)


def _pick(candidates: list[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping candidates, stronger kinds first (an ID beats a card that shares its digits)."""
    taken: list[tuple[int, int, str]] = []
    spans = _Spans()
    # Same strength and start: the longest window wins (a 19-digit card over its first 16 digits).
    for _, s, e, kind in sorted(candidates, key=lambda c: (c[0], c[1], -c[2])):
        if spans.free(s, e):
            spans.add(s, e)
            taken.append((s, e, kind))
    return sorted(taken)


_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭"
    "陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易"
)
_NAME = rf"[{_SURNAMES}][\u4e00-\u9fa5]{{1,2}}"
_TEXT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "email",
        re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    ),
    ("passport", re.compile(r"(?<![A-Za-z0-9])(?:[EG][0-9]{8}|E[A-HJ-NP-Z][0-9]{7})(?![A-Za-z0-9])")),
    (
        "permit",
        re.compile(r"(?<![A-Za-z0-9])(?:[CWHMT][0-9]{8}|[HM][0-9]{10}|C[A-HJ-NP-Z][0-9]{7})(?![A-Za-z0-9])"),
    ),
    ("permit", re.compile(r"(?<=台胞证)[号码]{0,2}[:：\s]*[0-9]{8}(?:[0-9]{2})?(?![0-9])")),
    (
        "plate",
        re.compile(
            r"(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•\s]?"
            r"(?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9][0-9]{4})(?![A-Za-z0-9])"
        ),
    ),
    (
        "classified",
        re.compile(
            r"(?:绝\s?密|机\s?密|秘\s?密)\s*[★☆✩✭*]\s*(?:(?:[0-9]+|[一二三四五六七八九十]+)\s*(?:年|个月|月|天)|长期)?"
            r"|密\s?级\s*[:：]?\s*(?:绝密|机密|秘密)"
            r"|(?m:^[ \t\u3000]*(?:绝\s?密|机\s?密|秘\s?密)[ \t\u3000]*$)"
        ),
    ),
    ("internal", re.compile(r"内部资料|注意保存|不得外传|内部文件[，,\s]*(?:不得|严禁)")),
    ("draft", re.compile(r"征求意见稿")),
    (
        "account_name",
        re.compile(r"(?:户名|开户名|账户名称?|帐户名称?|持卡人|收款人)\s*[:：]\s*(?P<v>[\u4e00-\u9fa5·]{2,5})"),
    ),
]
_ADDRESS = re.compile(
    r"[\u4e00-\u9fa5]{1,12}?(?:路|街|巷|弄|大道|村|组|社区|小区|花园|苑|园|里)\s*(?:[0-9]+\s*组\s*)?[0-9]+\s*(?:号|弄)"
    r"(?:\s*(?:院|楼))?(?:\s*[0-9]+\s*(?:栋|幢|号楼|单元|层|室|号|户))*"
)
_DETAILED = re.compile(r"室|栋|幢|单元|号楼|组\s*[0-9]+\s*号|户")
_NAME_BEFORE = re.compile(rf"(?:{_NAME})\s*[，,、:：\s]*(?:家住|住址|居住|住|地址)?\s*[:：]?\s*$")
_NAME_INSIDE = re.compile(rf"^(?:{_NAME})(?:家住|住址|居住|住在|住)")
_LEAD = re.compile(r"(?:家住|住址|居住|住在|住|地址)[:：]?")
_LONG_DIGITS = re.compile(r"[0-9](?:[ -]?[0-9]){9,}")


def _text_findings(text: str, norm: str) -> list[Finding]:
    out: list[Finding] = []
    for kind, pattern in _TEXT_PATTERNS:
        for m in pattern.finditer(norm):
            s, e = m.span("v") if "v" in pattern.groupindex else m.span()
            if kind == "account_name" and not _LONG_DIGITS.search(norm, m.end(), m.end() + 40):
                continue
            if kind == "classified" and not norm[s:e].strip():
                continue
            value = text[s:e]
            masked = value.strip() if kind in MARKER_KINDS else mask_value(kind, norm[s:e])
            out.append(Finding(kind, DEFAULT_SEVERITY[kind], s, e, value, masked))
    for m in _ADDRESS.finditer(norm):
        if not _DETAILED.search(m.group()):
            continue
        start = m.start()
        inside = _NAME_INSIDE.match(m.group())
        if inside:  # "张三住人民路…": the name ran into the address match
            start += inside.end()
        elif not _NAME_BEFORE.search(norm, max(0, start - 16), start):
            continue
        lead = _LEAD.match(norm, start, m.end())
        start = lead.end() if lead else start
        out.append(
            Finding(
                "address",
                LOW,
                start,
                m.end(),
                text[start : m.end()],
                mask_value("address", norm[start : m.end()]),
            )
        )
    return out


def _word_findings(text: str, words: Sequence[tuple[str, str]]) -> list[Finding]:
    out: list[Finding] = []
    for word, severity in words:
        start = text.find(word)
        while start >= 0:
            out.append(Finding("unit_word", severity, start, start + len(word), word, word))
            start = text.find(word, start + len(word))
    return out


def _normalise_words(unit_words: Iterable[str | tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for item in unit_words:
        word, severity = (item, HIGH) if isinstance(item, str) else item
        if word.strip():
            out.append((word.strip(), severity if severity in SEVERITY_RANK else HIGH))
    return out


def scan_text(text: str, *, unit_words: Iterable[str | tuple[str, str]] = ()) -> list[Finding]:
    """All findings in ``text``, ordered by position. ``unit_words``: words or ``(word, severity)`` pairs."""
    if not text:
        return []
    norm = fold(text)
    findings = _numeric_findings(text, norm)
    taken = _Spans()
    for f in findings:
        taken.add(f.start, f.end)
    for f in _text_findings(text, norm):
        # A passport-shaped code inside a found number, or a plate inside an address, is the same text.
        if f.kind in MARKER_KINDS or taken.free(f.start, f.end):
            findings.append(f)
    findings.extend(_word_findings(text, _normalise_words(unit_words)))
    return sorted(findings, key=lambda f: (f.start, SEVERITY_RANK[f.severity]))


def has_blocking(findings: Iterable[Finding]) -> bool:
    return any(f.severity == HIGH for f in findings)
