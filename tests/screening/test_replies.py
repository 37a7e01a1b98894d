import random

from gongkai.screening.replies import mask_reply_text, scan_reply
from tests.screening.builders import image_pdf, resident_id


def test_reply_text_and_attachments_are_scanned():
    number = resident_id(random.Random(60))
    scan = scan_reply(
        text="您申请的信息如下：",
        html=f"<p>张三 {number}</p>",
        files=[("答复附件.csv", "姓名,电话\n李四,13812345678\n".encode()), ("扫描件.pdf", image_pdf())],
    )
    reasons = scan.blocking_reasons()
    assert any("答复正文含 1 处高风险信息（居民身份证号）" in r for r in reasons)
    assert any("答复附件.csv" in r and "手机号码" in r for r in reasons)
    assert any("扫描件.pdf" in r and "需人工审查" in r for r in reasons)
    assert mask_reply_text(f"身份证 {number}", {"id_card"}) == f"身份证 {number[:6]}********{number[-4:]}"


def test_clean_reply_has_no_reasons():
    assert scan_reply(text="经检索，本机关未制作该信息。").blocking_reasons() == []
