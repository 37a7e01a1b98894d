"""Rules as data: the statutory periods and thresholds, each with its legal source and dates of application.

``from gongkai import rules; rules.get("answer").workdays`` → 20 (《政府信息公开条例》 Art. 33);
templates: ``{% load rules %}{% rule "answer" %}`` → 20个工作日. The rows are in ``data/periods.yaml``.
"""

from .periods import (
    DATA_FILE,
    Period,
    PeriodTable,
    RuleNotInForce,
    RulesDataError,
    UnknownRule,
    chinese_number,
    get,
    read,
    table,
)

__all__ = [
    "DATA_FILE",
    "Period",
    "PeriodTable",
    "RuleNotInForce",
    "RulesDataError",
    "UnknownRule",
    "chinese_number",
    "get",
    "read",
    "table",
]
