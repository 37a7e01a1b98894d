"""The result-code table is data (data/result_codes.yaml → ResultCode), with the annual report's keys."""

from django.core.management import call_command

from gongkai.applications.models import LetterTemplate, ResultCode

# Issue 5's ROW keys between carried_in and total_handled, in table order.
KEYS = [
    "granted",
    "partly_granted",
    "withheld.state_secret",
    "withheld.prohibited_by_law",
    "withheld.three_securities_one_stability",
    "withheld.third_party_rights",
    "withheld.internal_affairs",
    "withheld.process_information",
    "withheld.law_enforcement_file",
    "withheld.administrative_query",
    "unable.not_held",
    "unable.needs_creation",
    "unable.still_unclear",
    "not_processed.petition_complaint",
    "not_processed.repeated",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirm_or_reissue",
    "other.no_correction",
    "other.unpaid_fee",
    "other.other",
]


def test_loaded_by_migration_in_table_order(db):
    assert list(ResultCode.objects.order_by("sort_order").values_list("key", flat=True)) == KEYS
    row = ResultCode.objects.get(key="other.unpaid_fee")
    assert row.label == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert row.group_label == "其他处理" and row.letter_kind == "other"
    assert ResultCode.objects.get(key="partly_granted").label.startswith("（二）部分公开（区分处理的")
    assert all(c.article and c.wording for c in ResultCode.objects.all())
    assert LetterTemplate.objects.filter(unit__isnull=True).count() == 10


def test_reload_keeps_edited_templates(db):
    tpl = LetterTemplate.objects.get(kind="grant", unit__isnull=True)
    tpl.title = "改过的标题"
    tpl.save()
    ResultCode.objects.filter(key="granted").update(wording="x")
    call_command("applications", "load-rules")
    assert LetterTemplate.objects.get(kind="grant", unit__isnull=True).title == "改过的标题"
    assert ResultCode.objects.get(key="granted").wording != "x"
