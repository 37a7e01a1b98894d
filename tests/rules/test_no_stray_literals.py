"""No statutory period is typed as a number outside the rules table (issue 15, "Rules as data, once").

Scans the Python, templates and data files of ``src/gongkai`` — except the rules package itself and the
migrations, which are history — for the shapes a retyped period takes: "20 个工作日", "两周", "六个月",
``add_workdays(day, 5)``, ``ANSWER_DAYS = 20``, ``lag > 20``, ``lag_workdays__gt=20``. A hit names
file:line; the fix is ``rules.get(key)`` in Python and ``{% rule key %}`` in templates.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gongkai
from gongkai import rules

SRC = Path(gongkai.__file__).resolve().parent
RULES_DIR = SRC / "rules"
SUFFIXES = {".py", ".html", ".txt", ".yaml", ".yml"}
CN = "一二三四五六七八九十百两"  # Chinese numerals as periods are written in legal text

PATTERNS: dict[str, re.Pattern[str]] = {
    "working days as a number": re.compile(rf"(?:\d+|[{CN}]+)\s*个?工作日(?!数)"),
    "weeks as a number": re.compile(rf"(?:\d+\s*|[{CN}])周(?![年岁期])"),
    "months as a number": re.compile(rf"(?:\d+|[{CN}]+)\s*个月"),
    "calendar days of a legal period": re.compile(rf"[{CN}]+日内"),
    "working days in English": re.compile(r"\b\d+[ -](?:working[ -])?(?:days?|weeks?|months?)\b", re.IGNORECASE),
    "a number of working days added": re.compile(
        r"\b(?:add_workdays|calendar\.add)\(.*,\s*[1-9]\d*\s*\)|partial\(\s*add_workdays\s*,.*,\s*[1-9]\d*\s*\)"
    ),
    "a period as a module constant": re.compile(
        r"^[A-Z][A-Z0-9_]*(?:DAYS|WEEKS|MONTHS)\b[^=\n]*=\s*(?:\d|\{[^}\n]*\d|\([^)\n]*\d)"
    ),
    "a deadline compared with a number": re.compile(
        r"\b\w*(?:lag|elapsed|remaining|due|workdays)\w*\s*(?:[<>]=?|==)\s*(?:[2-9]|[1-9]\d+)\b"
        r"|\b(?:[2-9]|[1-9]\d+)\s*(?:[<>]=?|==)\s*\w*(?:lag|elapsed|remaining|due|workdays)"
    ),
    "a deadline filtered by a number": re.compile(r"\w*(?:lag|workdays|due)\w*__(?:gt|gte|lt|lte)\s*=\s*\d"),
    "a fee threshold as a number": re.compile(rf"(?:\d+|[{CN}]+)\s*(?:件|页)以[下上内]|\d+\s*元\s*/\s*(?:件|页)"),
    "a fee threshold as a module constant": re.compile(
        r"^(?:FREE|FEE|PAID)_[A-Z0-9_]*\b[^=\n]*=\s*[\d(]|^[A-Z_]*_BANDS\b[^=\n]*=\s*[\d(]"
    ),
    "an annual report deadline typed as a date": re.compile(r"[\"'](?:01-31|03-31)[\"']|[1-9]\s*月\s*3[01]\s*日前"),
    "a freshness period in calendar days": re.compile(
        r"timedelta\(\s*weeks\s*=|timedelta\(\s*days\s*=\s*(?:14|180|181|182|183)\s*\)"
    ),
}


def scanned_files() -> list[Path]:
    return sorted(
        path
        for path in SRC.rglob("*")
        if path.suffix in SUFFIXES
        and path.is_file()
        and RULES_DIR not in path.parents
        and "migrations" not in path.relative_to(SRC).parts
        and "__pycache__" not in path.parts
    )


#: In a data file, a source document quoted word for word (``item:``/``quote:``, e.g. the 19号文 indicator text in
#: inspection/data/checks.yaml) may say "2周" — the threshold itself is still a field that the checks read.
QUOTED = re.compile(r"^\s*(?:item|quote):\s")


def stray_literals(text: str, *, data_file: bool = False) -> list[tuple[int, str, str]]:
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        if data_file and QUOTED.match(line):
            continue
        for what, pattern in PATTERNS.items():
            if pattern.search(line):
                hits.append((number, what, line.strip()))
    return hits


def test_no_statutory_literal_outside_the_rules_table():
    files = scanned_files()
    assert len(files) > 150, "the scan found too few files: is SRC right?"
    found = [
        f"{path.relative_to(SRC.parent)}:{number}: {what}: {line[:140]}"
        for path in files
        for number, what, line in stray_literals(
            path.read_text(encoding="utf-8"), data_file=path.suffix in (".yaml", ".yml")
        )
    ]
    assert not found, (
        "statutory periods typed as numbers; use gongkai.rules (Python: rules.get(key); templates: "
        "{% load rules %}{% rule key %}):\n" + "\n".join(found)
    )


# The lines this test was written against (they were in the code before issue 15): each must be caught.
@pytest.mark.parametrize(
    "line",
    [
        '            "lag_over": lag is not None and lag > 20,',
        "        return add_workdays(today or timezone.localdate(), 5)",
        '    "due_soon": "5个工作日内到期",',
        "<p>属于主动公开范围的政府信息，自该信息形成或者变更之日起 20 个工作日内予以公开。</p>",
        '    ("dead", "两周以上未更新"),',
        "ANSWER_DAYS = 20",
        "LIMIT_WORKDAYS = 20",
        "DEAD_SITE_DAYS = 14  # 首页不更新",
        'FRESHNESS_DAYS = {"dynamic": 14, "policy": 183}',
        '        choices=[("none", "无"), ("dynamic", "动态类（2周）"), ("policy", "政策文件/通知公告类（6个月）")],',
        '        "或者自收到本答复之日起六个月内向人民法院提起行政诉讼。"',
        '        f"如对本答复不服，可以自收到本答复之日起六十日内向{body}申请行政复议，"',
        "    请于{回复期限}前（自收到本函之日起15个工作日内）以书面形式提出意见",
        "            s.consultation_due = _safe(s, partial(add_workdays, ev.on, 15))",
        '            on_time=Count("pk", filter=in_period & Q(lag_workdays__lte=20)),',
        "        if remaining is not None and remaining <= 5:",
        '"""Art. 26: publish within 20 working days of the date the information was formed or changed."""',
        "    cutoff = end - timedelta(days=183)",
        "FREE_ITEMS = 10",
        "PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = ((1, 30, 0), (31, 100, 10))",
        "同一申请人一个自然月内累计申请 10 件以下（含 10 件）不收费",
        '    default = "03-31" if unit.kind == OrgKind.COUNTY else "01-31"',
        "县级以上人民政府部门应当在每年1月31日前公布",
    ],
)
def test_each_old_literal_is_caught(line):
    assert stray_literals(line), line


@pytest.mark.parametrize(
    "line",
    [
        "        text += f\"从信息生成到上网公开平均需要{t['avg_workdays']}个工作日\"",  # a figure, not a period
        '                f"收到申请后第 {n} 个工作日发出补正通知"',
        '                office_hours="工作日 8:30–12:00，14:30–17:30",',
        '    <th scope="col">已过工作日</th>',
        '    days = forms.IntegerField(label="延长工作日数", min_value=1, required=False)',
        "        if end < start or (end - start).days > 15:",
        "        if remaining is not None and remaining < 0:",
        '    page = Paginator(qs.order_by("-updated_at", "-id"), 20).get_page(request.GET.get("page"))',
        '    p.add_argument("--days", type=int, default=180, help="导出最近多少天（默认 180）")',
        r'[★☆✩✭*]\s*(?:(?:[0-9]+|[一二三四五六七八九十]+)\s*(?:年|个月|月|天)|长期)?"',  # screening: 保密期限
        '    due_soon = rules.get("due_soon").workdays',
        '{% rule "answer" "spaced" %}内答复',
    ],
)
def test_unrelated_numbers_are_not_caught(line):
    assert not stray_literals(line), stray_literals(line)


def test_re_adding_a_literal_to_a_real_file_fails(tmp_path):
    """The scan of a real template with one period typed back in reports that file and line."""
    guide = SRC / "portal" / "templates" / "portal" / "guide.html"
    text = guide.read_text(encoding="utf-8")
    assert not stray_literals(text)
    broken = text.replace('{% rule "answer" "spaced" %}', "20 个工作日", 1)
    assert broken != text
    hits = stray_literals(broken)
    assert len(hits) == 1 and "20 个工作日内予以答复" in hits[0][2]


# --- every rule the code names exists ------------------------------------------------------------------------

TEMPLATE_KEY = re.compile(r"""\{%\s*rule\s+["'](\w+)["']""")
PYTHON_KEY = re.compile(r"""rules\.get\(\s*["'](\w+)["']""")


def test_every_rule_named_in_code_and_templates_exists():
    known = set(rules.table().keys())
    named: dict[str, set[str]] = {}
    for path in scanned_files():
        text = path.read_text(encoding="utf-8")
        for key in TEMPLATE_KEY.findall(text) + PYTHON_KEY.findall(text):
            named.setdefault(key, set()).add(str(path.relative_to(SRC)))
    unknown = {key: sorted(where) for key, where in named.items() if key not in known}
    assert not unknown, unknown
    # The two maps of rule keys in code point at real rules too.
    from gongkai.applications.clock import CONSULTATION_RULE
    from gongkai.catalog.models import FRESHNESS_RULES

    assert set(CONSULTATION_RULE.values()) | set(FRESHNESS_RULES.values()) <= known
    assert len(named) >= 10  # the scan really finds the call sites


def test_a_quoted_source_in_a_data_file_is_not_a_literal_but_its_own_words_are():
    assert not stray_literals("      item: 首页2周内无信息更新\n", data_file=True)
    assert stray_literals("    note: 平台读作12个月\n", data_file=True)
    assert stray_literals("      item: 首页2周内无信息更新\n")  # outside a data file the same line counts
