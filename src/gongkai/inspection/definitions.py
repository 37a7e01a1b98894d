"""The self-inspection checks as data (``data/checks.yaml``), read into frozen dataclasses.

Each check is one indicator of 《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号） that the platform can
measure (spec regulation.md §4.1 single-veto items, §4.3 suggested automated checks): its id, Chinese name,
thresholds, whether it is 单项否决 (veto) or a deduction on the 100-point sheet with its points, and its
source. A malformed file raises ``ChecksDataError`` with a Chinese message naming the item: an unknown
measure, a missing field, a threshold that names no rule, points that do not add up to the sheet's total.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gongkai import rules
from gongkai.rules.periods import Period, UnknownRule

DATA_FILE = Path(__file__).resolve().parent / "data" / "checks.yaml"

VETO, DEDUCTION = "veto", "deduction"
KIND_LABELS = {VETO: "单项否决", DEDUCTION: "扣分"}

#: Units a literal threshold may be written in; the day-count ones convert to calendar days.
THRESHOLD_UNITS = {"秒", "百分比", "次", "个", "自然日", "周", "月", "工作日"}
_CHECK_FIELDS = {
    "id",
    "name",
    "kind",
    "measure",
    "thresholds",
    "points",
    "source",
    "note",
    "kinds",
    "fields",
    "columns",
    "column",
    "exempt_columns",
}
_REQUIRED = {"id", "name", "kind", "measure", "source"}


class ChecksDataError(ValueError):
    """``checks.yaml`` is malformed; the message (Chinese) names the item and what is wrong."""


@dataclass(frozen=True)
class Source:
    document: str
    item: str
    statutory: bool

    def __str__(self) -> str:
        return f"{self.document}{self.item}"


@dataclass(frozen=True)
class Threshold:
    """A literal value with its unit, or a statutory rule of ``rules/data/periods.yaml``."""

    value: int
    unit: str
    rule: str = ""

    def period(self, on: Any = None) -> Period | None:
        return rules.get(self.rule, on=on) if self.rule else None

    def current(self, on: Any = None) -> tuple[int, str]:
        p = self.period(on)
        return (p.value, p.unit) if p else (self.value, self.unit)

    def days(self, on: Any = None) -> int:
        """In calendar days (as ``Period.calendar_days`` counts weeks and months)."""
        p = self.period(on)
        if p is not None:
            return p.calendar_days
        if self.unit == "自然日":
            return self.value
        if self.unit == "周":
            return 7 * self.value
        if self.unit == "月":
            return -(-self.value * 1461 // 48)
        raise ChecksDataError(f"阈值以“{self.unit}”计，不能换算为天数")

    def text(self, on: Any = None) -> str:
        p = self.period(on)
        if p is not None:
            return p.text
        word = {"秒": "秒", "百分比": "%", "次": "次", "个": "个", "自然日": "日", "周": "周", "月": "个月"}
        return f"{self.value}{word.get(self.unit, self.unit)}"


@dataclass(frozen=True)
class Points:
    per: int
    max: int


@dataclass(frozen=True)
class Check:
    id: str
    name: str
    kind: str
    measure: str
    source: Source
    thresholds: Mapping[str, Threshold]
    points: Points | None = None
    note: str = ""
    kinds: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    column: str = ""
    exempt_columns: tuple[str, ...] = ()

    @property
    def is_veto(self) -> bool:
        return self.kind == VETO

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def threshold(self, name: str) -> Threshold:
        try:
            return self.thresholds[name]
        except KeyError:
            raise ChecksDataError(f"检查项 {self.id}（{self.name}）：缺少阈值“{name}”") from None


@dataclass(frozen=True)
class Sheet:
    total: int
    unmeasured: int
    unmeasured_note: str
    pass_score: int
    source: Source
    checks: tuple[Check, ...]

    def by_id(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(check_id)


def _source(raw: Any, where: str) -> Source:
    if not isinstance(raw, Mapping) or not raw.get("document") or not raw.get("item"):
        raise ChecksDataError(f"{where}：依据（source）须写明文件（document）和条目（item）")
    if not isinstance(raw.get("statutory"), bool):
        raise ChecksDataError(f"{where}：依据须写明 statutory: true 或 false（是否为文件原文要求）")
    return Source(str(raw["document"]), str(raw["item"]), raw["statutory"])


def _threshold(raw: Any, where: str) -> Threshold:
    if not isinstance(raw, Mapping):
        raise ChecksDataError(f"{where}：阈值应写作 {{rule: 规则}} 或 {{value: 数值, unit: 单位}}")
    if "rule" in raw:
        key = str(raw["rule"])
        try:
            p = rules.get(key)
        except UnknownRule:
            raise ChecksDataError(f"{where}：规则“{key}”在 rules/data/periods.yaml 中不存在") from None
        return Threshold(p.value, p.unit, key)
    value, unit = raw.get("value"), raw.get("unit")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ChecksDataError(f"{where}：阈值须为非负整数，现为“{value}”")
    if unit not in THRESHOLD_UNITS:
        raise ChecksDataError(f"{where}：未知的阈值单位“{unit}”（可用：{'、'.join(sorted(THRESHOLD_UNITS))}）")
    return Threshold(value, str(unit))


def _strings(raw: Any, where: str, field: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise ChecksDataError(f"{where}：{field} 应为文字列表")
    return tuple(raw)


def _check(raw: Any, n: int, measures: Collection[str]) -> Check:
    if not isinstance(raw, Mapping):
        raise ChecksDataError(f"第{n}个检查项：应为键值表")
    where = f"检查项 {raw.get('id') or f'第{n}项'}"
    if raw.get("name"):
        where += f"（{raw['name']}）"
    if missing := sorted(f for f in _REQUIRED if not raw.get(f)):
        raise ChecksDataError(f"{where}：缺少 {'、'.join(missing)}")
    if unknown := sorted(set(raw) - _CHECK_FIELDS):
        raise ChecksDataError(f"{where}：未知的字段 {'、'.join(unknown)}")
    if raw["kind"] not in KIND_LABELS:
        raise ChecksDataError(f"{where}：类型（kind）应为 veto（单项否决）或 deduction（扣分），现为“{raw['kind']}”")
    if raw["measure"] not in measures:
        raise ChecksDataError(f"{where}：未知的测量方法“{raw['measure']}”（可用：{'、'.join(sorted(measures))}）")
    thresholds_raw = raw.get("thresholds") or {}
    if not isinstance(thresholds_raw, Mapping):
        raise ChecksDataError(f"{where}：thresholds 应为键值表")
    thresholds = {str(k): _threshold(v, f"{where}的阈值 {k}") for k, v in thresholds_raw.items()}
    points = None
    if raw["kind"] == DEDUCTION:
        p = raw.get("points")
        if not isinstance(p, Mapping) or set(p) != {"per", "max"}:
            raise ChecksDataError(f"{where}：扣分项须写明 points: {{per: 每处扣分, max: 最多扣分}}")
        per, most = p["per"], p["max"]
        if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in (per, most)):
            raise ChecksDataError(f"{where}：分值须为非负整数")
        if per > most:
            raise ChecksDataError(f"{where}：每处扣分 {per} 超过本项最多扣分 {most}")
        points = Points(per, most)
    elif raw.get("points") is not None:
        raise ChecksDataError(f"{where}：单项否决项不扣分，不应写 points")
    return Check(
        id=str(raw["id"]),
        name=str(raw["name"]),
        kind=str(raw["kind"]),
        measure=str(raw["measure"]),
        source=_source(raw["source"], where),
        thresholds=thresholds,
        points=points,
        note=str(raw.get("note") or ""),
        kinds=_strings(raw.get("kinds"), where, "kinds"),
        fields=_strings(raw.get("fields"), where, "fields"),
        columns=_strings(raw.get("columns"), where, "columns"),
        column=str(raw.get("column") or ""),
        exempt_columns=_strings(raw.get("exempt_columns"), where, "exempt_columns"),
    )


def parse(data: Any, measures: Collection[str]) -> Sheet:
    """Check and freeze the parsed YAML; ``measures`` are the names the checks module implements."""
    if not isinstance(data, Mapping) or not isinstance(data.get("sheet"), Mapping):
        raise ChecksDataError("自查指标文件须有 sheet（扣分表）部分")
    if not isinstance(data.get("checks"), list) or not data["checks"]:
        raise ChecksDataError("自查指标文件须有 checks（检查项）列表")
    s = data["sheet"]
    for key in ("total", "unmeasured", "pass_score"):
        if not isinstance(s.get(key), int) or isinstance(s.get(key), bool) or s[key] < 0:
            raise ChecksDataError(f"扣分表的 {key} 须为非负整数")
    checks = tuple(_check(raw, n, measures) for n, raw in enumerate(data["checks"], start=1))
    seen: set[str] = set()
    for c in checks:
        if c.id in seen:
            raise ChecksDataError(f"检查项 {c.id}（{c.name}）：标识重复")
        seen.add(c.id)
    deducted = sum(c.points.max for c in checks if c.points)
    if deducted + s["unmeasured"] != s["total"]:
        items = "＋".join(f"{c.id} {c.points.max}" for c in checks if c.points)
        raise ChecksDataError(
            f"扣分表分值合计不符：各扣分项最多扣分（{items}）合计 {deducted} 分，加人工检查部分 {s['unmeasured']} 分，"
            f"应等于总分 {s['total']} 分"
        )
    return Sheet(
        total=s["total"],
        unmeasured=s["unmeasured"],
        unmeasured_note=str(s.get("unmeasured_note") or ""),
        pass_score=s["pass_score"],
        source=_source(s.get("source"), "扣分表"),
        checks=checks,
    )


def load_file(path: Path, measures: Collection[str]) -> Sheet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ChecksDataError(f"无法读取自查指标文件 {path}（{exc.strerror or exc}）") from None
    except yaml.YAMLError as exc:
        raise ChecksDataError(f"自查指标文件 {path.name} 不是有效的 YAML：{exc}") from None
    return parse(data, measures)


@cache
def _default(measures: frozenset[str]) -> Sheet:
    return load_file(DATA_FILE, measures)


def default_sheet(measures: Collection[str]) -> Sheet:
    return _default(frozenset(measures))
