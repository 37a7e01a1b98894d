"""依申请公开转主动公开 (Art. 44): two applicants ask for the same information; the office answers, turns it into
one proactive entry from the case, and that entry goes through the normal review; both cases link to it, the
entry's page names them, and the annual report's section 一 counts it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import intake, letters, promotion, replies, selectors
from gongkai.applications.models import ProactiveLink
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.core.errors import InvalidTransition, ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.reports import narrative
from gongkai.reports.annual import annual_report_data, extra_facts
from tests.factories import PASSWORD, category, publish_entry

from .conftest import applicant

DIBAO = "东山镇2025年城乡低保对象名单及保障标准"


@pytest.fixture
def two_alike(receive, today):
    today(date(2025, 5, 20))
    first = receive(date(2025, 5, 6), description=DIBAO)
    second = receive(date(2025, 5, 12), description="请提供2025年东山镇城乡低保对象名单和低保保障标准", name="李秀英")
    other = receive(date(2025, 5, 12), description="李家村2024年道路硬化工程招标文件", name="赵强")
    return first, second, other


def answer(app, people, result="granted", content="经审查，予以公开。\n附件为2025年低保对象名单（已隐去身份证号）。"):
    return replies.reply(actor=people["drafter"], application=app, result=result, on=date(2025, 5, 20), content=content)


def test_like_cases_are_suggested_and_unlike_ones_are_not(two_alike):
    first, second, other = two_alike
    found = [s.application for s in selectors.similar_cases(first)]
    assert found == [second]
    assert selectors.similarity(first.description, second.description) >= selectors.SIMILAR_THRESHOLD
    assert selectors.similarity(first.description, other.description) < selectors.SIMILAR_THRESHOLD


def test_two_like_applications_become_one_entry_through_review(two_alike, tree, people):
    first, second, _ = two_alike
    answer(first, people)
    letters.upload(
        actor=people["drafter"], application=first, kind="disclosed", title="低保对象名单（已隐去身份证号）",
        upload=SimpleUploadedFile("低保名单.csv", "村名,户主,保障人数\n李家村,李某,3\n".encode()), on=date(2025, 5, 20),
    )  # fmt: skip
    done = promotion.promote(
        actor=people["drafter"],
        application=first,
        title="东山镇2025年城乡低保对象名单",
        category=category(tree.town, "dibao"),
        reason="多个申请人申请相同信息",
        others=[second],
    )
    entry = done.entry
    assert entry.status == EntryStatus.DRAFT  # nothing is published by this step
    assert entry.summary == DIBAO and "予以公开" in entry.body and "<p>" in entry.body
    assert entry.formed_date == date(2025, 5, 20)
    assert [a.original_name for a in entry.attachments.all()] == [
        "低保对象名单（已隐去身份证号）.csv"
    ] and done.failed == {}
    assert set(ProactiveLink.objects.filter(entry=entry).values_list("application_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    event = AuditEvent.objects.get(action="application.promote")
    assert event.object_id == str(first.pk) and event.comment == "多个申请人申请相同信息"
    assert selectors.promoted_count(tree.town, 2025) == 0  # a draft is not counted
    publish_entry(entry, people)
    assert selectors.promoted_count(tree.town, 2025) == 1
    data = annual_report_data(tree.town, 2025)
    text = narrative.section_1(data, extra_facts(tree.town, 2025), tree.town.name)
    assert "将1条依申请公开的政府信息转为主动公开" in text


def test_only_disclosable_answers_are_promoted_and_only_once(two_alike, tree, people):
    first, _, other = two_alike
    kwargs = {"actor": people["drafter"], "title": "低保名单", "category": category(tree.town, "dibao")}
    with pytest.raises(InvalidTransition, match="当前状态为“办理中”，不能转为主动公开"):
        promotion.promote(application=first, **kwargs)  # not answered yet
    answer(other, people, result="withheld.third_party_rights", content="涉及第三方个人隐私，不予公开")
    with pytest.raises(InvalidTransition, match="只有答复为“予以公开”或“部分公开”"):
        promotion.promote(application=other, **kwargs)
    answer(first, people)
    with pytest.raises(ValidationFailed) as bad:
        promotion.promote(application=first, **{**kwargs, "category": None})
    assert "category" in bad.value.errors and not Entry.objects.filter(title="低保名单").exists()
    promotion.promote(application=first, **kwargs)
    with pytest.raises(InvalidTransition, match="已转为主动公开"):
        promotion.promote(application=first, **kwargs)
    assert Entry.objects.filter(title="低保名单").count() == 1


def test_cases_of_another_unit_are_not_linked(two_alike, tree, people):
    first, _, _ = two_alike
    answer(first, people)
    foreign, _code = intake.enter_application(
        actor=people["street_admin"], unit=tree.street, data=applicant(description=DIBAO), channel="in_person",
        received_on=date(2025, 5, 12),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as bad:
        promotion.promote(
            actor=people["drafter"],
            application=first,
            title="低保名单",
            category=category(tree.town, "dibao"),
            others=[foreign],
        )
    assert foreign.tracking_number in bad.value.errors["others"][0]
    assert not ProactiveLink.objects.exists()


def test_an_open_case_links_to_an_entry_already_proactive(two_alike, tree, people, draft):
    first, _, _ = two_alike
    entry = publish_entry(draft(title="东山镇2025年低保名单", category=category(tree.town, "dibao")), people)
    row = promotion.link(actor=people["drafter"], application=first, entry=entry, reason="已在低保栏目公开")
    assert row.kind == ProactiveLink.Kind.LINKED
    with pytest.raises(ValidationFailed, match="已关联"):
        promotion.link(actor=people["drafter"], application=first, entry=entry)
    street_entry = draft(
        unit=tree.street,
        actor=people["street_drafter"],
        publisher=tree.street,
        category=category(tree.street, "notices"),
        title="城关街道低保名单",
    )
    with pytest.raises(ValidationFailed, match="本单位"):
        promotion.link(actor=people["drafter"], application=first, entry=street_entry)


def test_the_case_page_promotes_and_refuses_bad_input_in_chinese(client, two_alike, tree, people):
    first, second, _ = two_alike
    answer(first, people)
    client.login(username=people["drafter"].username, password=PASSWORD)
    page = client.get(reverse("applications_staff:detail", args=[first.pk])).content.decode()
    assert "转为主动公开" in page and "相似申请" in page and second.tracking_number in page
    url = reverse("applications_staff:action", args=[first.pk, "promote"])
    bad = client.post(url, {"title": "", "category": "", "summary": "保留我输入的概述"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "这个字段是必填项" in body or "必填" in body
    assert "保留我输入的概述" in body  # nothing typed is lost
    assert not Entry.objects.filter(application_links__application=first).exists()
    dibao = category(tree.town, "dibao")
    ok = client.post(url, {"title": "东山镇2025年低保名单", "category": dibao.pk, "others": [second.pk]})
    entry = Entry.objects.get(application_links__application=first)
    assert ok.status_code == 302 and ok["Location"] == reverse("staff:entry_edit", args=[entry.pk])
    entry_page = client.get(reverse("staff:entry_detail", args=[entry.pk])).content.decode()
    assert first.tracking_number in entry_page and second.tracking_number in entry_page
    after = client.get(reverse("applications_staff:detail", args=[first.pk])).content.decode()
    assert "东山镇2025年低保名单" in after and 'action="' + url not in after  # the card is gone once promoted


def test_a_withheld_case_offers_no_promotion(client, two_alike, people):
    _, _, other = two_alike
    answer(other, people, result="withheld.third_party_rights", content="涉及第三方个人隐私，不予公开")
    client.login(username=people["drafter"].username, password=PASSWORD)
    page = client.get(reverse("applications_staff:detail", args=[other.pk])).content.decode()
    assert reverse("applications_staff:action", args=[other.pk, "promote"]) not in page
    assert reverse("applications_staff:action", args=[other.pk, "promote_link"]) in page
