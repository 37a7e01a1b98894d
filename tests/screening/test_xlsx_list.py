import random

from gongkai.screening.report import scan_bytes
from tests.screening.builders import mobile, resident_id, xlsx


def test_recipient_list_with_100_ids_is_fully_flagged():
    rng = random.Random(100)
    ids = [resident_id(rng) for _ in range(100)]
    rows = [["序号", "姓名", "身份证号码", "联系电话", "补助金额（元）", "发放日期"]]
    for i, number in enumerate(ids, start=1):
        # Officers type IDs as text, some with spaces; amounts and dates sit next to them.
        written = number if i % 3 else f"{number[:6]} {number[6:14]} {number[14:]}"
        rows.append([i, f"户主{i}", written, int(mobile(rng)), 1200.5, "2025-03-03"])
    rep = scan_bytes("2025年第一季度低保发放名单.xlsx", xlsx(rows))
    id_findings = [f for f in rep.findings if f.finding.kind == "id_card"]
    assert len(id_findings) == 100
    assert {f.location for f in id_findings} == {f"工作表“名单” 第{r}行 第C列" for r in range(2, 102)}
    assert sum(f.finding.kind == "mobile" for f in rep.findings) == 100
    assert len(rep.findings) == 200  # nothing else: no amount, date or serial is flagged
