"""Every case action is a ``gongkai applications`` subcommand through the same forms, services, action table and
audit as the case page (issue 16, "Every case action scriptable"): register (Arts. 29, 31), the ledger events of
Arts. 30, 32–34 and 42, the reply (Art. 36), letters, appeals (Art. 51) and ``show --json`` with the rule and law
version applied. Bad input names the option in Chinese, exits non-zero and writes nothing."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.applications.models import Application, ClockEvent
from gongkai.core.models import AuditEvent


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("applications", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("applications", *args, stdout=StringIO(), stderr=err)
    return err.getvalue() + str(exc.value)


@pytest.fixture
def case(tree: Any, people: dict[str, Any], today: Any) -> str:
    today(date(2025, 6, 30))
    out, err = run(
        "register",
        "--org",
        tree.town.code,
        "--channel",
        "当面",
        "--applicant-type",
        "自然人",
        "--name",
        "王建国",
        "--id-number",
        "11010519491231002X",
        "--phone",
        "13800138000",
        "--received",
        "2025-03-03",
        "--description",
        "2024年某村土地征收补偿标准",
        "--user",
        "town_drafter",
    )
    assert "查询码" in err
    return out.strip()


def test_register_prints_the_case_number_and_records_receipt_like_the_staff_entry(case, tree):
    app = Application.objects.get(tracking_number=case)
    assert case.startswith("YSQ-")
    assert app.unit == tree.town and app.channel == "in_person" and app.received_on == date(2025, 3, 3)
    assert app.due_date == date(2025, 3, 31)  # Art. 33(2): 20 working days after receipt
    assert AuditEvent.objects.filter(action="application.enter", object_id=str(app.pk)).count() == 1


def test_art30_correction_then_art33_extension_then_art36_reply_by_command(case, people, today):
    run("event", case, "correction-request", "--on", "2025-03-05", "--due", "2025-03-20", "--note", "请写明村名")
    run("event", case, "correction-received", "--on", "2025-03-10")
    # Art. 30: the answer period restarts from the correction; Art. 33(2): approval and notice on --on
    signer = ("--user", "town_signer")
    out, _ = run("event", case, "extension", "--on", "2025-04-01", "--days", "10", "--note", "需调取档案", *signer)
    assert "已延长答复期限" in out
    data = json.loads(run("show", case, "--json")[0])
    assert data["status"] == "in_progress"
    assert data["extension_days"] == 10
    assert data["law"]["answer"]["article"] and "条例" in data["law"]["answer"]["instrument"]
    kinds = [line["kind"] for line in data["explanation"]]
    assert kinds[:3] == ["submitted", "received", "correction_requested"]
    extension = ClockEvent.objects.get(application__tracking_number=case, kind="extension")
    assert extension.data["notified_on"] == "2025-04-01"  # --notified defaults to --on
    assert extension.data["approved_by_name"] == "town_signer"

    out, _ = run("reply", case, "--result", "granted", "--on", "2025-04-10", "--content", "现予公开")
    assert "已答复" in out
    out, _ = run("letter", case, "--kind", "grant", "--on", "2025-04-10")
    data = json.loads(run("show", case, "--json")[0])
    assert data["status"] == "replied" and data["result"]["key"] == "granted"
    assert data["replied_late"] is False
    letter = data["letters"][0]
    assert letter["kind"] == "grant" and letter["number"] and "王建国" in letter["text"]


def test_consultation_party_by_its_chinese_name_pauses_the_clock_art32(case):
    run("event", case, "consultation-start", "--on", "2025-03-10", "--party", "第三方", "--who", "李某")
    data = json.loads(run("show", case, "--json")[0])
    assert data["status"] == "in_consultation"
    assert data["law"]["consultation"]["article"].startswith("第三十二条")
    run("event", case, "consultation-end", "--on", "2025-03-14", "--note", "同意公开")
    assert json.loads(run("show", case, "--json")[0])["paused_days"] == 4


def test_the_action_table_refuses_as_on_the_page(case):
    message = refused("event", case, "consultation-end", "--on", "2025-03-10")
    assert "当前状态为“办理中”，不能记录征求意见结束" in message
    assert not ClockEvent.objects.filter(application__tracking_number=case, kind="consultation_ended").exists()


def test_someone_who_does_not_handle_the_case_is_refused_and_nothing_is_written(case):
    before = AuditEvent.objects.count()
    message = refused("reply", case, "--result", "granted", "--on", "2025-03-20", "--user", "sysadmin")
    assert "不" in message and "Traceback" not in message
    assert Application.objects.get(tracking_number=case).status == "in_progress"
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("event", "{case}", "correction-request", "--on", "2025-13-01", "--due", "2025-03-20"), "--on（补正通知"),
        (("event", "{case}", "correction-request", "--on", "2025-03-05"), "--due（补正期限）"),
        (("event", "{case}", "extension", "--on", "2025-03-20", "--days", "99", "--note", "x"), "--days"),
        (("event", "{case}", "extension", "--on", "2025-03-20", "--days", "5"), "--note（延期理由）"),
        (("event", "{case}", "fee-notice", "--on", "2025-03-20", "--basis", "按吨"), "--basis（计收方式）"),
        (("event", "{case}", "transfer", "--on", "2025-03-20", "--to", "NOPE"), "--to：没有单位代码为“NOPE”"),
        (("event", "{case}", "飞行", "--on", "2025-03-20"), "KIND：没有“飞行”这种办理事项"),
        (("event", "YSQ-NOPE", "fee-paid", "--on", "2025-03-20"), "CASE：没有申请编号为“YSQ-NOPE”"),
        (("reply", "{case}", "--result", "nonsense", "--on", "2025-03-20"), "--result（办理结果）"),
        (("event", "{case}", "fee-paid", "--on", "2025-03-20", "--user", "ghost"), "--user：用户“ghost”不存在"),
    ],
)
def test_bad_input_names_the_option_in_chinese_and_writes_nothing(case, args, expected):
    before = (AuditEvent.objects.count(), ClockEvent.objects.count())
    message = refused(*(a.format(case=case) for a in args))
    assert expected in message
    assert (AuditEvent.objects.count(), ClockEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("--channel", "网上申请"), "--channel（收到申请的渠道）"),
        (("--channel", "飞鸽"), "--channel（收到申请的渠道）：无法识别“飞鸽”"),
        (("--applicant-type", "外星人"), "--applicant-type（申请人类型）"),
        (("--description", "x"), "--description"),
        (("--received", "昨天"), "--received"),
        (("--org", "000"), "--org：没有单位代码为“000”"),
    ],
)
def test_register_bad_input(tree, people, change, expected):
    args = {
        "--org": tree.town.code,
        "--channel": "信函",
        "--applicant-type": "natural_person",
        "--name": "王建国",
        "--id-number": "11010519491231002X",
        "--phone": "13800138000",
        "--received": "2025-03-03",
        "--description": "2024年某村土地征收补偿标准",
    }
    args[change[0]] = change[1]
    flat = [x for pair in args.items() for x in pair]
    before = Application.objects.count()
    assert expected in refused("register", *flat)
    assert Application.objects.count() == before


def test_appeal_and_its_result_art51(case):
    run("reply", case, "--result", "granted", "--on", "2025-03-20")
    run("appeal", case, "--kind", "reconsideration", "--filed", "2025-04-15", "--authority", "清河县人民政府")
    out, _ = run("appeal-result", case, "--outcome", "upheld", "--on", "2025-06-01")
    assert "已更新" in out
    appeal = json.loads(run("show", case, "--json")[0])["appeals"][0]
    assert appeal["outcome"] == "upheld" and appeal["decided_on"] == "2025-06-01"
