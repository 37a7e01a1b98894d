import io

import pytest
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.models import Entry, EntryStatus
from tests.factories import PASSWORD, category


@pytest.fixture
def login(client):
    def run(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return run


def test_login_required(client, db):
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_login_page_in_chinese(client, db):
    response = client.get(reverse("staff:login"))
    assert "工作人员登录" in response.content.decode()


def test_create_draft_through_the_form(login, people, tree):
    c = login(people["drafter"])
    page = c.get(reverse("staff:entry_create"))
    assert page.status_code == 200 and "社会救助" in page.content.decode()
    response = c.post(
        reverse("staff:entry_create"),
        {
            "unit": tree.town.pk,
            "category": category(tree.town, "dibao").pk,
            "publisher": tree.office.pk,
            "title": "2025年第三季度城乡低保对象公示",
            "genre": "公示",
            "formed_date": "2025-09-30",
            "disclosure_mode": "proactive",
            "body": "第一段\n\n第二段<script>alert(1)</script>",
            "document_number": "东民[2025]7号",
            "files": [io.BytesIO(b"%PDF-1.4\n")],
        },
    )
    entry = Entry.objects.get(title="2025年第三季度城乡低保对象公示")
    assert response.status_code == 302 and response["Location"].endswith(f"/entries/{entry.pk}/")
    assert entry.document_number == "东民〔2025〕7号" and "<script" not in entry.body
    assert entry.body.startswith("<p>第一段</p>")


def test_bad_input_keeps_what_was_typed(login, people, tree):
    c = login(people["drafter"])
    response = c.post(
        reverse("staff:entry_create"),
        {
            "unit": tree.town.pk,
            "category": category(tree.town).pk,
            "publisher": tree.office.pk,
            "title": "标" * 201,
            "genre": "通知",
            "formed_date": "2099-01-01",
            "disclosure_mode": "proactive",
            "summary": "这段概述不能丢",
            "body": "正文也不能丢",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "标题不能超过 200 个字" in html and "成文日期不能晚于今天" in html
    assert "这段概述不能丢" in html and "正文也不能丢" in html and "2099-01-01" in html
    assert not Entry.objects.exists()


def test_exe_attachment_rejected_but_draft_kept(login, people, tree):
    c = login(people["drafter"])
    exe = io.BytesIO(b"MZ" + b"\x00" * 100)
    exe.name = "名单.pdf"
    response = c.post(
        reverse("staff:entry_create"),
        {
            "unit": tree.town.pk,
            "category": category(tree.town).pk,
            "publisher": tree.office.pk,
            "title": "带附件的通知",
            "genre": "通知",
            "formed_date": "2025-03-03",
            "disclosure_mode": "proactive",
            "files": [exe],
        },
        follow=True,
    )
    html = response.content.decode()
    assert "附件未上传" in html and "可执行程序" in html
    entry = Entry.objects.get(title="带附件的通知")
    assert not entry.attachments.exists()


def test_review_and_sign_through_pages(login, people, draft, client):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft(title="审签测试"))
    c = login(people["reviewer"])
    assert "审签测试" in c.get(reverse("staff:review_queue")).content.decode()
    c.post(reverse("staff:entry_action", args=[entry.pk, "review_pass"]), {"comment": "无敏感信息"})
    c.logout()
    c = login(people["signer"])
    assert "审签测试" in c.get(reverse("staff:signoff_queue")).content.decode()
    response = c.post(reverse("staff:entry_action", args=[entry.pk, "sign_publish"]), follow=True)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED
    assert entry.index_number in response.content.decode()


def test_return_without_reason_is_refused_with_message(login, people, draft):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft())
    c = login(people["reviewer"])
    response = c.post(reverse("staff:entry_action", args=[entry.pk, "review_return"]), {"comment": ""}, follow=True)
    assert "必须填写理由" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REVIEW


@pytest.mark.parametrize("role", ["street_admin", "street_drafter", "sysadmin", "other_drafter"])
def test_other_units_get_404_on_drafts(role, login, people, draft):
    entry = draft()
    c = login(people[role])
    assert c.get(reverse("staff:entry_detail", args=[entry.pk])).status_code == 404
    assert c.post(reverse("staff:entry_action", args=[entry.pk, "submit"])).status_code == 404


def test_supervisor_reads_but_has_no_actions(login, people, draft):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft(title="督查可见"))
    c = login(people["supervisor"])
    html = c.get(reverse("staff:entry_detail", args=[entry.pk])).content.decode()
    assert "督查可见" in html and "保密审查通过" not in html
    c.post(reverse("staff:entry_action", args=[entry.pk, "review_pass"]))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REVIEW


def test_catalog_page_add_and_refuse_delete_in_use(login, people, tree, draft, publish):
    publish(draft())
    c = login(people["admin"])
    response = c.post(reverse("staff:catalog") + f"?unit={tree.town.pk}", {"name": "疫情防控", "slug": "epidemic"})
    assert response.status_code == 302
    used = category(tree.town)
    c.post(reverse("staff:category_action", args=[used.pk, "delete"]))
    used.refresh_from_db()
    assert used.pk  # still there
    response = c.post(reverse("staff:catalog") + f"?unit={tree.town.pk}", {"name": "疫情防控", "slug": "epidemic2"})
    assert "已有“疫情防控”" in response.content.decode()


def test_dashboard_lists_returned_draft_with_reason(login, people, draft):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft(title="被退回的"))
    services.review_return(actor=people["reviewer"], entry=entry, comment="请删去身份证号")
    html = login(people["drafter"]).get(reverse("staff:dashboard")).content.decode()
    assert "被退回的" in html and "请删去身份证号" in html


def test_every_problem_is_reported_in_one_round(login, people, tree):
    c = login(people["drafter"])
    response = c.post(
        reverse("staff:entry_create"),
        {
            "unit": tree.town.pk,
            "category": "",
            "publisher": tree.office.pk,
            "title": "标" * 201,
            "genre": "通知",
            "formed_date": "2099-01-01",
            "disclosure_mode": "proactive",
        },
    )
    html = response.content.decode()
    assert "请选择目录类别" in html and "标题不能超过 200 个字" in html and "成文日期不能晚于今天" in html


def test_an_empty_post_shows_the_required_fields_not_a_server_error(login, people):
    c = login(people["drafter"])
    response = c.post(reverse("staff:entry_create"), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请选择目录类别" in html and "标题不能为空" in html and "成文日期不能为空" in html
