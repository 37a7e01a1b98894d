"""督查整改 (issue 19): the county supervisor turns problems of a unit's self-inspection into a 督查整改通知书 with a
文号 and a working-day deadline; the unit's admin reports what was fixed; the supervisor re-checks, returns or
closes it. Every step audited; bad input gets a Chinese error naming the field; only the two parties see it."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.documents.docx import letter_docx
from gongkai.inspection import rectify, services
from gongkai.inspection.models import Rectification, RectificationStatus
from gongkai.workdays.calendar import add_workdays

pytestmark = pytest.mark.usefixtures("calendar_until_next_year")


@pytest.fixture
def run(tree, today):
    found = services.run_inspection(actor=None, unit=tree.town, today=today)
    assert len(found.findings["fixes"]) >= 2  # an empty new unit has empty columns and more
    return found


def test_the_supervisor_issues_a_numbered_notice_with_a_deadline(people, run):
    notice = rectify.issue(actor=people["supervisor"], run=run, picked=[1, 0, 0, 99], workdays="10")
    year = timezone.localdate().year
    assert notice.number == f"清河政公督〔{year}〕1号" and notice.status == RectificationStatus.ISSUED
    assert notice.due_date == add_workdays(timezone.localdate(), 10)
    fixes = run.findings["fixes"]
    assert [p["message"] for p in notice.problems] == [fixes[0]["message"], fixes[1]["message"]]
    assert notice.problems[0]["check_id"] == fixes[0]["check_id"]
    second = rectify.issue(actor=people["supervisor"], run=run, picked=[0], workdays=5)
    assert second.number == f"清河政公督〔{year}〕2号"
    event = AuditEvent.objects.get(action="inspection.rectify_issue", comment=notice.number)
    assert event.actor == people["supervisor"] and event.org_code == run.unit.code
    assert audit.verify() == []


@pytest.mark.parametrize(
    ("picked", "workdays", "field", "says"),
    [
        ([], "10", "problems", "请至少勾选一个要整改的问题"),
        ([0], "0", "workdays", "1 到 60 个工作日"),
        ([0], "61", "workdays", "1 到 60 个工作日"),
        ([0], "十", "workdays", "1 到 60 个工作日"),
    ],
)
def test_bad_input_is_named_and_nothing_is_issued(people, run, picked, workdays, field, says):
    with pytest.raises(ValidationFailed) as caught:
        rectify.issue(actor=people["supervisor"], run=run, picked=picked, workdays=workdays)
    assert says in caught.value.errors[field][0]
    assert not Rectification.objects.exists()


@pytest.mark.parametrize("who", ["admin", "drafter", "sysadmin", "street_admin"])
def test_only_a_supervisor_over_the_unit_issues(people, run, who):
    with pytest.raises(NotAllowed):
        rectify.issue(actor=people[who], run=run, picked=[0], workdays=10)


def test_answer_return_answer_recheck_close(people, run, tree, today):
    notice = rectify.issue(actor=people["supervisor"], run=run, picked=[0, 1], workdays=10)
    with pytest.raises(ValidationFailed) as caught:
        rectify.take(actor=people["admin"], notice=notice, step="answer", text="好")
    assert "请填写整改情况" in caught.value.errors["text"][0]
    with pytest.raises(NotAllowed):
        rectify.take(actor=people["drafter"], notice=notice, step="answer", text="已经全部整改完毕。")
    with pytest.raises(NotAllowed):
        rectify.take(actor=people["admin"], notice=notice, step="close", text="同意销号，整改到位。")
    notice = rectify.take(actor=people["admin"], notice=notice, step="answer", text="已在空白栏目发布信息。")
    assert notice.status == RectificationStatus.ANSWERED and notice.answered_by == people["admin"]
    with pytest.raises(InvalidTransition):
        rectify.take(actor=people["admin"], notice=notice, step="answer", text="再报一次整改情况。")
    notice = rectify.take(actor=people["supervisor"], notice=notice, step="return", text="空白栏目仍未更新，请重改。")
    assert notice.status == RectificationStatus.ISSUED and notice.rounds == 1
    notice = rectify.take(actor=people["admin"], notice=notice, step="answer", text="已补发全部空白栏目。")

    assert rectify.still_found(notice) == (None, [None, None])  # no inspection since the answer
    services.run_inspection(actor=None, unit=tree.town, today=today)  # nothing was really fixed
    recheck, found = rectify.still_found(notice)
    assert recheck is not None and found == [True, True]

    notice = rectify.take(actor=people["supervisor"], notice=notice, step="close", text="经复查，同意销号。")
    assert notice.status == RectificationStatus.CLOSED and notice.closed_by == people["supervisor"]
    actions = list(
        AuditEvent.objects.filter(object_id=str(notice.pk), action__startswith="inspection.rectify")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "inspection.rectify_issue",
        "inspection.rectify_answer",
        "inspection.rectify_return",
        "inspection.rectify_answer",
        "inspection.rectify_close",
    ]


def test_pages_issue_show_answer_and_refuse_others(client, people, run, tree):
    client.force_login(people["supervisor"])
    unit_page = reverse("inspection:unit", args=[tree.town.code])
    assert "下发督查整改通知书" in client.get(unit_page).content.decode()
    bad = client.post(reverse("inspection:issue_rectification", args=[tree.town.code]), {"workdays": "99"})
    html = bad.content.decode()
    assert bad.status_code == 400 and "要求整改的问题：请至少勾选一个要整改的问题" in html
    assert "整改期限：整改期限应为 1 到 60 个工作日" in html and 'value="99"' in html
    done = client.post(
        reverse("inspection:issue_rectification", args=[tree.town.code]), {"problem": ["0"], "workdays": "10"}
    )
    notice = Rectification.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("inspection:rectification", args=[notice.pk])
    page = client.get(done["Location"]).content.decode()
    assert notice.number in page and run.findings["fixes"][0]["message"] in page and "未复查" in page

    client.force_login(people["admin"])
    detail = reverse("inspection:rectification", args=[notice.pk])
    short = client.post(detail, {"step": "answer", "text": "好"})
    assert short.status_code == 400 and "请填写整改情况（至少 5 个字）" in short.content.decode()
    client.post(detail, {"step": "answer", "text": "已在空白栏目发布信息。"})
    assert Rectification.objects.get().status == RectificationStatus.ANSWERED
    assert "下发督查整改通知书" not in client.get(unit_page).content.decode()  # the unit does not issue

    for who in ("street_admin", "drafter", "sysadmin"):
        client.force_login(people[who])
        assert client.get(detail).status_code == 404
        assert client.post(detail, {"step": "close", "text": "同意销号，整改到位。"}).status_code == 404


def test_an_overdue_notice_is_shown_on_the_overview(client, people, run, tree):
    notice = rectify.issue(actor=people["supervisor"], run=run, picked=[0], workdays=1)
    Rectification.objects.filter(pk=notice.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    assert rectify.overdue([tree.town, tree.street]) == {tree.town.pk: 1}
    client.force_login(people["supervisor"])
    overview = client.get(reverse("inspection:index")).content.decode()
    assert '<strong class="bad">1 份</strong>' in overview
    assert "逾期未整改" in client.get(reverse("inspection:unit", args=[tree.town.code])).content.decode()


def test_the_notice_document(people, run):
    notice = rectify.issue(actor=people["supervisor"], run=run, picked=[0], workdays=10)
    doc = rectify.letter(notice)
    assert doc.title == "政务公开督查整改通知书" and doc.number == notice.number
    assert doc.salutation == "清河县东山镇人民政府：" and doc.issuer == "清河县人民政府办公室"
    assert any(run.findings["fixes"][0]["message"] in p for p in doc.paragraphs)
    assert any(f"{notice.due_date:%Y年%m月%d日}前" in p for p in doc.paragraphs)
    with zipfile.ZipFile(io.BytesIO(letter_docx(doc))) as z:
        xml = z.read("word/document.xml").decode()
    assert notice.number in xml and "东山镇人民政府" in xml
    rendered = rectify.render_notice(people["admin"], {"pk": notice.pk, "format": "docx"})
    assert rendered.filename == f"{notice.number}整改通知书.docx"
    with pytest.raises(NotAllowed):
        rectify.render_notice(people["street_admin"], {"pk": notice.pk, "format": "docx"})


def test_the_notice_as_pdf_through_a_document_job(client, people, run):
    from gongkai.documents import jobs
    from gongkai.documents.models import DocumentJob

    notice = rectify.issue(actor=people["supervisor"], run=run, picked=[0], workdays=10)
    client.force_login(people["supervisor"])
    answer = client.post(reverse("inspection:rectification_notice", args=[notice.pk]), {"format": "pdf"})
    job = DocumentJob.objects.get(kind="rectification")
    assert answer.status_code == 302 and answer["Location"] == reverse("documents:job", args=[job.pk])
    jobs.run(str(job.pk))
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert job.filename == f"{notice.number}整改通知书.pdf"


def test_an_unknown_step_is_refused_in_chinese(client, people, run):
    notice = rectify.issue(actor=people["supervisor"], run=run, picked=[0], workdays=10)
    client.force_login(people["admin"])
    detail = reverse("inspection:rectification", args=[notice.pk])
    answer = client.post(detail, {"step": "approve_everything", "text": "已经全部整改完毕。"}, follow=True)
    assert "未知的整改操作" in answer.content.decode()
    assert Rectification.objects.get().status == RectificationStatus.ISSUED
