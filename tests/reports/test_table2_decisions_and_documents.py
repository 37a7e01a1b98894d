"""Table 二 counts decisions and documents, not entries (国办公开办函〔2021〕30号; issue 16 item 6):

- 行政许可/处罚/强制 "本年处理决定数量" is pre-filled from the year's result lists — each entry declares how many
  decisions it lists (a quarterly list of 30 permits is 30), else counts as one — and the office may enter the
  number it counts itself; the report's notes say which;
- 规范性文件 本年制发 counts by the document's 成文 date, 本年废止 by its 失效/废止 date, and
  上年现行有效 + 本年制发 − 本年废止 = 本年现行有效 is checked like the other cross-checks;
- the history import takes 失效/废止 dates and refuses a 废止 row without one."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.catalog import services as catalog
from gongkai.core.errors import ValidationFailed
from gongkai.reports import annual, render
from gongkai.reports import services as reports
from gongkai.reports.imports import ImportRejected, import_entries
from gongkai.reports.models import AnnualReport
from tests.factories import category

pytestmark = pytest.mark.usefixtures("calendar_until_next_year")


@pytest.fixture
def entry(draft, publish, today, tree):
    def run(slug: str, formed: date, on: date, **fields):
        today(on)
        return publish(draft(category=category(tree.town, slug), formed_date=formed, **fields))

    return run


def test_decisions_prefill_from_declared_counts_and_one_per_undeclared_list(entry, tree, today):
    entry("licensing", date(2025, 3, 31), date(2025, 4, 2), decision_count=30, title="2025年第一季度行政许可结果公示")
    entry("licensing", date(2025, 6, 30), date(2025, 7, 1), title="2025年第二季度行政许可结果公示")
    today(date(2026, 1, 10))
    data = annual.annual_report_data(tree.town, 2025)
    assert data["proactive"]["licensing_decisions"] == 31
    assert data["proactive_sources"]["licensing_decisions"] == {
        "prefill": 31,
        "entries": 2,
        "declared": 1,
        "entered": None,
    }
    notes = render.build(tree.town, 2025).table2_notes
    assert any("行政许可31件（按本年发布的2条结果公示统计，其中1条注明了所列决定件数" in n for n in notes)


def test_the_office_enters_its_own_count_and_the_note_says_so(entry, tree, people, today):
    entry("licensing", date(2025, 3, 31), date(2025, 4, 2), decision_count=30)
    today(date(2026, 1, 10))
    reports.save_draft(actor=people["admin"], unit=tree.town, year=2025, decisions={"licensing_decisions": "45"})
    doc = render.build(tree.town, 2025)
    assert doc.data["proactive"]["licensing_decisions"] == 45
    assert any("行政许可45件（由公开办核定填写；按本年公示预填为30件）" in n for n in doc.table2_notes)
    reports.save_draft(actor=people["admin"], unit=tree.town, year=2025, decisions={"licensing_decisions": ""})
    assert annual.annual_report_data(tree.town, 2025)["proactive"]["licensing_decisions"] == 30  # back to pre-fill


@pytest.mark.parametrize("value", ["三十", "-1", "1.5", "99999999999"])
def test_a_bad_count_names_the_row_and_saves_nothing(tree, people, today, value):
    today(date(2026, 1, 10))
    with pytest.raises(ValidationFailed) as exc:
        reports.save_draft(
            actor=people["admin"],
            unit=tree.town,
            year=2025,
            section_1="总体情况",
            decisions={"punishment_decisions": value},
        )
    assert exc.value.errors["punishment_decisions"] == ["表二“行政处罚”本年处理决定数量应为 0 或正整数"]
    assert not AnnualReport.objects.filter(unit=tree.town, year=2025).exists()


def test_a_bad_declared_count_on_the_entry_names_the_field(draft, tree):
    with pytest.raises(ValidationFailed) as exc:
        draft(category=category(tree.town, "licensing"), decision_count="三十")
    assert exc.value.field == "decision_count"


def test_normative_documents_issued_by_formed_date_and_the_block_adds_up(entry, tree, people, today):
    entry("normative", date(2024, 5, 6), date(2024, 5, 8), title="东山镇村规民约管理办法")
    late = entry("normative", date(2024, 12, 20), date(2025, 1, 6), title="东山镇宅基地审批管理办法")
    entry("normative", date(2025, 3, 3), date(2025, 3, 5), title="东山镇河道管理办法")
    old = entry("normative", date(2024, 2, 1), date(2024, 2, 2), title="东山镇殡葬管理办法")
    today(date(2025, 9, 1))
    catalog.set_validity(actor=people["admin"], entry=old, validity="repealed", invalid_date=date(2025, 9, 1))
    today(date(2026, 1, 10))
    y2024 = annual.annual_report_data(tree.town, 2024)["proactive"]["normative_documents"]
    y2025 = annual.annual_report_data(tree.town, 2025)
    p = y2025["proactive"]["normative_documents"]
    assert y2024 == {"issued": 3, "repealed": 0, "in_force": 3}  # the December document belongs to 2024
    assert p == {"issued": 1, "repealed": 1, "in_force": 3}
    assert y2025["proactive_sources"]["normative_documents"]["in_force_last_year"] == 3
    assert not [c for c in y2025["checks"] if c["check"] == "table2_balance"]
    assert late.published_date.year == 2025


def test_a_mismatch_with_last_years_published_report_fails_the_check(entry, tree, today):
    entry("normative", date(2025, 3, 3), date(2025, 3, 5))
    today(date(2026, 1, 10))
    data = annual.annual_report_data(tree.town, 2025)
    failed = annual.run_checks(data, None, {"regulations": 0, "normative_documents": 5})
    assert [c["message"] for c in failed if c["check"] == "table2_balance"] == [
        "表二“规范性文件”：上年现行有效（5）+ 本年制发（1）− 本年废止（0）≠ 本年现行有效（1）"
    ]


def test_history_import_takes_repeal_dates_and_refuses_a_repeal_without_one(tree, people, tmp_path, today):
    today(date(2026, 1, 10))
    sheet = tmp_path / "history.csv"
    sheet.write_text(
        "标题,类别,成文日期,发布日期,有效性,失效/废止日期,决定数量\n"
        "东山镇殡葬管理办法,法定主动公开内容/法规文件/行政规范性文件,2020-03-02,2020-03-05,废止,2025-06-30,\n"
        "东山镇集贸市场管理办法,法定主动公开内容/法规文件/行政规范性文件,2019-03-02,2019-03-05,废止,,\n"
        "2025年第一季度行政许可结果,法定主动公开内容/行政许可,2025-03-31,2025-04-02,有效,,12\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        import_entries(actor=people["admin"], unit=tree.town, path=sheet)
    messages = [str(e) for e in exc.value.errors]
    assert any("第 3 行" in m and "须填写失效/废止日期" in m for m in messages), messages
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("废止,,", "废止,2024-12-31,"), encoding="utf-8")
    import_entries(actor=people["admin"], unit=tree.town, path=sheet)
    data = annual.annual_report_data(tree.town, 2025)
    assert data["proactive"]["normative_documents"]["repealed"] == 1
    assert data["proactive"]["licensing_decisions"] == 12


def test_the_editor_offers_the_counts_with_their_source_and_keeps_a_bad_one(client, entry, tree, people, today):
    from django.urls import reverse

    from tests.factories import PASSWORD

    entry("licensing", date(2025, 3, 31), date(2025, 4, 2), decision_count=30)
    today(date(2026, 1, 10))
    assert client.login(username=people["admin"].username, password=PASSWORD)
    url = reverse("reports:annual", args=[tree.town.code, 2025])
    html = client.get(url).content.decode()
    assert "表二 行政许可 本年处理决定数量（件）" in html and "不填则按预填数 30 件" in html
    response = client.post(
        url, {"action": "save", "section_1": "我们的总体情况", "fees_wan_yuan": "0", "licensing_decisions": "三十"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "表二“行政许可”本年处理决定数量应为 0 或正整数" in html
    assert 'value="三十"' in html and "我们的总体情况" in html  # nothing typed is lost
    assert not AnnualReport.objects.filter(unit=tree.town, year=2025).exists()
