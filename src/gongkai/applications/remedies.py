"""救济途径: the remedy sentence a decision letter ends with, and the warning on a direct suit, as data.

The table is ``data/remedies.yaml``: each row names the results it covers (a result group or key of
``result_codes.yaml``, or ``*``), its wording, its legal source and the dates of the replies it applies to.
Since 2024-01-01 the 《行政复议法》 (2023年修订) makes 行政复议 a precondition of suing over a refusal to
disclose (第二十三条第一款第（四）项) and requires the agency to say so when it decides (第二十三条第二款);
replies made before then keep the old wording for every result. The periods in the wording come from the
rules table (``reconsideration``, ``litigation``) for the reply date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from gongkai import rules

from .choices import AppealKind
from .models import Application, ResultCode

DATA_FILE = Path(__file__).resolve().parent / "data" / "remedies.yaml"
ANY = "*"
#: The rows for a case left unanswered past its due date (not a result code: there is no reply yet).
OVERDUE = "overdue"
_FIELDS = {
    "key",
    "name",
    "results",
    "text",
    "prior_reconsideration",
    "warning",
    "instrument",
    "article",
    "quote",
    "valid_from",
    "valid_to",
}
_REQUIRED = _FIELDS - {"warning"}


class RemediesDataError(ValueError):
    """``remedies.yaml`` is malformed (a missing field, overlapping rows for one result)."""


@dataclass(frozen=True)
class Remedy:
    key: str
    name: str
    results: tuple[str, ...]
    text: str
    prior_reconsideration: bool
    warning: str
    instrument: str
    article: str
    quote: str
    valid_from: date | None
    valid_to: date | None

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    def fit(self, result: ResultCode | None) -> int:
        """How closely the row names the result: 2 by key, 1 by group, 0 through ``*``, -1 not at all."""
        if result is not None and result.key in self.results:
            return 2
        if result is not None and result.group in self.results:
            return 1
        return 0 if ANY in self.results else -1

    @property
    def for_overdue(self) -> bool:
        return OVERDUE in self.results

    def wording(self, *, on: date, reconsideration_body: str) -> str:
        values = {
            "复议期限": rules.get("reconsideration", on=on).chinese,
            "诉讼期限": rules.get("litigation", on=on).chinese,
            "复议机关": reconsideration_body,
        }
        text = self.text
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text


def _date(where: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RemediesDataError(f"{where}：日期应为 YYYY-MM-DD，而不是 {value!r}") from None


def _row(number: int, raw: Any) -> Remedy:
    where = f"{DATA_FILE.name} 第 {number} 条"
    if not isinstance(raw, dict) or _REQUIRED - raw.keys() or raw.keys() - _FIELDS:
        raise RemediesDataError(f"{where}：应有且只有 {sorted(_FIELDS)}（warning 可省略）")
    results = raw["results"]
    if not isinstance(results, list) or not results or not all(isinstance(r, str) and r for r in results):
        raise RemediesDataError(f"{where}：results 应为结果代码或类别的列表")
    texts = {name: str(raw.get(name) or "").strip() for name in ("key", "name", "text", "instrument", "quote")}
    if missing := [name for name, value in texts.items() if not value]:
        raise RemediesDataError(f"{where}：{'、'.join(missing)} 不能为空")
    prior = raw["prior_reconsideration"]
    if not isinstance(prior, bool):
        raise RemediesDataError(f"{where}：prior_reconsideration 应为 true 或 false")
    warning = str(raw.get("warning") or "").strip()
    if prior and not warning:
        raise RemediesDataError(f"{where}：复议前置的行须写明 warning")
    row = Remedy(
        key=texts["key"],
        name=texts["name"],
        results=tuple(results),
        text=texts["text"],
        prior_reconsideration=prior,
        warning=warning,
        instrument=texts["instrument"],
        article=str(raw["article"] or "").strip(),
        quote=texts["quote"],
        valid_from=_date(where, raw["valid_from"]),
        valid_to=_date(where, raw["valid_to"]),
    )
    if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
        raise RemediesDataError(f"{where}：valid_to 早于 valid_from")
    return row


def read(path: Path = DATA_FILE) -> tuple[Remedy, ...]:
    """Parse and check the table: for each result (or ``*``) no two rows apply on the same day."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    raws = doc.get("remedies") if isinstance(doc, dict) else None
    if not isinstance(raws, list) or not raws:
        raise RemediesDataError(f"{path.name}：缺少 remedies 列表")
    rows = tuple(_row(number, raw) for number, raw in enumerate(raws, 1))
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            shared = set(a.results) & set(b.results)
            overlap = (a.valid_to is None or b.valid_from is None or b.valid_from <= a.valid_to) and (
                b.valid_to is None or a.valid_from is None or a.valid_from <= b.valid_to
            )
            if shared and overlap:
                raise RemediesDataError(f"{path.name}：{a.key} 与 {b.key} 对 {sorted(shared)} 的适用日期重叠")
    return rows


