"""Letters from the editable templates: DOCX opens in python-docx, PDF text extracts the Chinese intact."""

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from gongkai.applications import handling, letters, replies
from gongkai.applications.models import LetterTemplate
from gongkai.documents.chinese import chinese_date


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def docx_text(data: bytes) -> str:
    return "".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """``letters.generate`` as the staff page does it, plus the worker's rendering after commit."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            letter = letters.generate(**kwargs)
        letter.refresh_from_db()
        assert letter.status == "done", letter.error
        return letter

    return run


def test_chinese_date():
    assert chinese_date(date(2025, 10, 11)) == "二〇二五年十月十一日"
    assert chinese_date(date(2026, 1, 20)) == "二〇二六年一月二十日"


def test_partial_disclosure_letter(receive, people, today, generate):
    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    replies.reply(
        actor=people["drafter"],
        application=app,
        result="partly_granted",
        on=date(2025, 3, 28),
        content="补偿协议第3、4段涉及企业商业秘密，已作区分处理",
    )
    letter = generate(actor=people["drafter"], application=app, kind="partial", on=date(2025, 3, 28))
    assert letter.number == "东山镇政公开〔2025〕1号"
    doc = docx_text(letter.docx.read())
    assert "政府信息公开申请答复书" in doc and "王建国：" in doc and "第三十七条" in doc
    assert "二〇二五年三月二十八日" in doc and "六十日内向清河县人民政府申请行政复议" in doc
    text = pdf_text(letter.pdf.read())
    for phrase in (
        "政府信息公开申请答复书",
        "东山镇政公开〔2025〕1号",
        "王建国",
        "部分",
        "商业秘密",
        "六个月内向人民法院提起行政诉讼",
        "二〇二五年三月二十八日",
        "清河县东山镇人民政府",
    ):
        assert phrase in text, phrase


@pytest.mark.parametrize("kind", ["correction", "extension", "consultation", "fee"])
def test_process_letters(kind, receive, people, today, generate):
    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    if kind == "correction":
        handling.request_correction(
            actor=people["drafter"], application=app, on=date(2025, 3, 4), items="请说明村组名称", due="2025-03-18"
        )
        expect = ["补正通知书", "请说明村组名称", "2025年3月18日"]
    elif kind == "extension":
        handling.extend(
            actor=people["drafter"],
            application=app,
            on=date(2025, 3, 20),
            days=10,
            reason="需调取档案",
            approved_by=people["signer"],
            notified_on=date(2025, 3, 20),
        )
        expect = ["延长", "10个工作日", "2025年3月31日", "2025年4月15日"]
    elif kind == "consultation":
        handling.start_consultation(
            actor=people["drafter"],
            application=app,
            on=date(2025, 3, 10),
            party="third_party",
            who="东山建材有限公司",
            matter="补偿协议",
        )
        expect = ["征求第三方意见函", "东山建材有限公司：", "第三十二条"]
    else:
        handling.issue_fee_notice(
            actor=people["drafter"], application=app, on=date(2025, 3, 10), basis="per_page", quantity=120
        )
        expect = ["缴费通知书", "1100.00", "按量计收"]
    letter = generate(actor=people["drafter"], application=app, kind=kind, on=date(2025, 3, 20))
    doc, text = docx_text(letter.docx.read()), pdf_text(letter.pdf.read())
    for phrase in expect:
        assert phrase in doc, phrase
        assert phrase in text, phrase
    assert "行政复议" not in doc  # appeal wording only on decisions


def test_edited_template_is_used(receive, people, tree, today, generate):
    today(date(2025, 4, 30))
    LetterTemplate.objects.create(
        kind="grant",
        unit=tree.town,
        title="东山镇公开答复",
        number_prefix="东政信",
        body="{申请人}您好，{答复内容}\n{救济途径}",
    )
    app = receive(date(2025, 3, 3))
    replies.reply(
        actor=people["drafter"],
        application=app,
        result="granted",
        on=date(2025, 3, 5),
        proactive_location="东山镇人民政府门户网站“法定主动公开内容”栏目",
    )
    letter = generate(actor=people["drafter"], application=app, kind="grant", on=date(2025, 3, 5))
    doc = docx_text(letter.docx.read())
    assert letter.number == "东政信〔2025〕1号"
    assert "王建国您好" in doc and "已主动公开" in doc and "法定主动公开内容" in doc


def test_decision_letter_needs_a_reply(receive, people, today):
    from gongkai.core.errors import ValidationFailed

    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    with pytest.raises(ValidationFailed, match="请先作出答复"):
        letters.generate(actor=people["drafter"], application=app, kind="grant")
