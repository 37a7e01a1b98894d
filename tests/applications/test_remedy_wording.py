"""救济途径 follows the 《行政复议法》 in force on the reply date (data/remedies.yaml): since 2024-01-01 a
不予公开 answer (and the withheld part of 部分公开) tells the applicant to apply for 行政复议 first
(第二十三条第一款第（四）项、第二款); other results, and every reply before 2024, keep the choice between
复议 and 诉讼. The periods come from the rules table."""

from datetime import date

import pytest

from gongkai.applications import letters, remedies, replies
from gongkai.applications.models import ResultCode

PRIOR = (
    "如对本答复不服，可以自收到本答复之日起六十日内向清河县人民政府申请行政复议；"
    "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
)
CHOICE = (
    "如对本答复不服，可以自收到本答复之日起六十日内向清河县人民政府申请行政复议，"
    "或者自收到本答复之日起六个月内向人民法院提起行政诉讼。"
)


def answered(receive, people, today, result, replied, **kwargs):
    today(replied)
    app = receive(date(replied.year, replied.month, 1) if replied.day > 1 else replied)
    replies.reply(actor=people["drafter"], application=app, result=result, on=replied, **kwargs)
    app.refresh_from_db()
    return app


def paragraphs(app, kind, on):
    return letters.build(app, kind, on, "").paragraphs


def test_withheld_reply_in_2025_has_prior_reconsideration(receive, people, today):
    app = answered(receive, people, today, "withheld.process_information", date(2025, 3, 20), content="请示报告")
    assert paragraphs(app, "withhold", date(2025, 3, 20))[-1] == PRIOR
    assert "六个月" not in "".join(paragraphs(app, "withhold", date(2025, 3, 20)))


def test_withheld_reply_before_2024_keeps_the_old_wording(receive, people, today):
    app = answered(receive, people, today, "withheld.internal_affairs", date(2023, 12, 29), content="人事管理")
    # The reply date chooses the row, not the (later) letter date.
    assert paragraphs(app, "withhold", date(2024, 1, 5))[-1] == CHOICE


def test_partial_reply_names_the_withheld_part(receive, people, today):
    app = answered(receive, people, today, "partly_granted", date(2024, 1, 2), content="第3段涉及商业秘密")
    text = paragraphs(app, "partial", date(2024, 1, 2))[-1]
    assert text.startswith("如对本答复中不予公开的部分不服，")
    assert "可以自收到本答复之日起六十日内向清河县人民政府申请行政复议；对行政复议决定不服的" in text
    assert "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。" in text
    assert "如对本答复的其他内容不服" in text and "或者自收到本答复之日起六个月内向人民法院提起行政诉讼。" in text


@pytest.mark.parametrize("result", ["granted", "unable.not_held", "not_processed.repeated", "other.other"])
def test_other_results_keep_the_choice(result, receive, people, today):
    app = answered(receive, people, today, result, date(2025, 3, 20), content="已答复过")
    kind = ResultCode.objects.get(key=result).letter_kind
    assert paragraphs(app, kind, date(2025, 3, 20))[-1] == CHOICE


def test_every_result_has_one_row_on_both_sides_of_2024(db):
    for code in ResultCode.objects.all():
        before = remedies.remedy_for(code, date(2023, 12, 31))
        after = remedies.remedy_for(code, date(2024, 1, 1))
        assert before.key == "choice" and not before.prior_reconsideration
        prior = code.group == "withheld" or code.key == "partly_granted"
        assert after.prior_reconsideration is prior, code.key
        assert after.instrument and after.article and after.quote
    row = remedies.remedy_for(ResultCode.objects.get(key="withheld.state_secret"), date(2024, 1, 1))
    assert row.instrument == "《中华人民共和国行政复议法》（2023年修订）"
    assert "第二十三条第一款第（四）项" in row.article


def test_overlapping_rows_are_refused(tmp_path):
    row = (
        "  - {key: k, name: n, results: [withheld], text: t, prior_reconsideration: false, instrument: i,"
        " article: a, quote: q, valid_from: %s, valid_to: %s}\n"
    )
    path = tmp_path / "remedies.yaml"
    path.write_text("remedies:\n" + row % ("2024-01-01", "") + row % ("2025-01-01", ""), encoding="utf-8")
    with pytest.raises(remedies.RemediesDataError, match="重叠"):
        remedies.read(path)
    path.write_text("remedies:\n" + row % ("", "2023-12-31") + row % ("2024-01-01", ""), encoding="utf-8")
    assert len(remedies.read(path)) == 2
