"""What the platform's background tasks are, in words staff understand, and which unit each one works for.

The task table (django_tasks_db) stores a dotted function path and JSON arguments. Staff pages show a Chinese
name and what the task is about ("信息 #12"); a unit administrator sees and retries the tasks of their own
units, so each task kind also says how to find its unit from its arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django_tasks_db.models import DBTaskResult

from gongkai.catalog.models import Category, Entry

SUBJECT_LABELS = {
    "entry": "信息",
    "category": "栏目",
    "unit": "单位",
    "letter": "文书",
    "mail": "邮件",
    "subscription": "订阅",
    "job": "文件",
}


@dataclass(frozen=True)
class TaskKind:
    label: str
    subject: str  # what the first argument is: "entry", "category", "unit", "letter", "mail" or "job" (a UUID)


REFRESH_ENTRY = "gongkai.portal.tasks.refresh_entry_pages"
REFRESH_CATEGORY = "gongkai.portal.tasks.refresh_category_entry_pages"
REFRESH_UNIT = "gongkai.portal.tasks.refresh_unit_pages"
REFRESH_MESSAGES = "gongkai.portal.tasks.refresh_message_pages"

KINDS: dict[str, TaskKind] = {
    REFRESH_ENTRY: TaskKind("更新信息的公开网页", "entry"),
    REFRESH_CATEGORY: TaskKind("更新栏目内信息的公开网页", "category"),
    REFRESH_UNIT: TaskKind("更新单位首页、栏目和公开指南", "unit"),
    REFRESH_MESSAGES: TaskKind("更新留言选登和留言办理统计页面", "unit"),
    "gongkai.search.tasks.index_entry": TaskKind("更新检索索引", "entry"),
    "gongkai.screening.tasks.scan_submitted_entry": TaskKind("保密审查扫描", "entry"),
    "gongkai.screening.tasks.rescan_published_entries": TaskKind("已发布信息重新扫描", "unit"),
    "gongkai.screening.tasks.scan_unit_entries": TaskKind("敏感词变更后重新扫描未发布信息", "unit"),
    # Letters and exports carry ``unit_id`` as a keyword argument (applications is a sibling floor, not read here).
    "gongkai.applications.tasks.render_letter": TaskKind("生成告知书（DOCX、PDF）", "letter"),
    "gongkai.applications.tasks.send_applicant_mail": TaskKind("向申请人发送办理进展邮件", "mail"),
    "gongkai.documents.tasks.run_job": TaskKind("生成下载文件（年度报告、通报 PDF）", "job"),
    "gongkai.documents.tasks.build_fonts": TaskKind("生成中文字体子集", "unit"),
    "gongkai.ops.tasks.run_export_task": TaskKind("生成归档移交包（ZIP）", "job"),
    "gongkai.harvest.tasks.push_changes": TaskKind("向上级平台推送公开信息变更", "unit"),
    "gongkai.catalog.tasks.train_suggestions": TaskKind("更新起草建议模型", "unit"),
    "gongkai.inspection.tasks.run_inspection_task": TaskKind("网站自查", "unit"),
    "gongkai.subscriptions.tasks.send_digests": TaskKind("发送邮件订阅每日汇总", "unit"),
    # The subscription's id is not a unit's subject: platform-wide, shown to system administrators only.
    "gongkai.subscriptions.tasks.send_confirmation": TaskKind("发送邮件订阅确认邮件", "subscription"),
}


def _first_arg(row: DBTaskResult) -> Any:
    args = (row.args_kwargs or {}).get("args") or []
    return args[0] if args else None


def _unit_kwarg(row: DBTaskResult) -> int | None:
    """The ``unit_id`` keyword a task was queued with (letters, exports): the unit it works for."""
    value = ((row.args_kwargs or {}).get("kwargs") or {}).get("unit_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _subject(row: DBTaskResult) -> tuple[str, int] | None:
    kind = KINDS.get(row.task_path)
    arg = _first_arg(row)
    if kind is None or isinstance(arg, bool) or not isinstance(arg, int):
        return None
    return kind.subject, arg


def label(row: DBTaskResult) -> str:
    """``更新信息的公开网页（信息 #12）``; unknown tasks by their function name."""
    kind = KINDS.get(row.task_path)
    if kind is None:
        return row.task_path.rsplit(".", 1)[-1]
    subject = _subject(row)
    if subject is None:
        return f"{kind.label}（全部单位）" if kind.subject == "unit" else kind.label
    return f"{kind.label}（{SUBJECT_LABELS[subject[0]]} #{subject[1]}）"


def unit_ids(rows: Iterable[DBTaskResult]) -> dict[str, int | None]:
    """Task id → the unit it works for (None: platform-wide or unknown, for system administrators only).
    Two queries at most, whatever the number of rows."""
    rows = list(rows)
    subjects = {str(row.pk): _subject(row) for row in rows}
    wanted: dict[str, set[int]] = {"entry": set(), "category": set()}
    for subject in subjects.values():
        if subject is not None and subject[0] in wanted:
            wanted[subject[0]].add(subject[1])
    found: dict[str, dict[int, int]] = {"unit": {}}
    found["entry"] = dict(Entry.objects.filter(pk__in=wanted["entry"]).values_list("pk", "unit_id"))
    found["category"] = dict(Category.objects.filter(pk__in=wanted["category"]).values_list("pk", "unit_id"))
    out: dict[str, int | None] = {}
    kwarg_units = {str(row.pk): _unit_kwarg(row) for row in rows}
    for task_id, subject in subjects.items():
        if kwarg_units[task_id] is not None:
            out[task_id] = kwarg_units[task_id]
        elif subject is None:
            out[task_id] = None
        elif subject[0] == "unit":
            out[task_id] = subject[1]
        else:
            out[task_id] = found.get(subject[0], {}).get(subject[1])
    return out
