"""Audit actions are one enum: every call names an ``Action``, every action has a Chinese name, the staff
history and the auditor's viewer and CSV show that name (the CSV keeps the code), and chains written before
the enum still verify (the stored strings did not change)."""

from __future__ import annotations

import ast
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse

import gongkai
from gongkai.catalog import services
from gongkai.core import audit
from gongkai.core.audit_actions import Action, change_rows, field_label, state_label
from gongkai.core.models import AuditChainHead, AuditEvent

SRC = Path(gongkai.__file__).parent


# --------------------------------------------------------------------------- every call passes Action.X


def _is_member(node: ast.expr) -> bool:
    """``Action.X`` with X a member, or ``Action.X if … else Action.Y``."""
    if isinstance(node, ast.IfExp):
        return _is_member(node.body) and _is_member(node.orelse)
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Action"
        and node.attr in Action.__members__
    )


def _action_arg(call: ast.Call, index: int, name: str) -> ast.expr | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _callee(call: ast.Call) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def _is_record(call: ast.Call) -> bool:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id == "record"
    return isinstance(f, ast.Attribute) and f.attr == "record" and getattr(f.value, "id", None) == "audit"


def _problems(path: Path) -> tuple[int, list[str]]:
    """Count the record calls in one module and list those whose action is not an ``Action`` member.

    A helper may take the action as a parameter annotated ``Action`` (``_finish(…, action: Action, …)``);
    then every call of that helper in the module must pass ``Action.X`` in that place, so each action is
    still written out where it happens.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    found, problems = 0, []
    for call in filter(_is_record, calls):
        found += 1
        where = f"{path.relative_to(SRC.parent)}:{call.lineno}"
        arg = _action_arg(call, 0, "action")
        if arg is None or _is_member(arg):
            problems += [] if arg is not None else [f"{where}: record() without an action"]
            continue
        func = parents.get(call)
        while func is not None and not isinstance(func, ast.FunctionDef):
            func = parents.get(func)
        params = func.args.posonlyargs + func.args.args if func else []
        param = next((p for p in params if isinstance(arg, ast.Name) and p.arg == arg.id), None)
        if func is None or param is None or ast.unparse(param.annotation or ast.Constant("")) != "Action":
            problems.append(f"{where}: action is {ast.unparse(arg)}, not Action.X")
            continue
        index = params.index(param)
        uses = [c for c in calls if _callee(c) == func.name]
        if not uses:
            problems.append(f"{where}: {func.name}() takes the action but nothing in the module calls it")
        for use in uses:
            passed = _action_arg(use, index, param.arg)
            if passed is None or not _is_member(passed):
                shown = ast.unparse(passed) if passed is not None else "nothing"
                problems.append(f"{path.relative_to(SRC.parent)}:{use.lineno}: {func.name}() gets {shown}")
    return found, problems


def test_every_record_call_names_an_action_member():
    found, problems = 0, []
    for path in sorted(SRC.rglob("*.py")):
        n, p = _problems(path)
        found, problems = found + n, problems + p
    assert problems == []
    assert found >= 60  # the scan really saw the calls (about one per service that changes something)


def test_the_scan_catches_strings_and_string_building(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path)
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def a(name):\n"
        "    audit.record(f'entry.{name}')\n"
        "    audit.record('entry.submit')\n"
        "def b(action: Action):\n"
        "    audit.record(action)\n"
        "b(Action.ENTRY_SUBMIT)\n"
        "b('entry.submit')\n"
        "audit.record(Action.NO_SUCH_ACTION)\n",
        encoding="utf-8",
    )
    found, problems = _problems(bad)
    assert found == 4
    assert sorted(int(p.split(":")[1]) for p in problems) == [2, 3, 7, 8]


def test_record_refuses_a_string_that_is_no_action(db):
    # mypy refuses both calls below (record takes an Action); this is what happens past it.
    with pytest.raises(ValueError, match=r"未登记的审计动作 'config\.change'"):
        audit.record("config.change")
    assert not AuditEvent.objects.exists()
    # A stored value read back from the database is still accepted: it is the member's value.
    assert audit.record("entry.submit").action == Action.ENTRY_SUBMIT


# --------------------------------------------------------------------------- labels


def test_every_action_has_a_chinese_label():
    assert len(Action) == len(set(Action.values)) >= 60
    for action in Action:
        label = str(action.label)
        assert label.strip() and label != action.value, action.value
        assert any("\u4e00" <= ch <= "\u9fff" for ch in label), action.value
    assert Action.ENTRY_SUBMIT.label == "提交保密审查"
    assert Action.SCREENING_MASK.label == "打码"
    assert Action.PERMISSION_GRANT.label == "授予角色"


def test_states_and_changes_read_in_chinese(db):
    assert state_label("catalog.entry", "review") == "待审核"
    assert state_label("applications.application", "in_progress") == "办理中"
    assert state_label("screening.alert", "handled") == "已处理"
    assert state_label("auth.user", "review") == "review"  # not a status of that object: as stored
    assert field_label("catalog.entry", "title") == "标题"  # the model field's verbose_name
    assert field_label("auth.user", "ip_address") == "IP 地址"  # the mapping beside the enum
    assert field_label("catalog.entry", "no_such_key") == "no_such_key"
    rows = change_rows("catalog.entry", {"status": [None, "draft"], "replaced": ["a.txt", "b.txt"], "masked": 3})
    assert [(r.label, r.text) for r in rows] == [
        ("状态", "（空） → 草稿"),
        ("已替换的附件", "a.txt、b.txt"),  # a list value, not a before/after pair
        ("打码处数", "3"),
    ]


# --------------------------------------------------------------------------- what staff and auditors see


@pytest.fixture
def submitted(draft, people):
    entry = draft(title="关于村级公益事业建设一事一议的公告")
    return services.submit_for_review(actor=people["drafter"], entry=entry)


def test_staff_history_shows_chinese_names(client, people, submitted):
    client.force_login(people["drafter"])
    html = client.get(reverse("staff:entry_detail", args=[submitted.pk])).content.decode()
    history = html.split("<h2>办理记录</h2>", 1)[1].split("</section>", 1)[0]
    assert "提交保密审查 → 待审核" in history and "新建草稿 → 草稿" in history
    assert "标题：（空） → 关于村级公益事业建设一事一议的公告" in history
    assert "entry.submit" not in html and "entry.create" not in html and "<code>title</code>" not in html


def test_auditor_viewer_shows_labels_and_filters_by_them(client, people, submitted):
    client.force_login(people["auditor"])
    html = client.get(reverse("staff:audit_log")).content.decode()
    table = html.split("<tbody>", 1)[1]
    assert "提交保密审查" in table and "草稿 → 待审核" in table and "政府信息 #" in table
    assert "entry.submit" not in table and "catalog.entry" not in table
    # The changed fields by name, never their values: the auditor reads no draft content.
    assert "变更：" in table and "标题" in table and "关于村级公益事业建设" not in html
    # The filter offers the names; the codes are only the option values the query string carries.
    assert '<option value="entry.submit">提交保密审查</option>' in html
    assert '<option value="entry">公开信息：全部</option>' in html
    only = client.get(reverse("staff:audit_log"), {"action": "entry.submit"}).content.decode()
    assert '<option value="entry.submit" selected>' in only
    rows = only.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 1 and "提交保密审查" in rows


def test_csv_has_the_label_and_the_code(client, people, submitted):
    client.force_login(people["auditor"])
    export = client.post(reverse("staff:audit_export"), {"action": "entry"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body)))
    col = {name: i for i, name in enumerate(header)}
    assert {"动作", "动作代码", "原状态", "新状态", "变更字段"} <= set(col)
    by_code = {r[col["动作代码"]]: r for r in rows}
    submit = by_code["entry.submit"]
    assert (submit[col["动作"]], submit[col["原状态"]], submit[col["新状态"]]) == ("提交保密审查", "草稿", "待审核")
    assert "标题" in by_code["entry.create"][col["变更字段"]].split("、")
    assert "关于村级公益事业建设" not in body


# --------------------------------------------------------------------------- chains written before the enum


# Three rows and their hashes as the code before the enum wrote them (computed on main at 301ba96).
OLD_CHAIN = [
    (
        {
            "created_at": datetime(2025, 3, 3, 1, 0, tzinfo=UTC),
            "actor_name": "system",
            "action": "entry.create",
            "object_type": "catalog.entry",
            "object_id": "1",
            "org_code": "130102001",
            "to_state": "draft",
            "changes": {"title": [None, "关于开展农村人居环境整治的通知"]},
        },
        "c7ac669eb2f946cb7bf3af5d76f6df574a0fdcc2269d7793de7251c0a9ca1bcf",
    ),
    (
        {
            "created_at": datetime(2025, 3, 3, 2, 0, tzinfo=UTC),
            "actor_name": "system",
            "action": "entry.submit",
            "object_type": "catalog.entry",
            "object_id": "1",
            "org_code": "130102001",
            "from_state": "draft",
            "to_state": "review",
        },
        "52d1642897e59f980e9ab4270f5b53e451e7d499b58b4ab3f72c8c8938b6d1ba",
    ),
    (
        {
            "created_at": datetime(2025, 3, 3, 3, 0, tzinfo=UTC),
            "actor_name": "anonymous",
            "address": "10.0.0.9",
            "action": "auth.login_failed",
            "object_type": "auth.user",
            "object_id": "town_admin",
            "outcome": "failure",
            "changes": {"username": "town_admin"},
        },
        "1746c50abd954cfb71e61427f551005883d0776c7313c654ad9df164fa0b226f",
    ),
]


def test_a_chain_written_before_the_enum_still_verifies_and_grows(db):
    prev = audit.GENESIS
    for fields, digest in OLD_CHAIN:
        AuditEvent.objects.create(prev_hash=prev, hash=digest, **fields)
        prev = digest
    AuditChainHead.objects.create(id=1, last_hash=prev, count=len(OLD_CHAIN))
    assert audit.verify() == []
    audit.record(Action.ENTRY_REVIEW_PASS, object_type="catalog.entry", object_id="1", from_state="review")
    assert audit.verify() == []
    assert [e.get_action_display() for e in AuditEvent.objects.order_by("id")] == [
        "新建草稿",
        "提交保密审查",
        "登录失败",
        "保密审查通过",
    ]
