"""The index follows publication: published entries appear (attachment text included), a withdrawn entry
disappears at once, edits and validity changes are picked up, `gongkai reindex` rebuilds everything."""

from __future__ import annotations

import io

from django.core.management import call_command

from gongkai.catalog import services
from gongkai.search import selectors
from gongkai.search.models import SearchDocument
from tests.screening.builders import docx, text_pdf, xlsx


def hits(q: str) -> set[int]:
    return {h.entry.pk for h in selectors.search(q=q, page_size=100).hits}


def test_publishing_indexes_and_withdrawal_removes_at_once(draft, publish, people, committed):
    entry = committed(publish, draft(title="关于发放耕地地力保护补贴的公示"))
    assert hits("地力保护") == {entry.pk}
    committed(services.withdraw, actor=people["admin"], entry=entry, reason="内容有误")
    assert hits("地力保护") == set()
    assert selectors.search(q="地力保护").total == 0
    assert not SearchDocument.objects.filter(entry=entry).exists()


def test_drafts_are_never_indexed(draft, committed, people):
    entry = draft(title="尚未发布的宅基地审批结果")
    committed(services.submit_for_review, actor=people["drafter"], entry=entry)
    assert hits("宅基地") == set()


def test_edit_and_validity_change_are_reindexed(draft, publish, people, committed):
    entry = committed(publish, draft(title="防汛抗旱应急预案"))
    committed(services.edit_published, actor=people["admin"], entry=entry, reason="改标题", title="森林防火应急预案")
    assert hits("防汛") == set()
    assert hits("森林防火") == {entry.pk}
    from datetime import date

    committed(
        services.set_validity, actor=people["admin"], entry=entry, validity="repealed", invalid_date=date(2025, 5, 1)
    )
    flt = selectors.resolve_filters(validity="repealed")
    assert {h.entry.pk for h in selectors.search(q="森林防火", filters=flt).hits} == {entry.pk}
    assert selectors.search(q="森林防火", filters=selectors.resolve_filters(validity="valid")).total == 0


def test_attachment_text_is_found(draft, publish, people, committed):
    entry = draft(title="附件测试")
    for name, data in [
        ("名单.xlsx", xlsx([["姓名", "补助项目"], ["张三", "残疾人两项补贴"]])),
        ("方案.docx", docx(["本方案适用于高标准农田建设项目验收。"])),
        ("报告.pdf", text_pdf(["Annual flood report 2025"])),
        ("标准.csv", "村名,标准\n李家村,城乡居民医疗保险\n".encode()),
    ]:
        services.add_attachment(actor=people["drafter"], entry=entry, name=name, stream=io.BytesIO(data))
    entry = committed(publish, entry)
    for q in ["两项补贴", "农田建设项目", "flood report", "医疗保险"]:
        assert hits(q) == {entry.pk}, q
    # Terms spread over the title and different attachments still meet at the entry.
    assert hits("附件测试 两项补贴 农田建设") == {entry.pk}


def test_long_attachment_text_is_chunked_without_losing_phrases(draft, publish, people, committed):
    filler = "各村要做好防汛准备工作" * 3000  # ~33,000 characters: several parts
    entry = draft(title="长附件")
    services.add_attachment(
        actor=people["drafter"],
        entry=entry,
        name="长文.csv",
        stream=io.BytesIO(f"说明\n{filler}末尾的独特短语量子纠缠\n".encode()),
    )
    entry = committed(publish, entry)
    assert SearchDocument.objects.filter(entry=entry).count() > 1
    assert hits("量子纠缠") == {entry.pk}
    assert selectors.search(q="防汛准备").total == 1


def test_reindex_command_rebuilds(draft, publish, people, committed, capsys):
    a = committed(publish, draft(title="乡村振兴衔接资金使用情况"))
    b = publish(draft(title="乡村振兴项目库"))  # published without its after-commit hooks: not indexed yet
    assert hits("乡村振兴") == {a.pk}
    SearchDocument.objects.filter(entry=a).update(validity="expired")  # stale row
    call_command("reindex", "--batch", "1", verbosity=0)
    assert hits("乡村振兴") == {a.pk, b.pk}
    assert set(SearchDocument.objects.values_list("validity", flat=True)) == {"valid"}