@cache
def table() -> tuple[Remedy, ...]:
    """Read on first use and kept for the life of the process (like the rules table)."""
    return read()


def remedy_for(result: ResultCode | None, on: date) -> Remedy:
    """The row for ``result`` (None: no reply yet) on the reply date ``on``; the most specific row wins."""
    fits = [(row.fit(result), row) for row in table() if row.in_force(on) and not row.for_overdue]
    best = max((pair for pair in fits if pair[0] >= 0), key=lambda pair: pair[0], default=None)
    if best is None:
        raise RemediesDataError(f"{DATA_FILE.name}：{on:%Y-%m-%d} 没有适用于 {getattr(result, 'key', '—')} 的救济途径")
    return best[1]


def for_application(app: Application, on: date | None = None) -> tuple[Remedy, date]:
    """The row for the case's reply and the day that chose it: the reply date, or the letter's date ``on``
    (default today) while the case is not answered."""
    reply = getattr(app, "reply", None)
    day = reply.replied_on if reply is not None else (on or timezone.localdate())
    return remedy_for(reply.result if reply is not None else None, day), day


def reconsideration_body(app: Application) -> str:
    """The body the applicant applies to for 行政复议: the unit's parent (the 县级人民政府 of a township)."""
    parent = app.unit.parent
    return parent.name if parent is not None else "上一级行政机关"


def overdue_wording(app: Application, on: date | None = None) -> str:
    """What the tracking page tells the applicant of a case unanswered past its due date; empty otherwise."""
    day = on or timezone.localdate()
    if not is_overdue(app, day):
        return ""
    return overdue_remedy(day).wording(on=day, reconsideration_body=reconsideration_body(app))


def overdue_remedy(on: date) -> Remedy:
    """The row for a case still unanswered after its due date, on ``on``: from 2024-01-01 复议前置
    (《行政复议法》（2023年修订）第二十三条第一款第（三）项, failure to perform a statutory duty), before it the
    choice of 《条例》第五十一条."""
    rows = [row for row in table() if row.in_force(on) and row.for_overdue]
    if not rows:
        raise RemediesDataError(f"{DATA_FILE.name}：{on:%Y-%m-%d} 没有适用于逾期未答复（{OVERDUE}）的救济途径")
    return rows[0]


def is_overdue(app: Application, on: date | None = None) -> bool:
    """Open, received, and past its due date on ``on`` (default today): 逾期未答复."""
    day = on or timezone.localdate()
    return getattr(app, "reply", None) is None and not app.is_closed and app.due_date is not None and app.due_date < day


def direct_suit_warning(app: Application, kind: str) -> str:
    """The warning shown when a 未经复议直接起诉 is recorded against a decision whose remedy is 复议前置
    (《行政复议法》（2023年修订）第二十三条第一款第（四）项), or against an agency's failure to answer in time
    (第二十三条第一款第（三）项). Empty for other appeals and other decisions: the suit is recorded either way,
    since whether it is admissible is for the court."""
    if kind != AppealKind.LITIGATION_DIRECT:
        return ""
    reply = getattr(app, "reply", None)
    if reply is None:
        if not is_overdue(app):
            return ""
        remedy = overdue_remedy(timezone.localdate())
    else:
        remedy = remedy_for(reply.result, reply.replied_on)
    return remedy.warning if remedy.prior_reconsideration else ""
