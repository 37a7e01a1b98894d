"""The county bulletin (通报): per-unit figures computed by hand for June 2025, ranking, the "死网" flag,
stale columns, the sortable staff page and the HTML/XLSX/PDF/JSON outputs."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.core.errors import ValidationFailed
from gongkai.reports.bulletin import bulletin_data, parse_period
from tests.factories import PASSWORD, category


@pytest.fixture
def june(tree, people, draft, publish, case, today):
    today(date(2025, 6, 5))
    publish(draft(formed_date=date(2025, 6, 3), category=category(tree.town, "news")))  # 2 working days
    today(date(2025, 6, 20))
    publish(draft(formed_date=date(2025, 5, 6), category=category(tree.town, "notices")))  # > 20 working days
    draft(formed_date=date(2025, 5, 6))  # never published: overdue at the end of June
    today(date(2025, 6, 25))
    case(date(2025, 5, 6), "natural_person", "granted", date(2025, 6, 25))  # due early June: late
    today(date(2025, 7, 10))
    return bulletin_data(tree.county, "2025-06")


def test_figures_by_hand(june):
    assert june["label"] == "2025年6月" and (june["start"], june["end"]) == ("2025-06-01", "2025-06-30")
    town, street = june["rows"]
    assert town["name"] == "清河县东山镇人民政府" and town["rank"] == 1
    assert town["published"] == 2
    assert town["on_time_percent"] == 50
    assert town["late_published"] == 1
    assert town["overdue_unpublished"] == 1
    assert town["late_replies"] == 1
    assert town["last_update"] == "2025-06-20" and town["days_since_update"] == 10
    assert town["dead"] is False
    assert {s["column"] for s in town["stale_columns"]} == {"法规文件", "政策解读", "工作动态"}
    news = next(s for s in town["stale_columns"] if s["column"] == "工作动态")
    assert news["days"] == 25
    assert street["rank"] == 2 and street["published"] == 0 and street["on_time_percent"] is None
    assert street["days_since_update"] is None and street["dead"] is True
    assert june["dead_units"] == ["清河县城关街道办事处"]


def test_periods():
    assert parse_period("2025-Q2")[1:] == (date(2025, 4, 1), date(2025, 6, 30))
    assert parse_period("2025-q4")[0] == "2025年第四季度"
    assert parse_period("2024-02")[2] == date(2024, 2, 29)
    for bad in ("2025-13", "2025/06", "Q2", ""):
        with pytest.raises(ValidationFailed):
            parse_period(bad)


def test_only_for_a_county(tree):
    with pytest.raises(ValidationFailed, match="不是县"):
        bulletin_data(tree.town, "2025-06")


def test_outputs(june, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    for fmt in ("html", "json", "xlsx", "pdf"):
        call_command("report", "bulletin", "--org", "QH0001", "--period", "2025-06", "--format", fmt,
                     "--out", str(tmp_path / f"b.{fmt}"))  # fmt: skip
    assert json.loads((tmp_path / "b.json").read_text("utf-8"))["rows"][0]["published"] == 2
    ws = load_workbook(tmp_path / "b.xlsx")["通报"]
    assert ws["A1"].value == "清河县人民政府2025年6月政务公开工作通报"
    assert [c.value for c in ws[4]][:4] == [1, "清河县东山镇人民政府", 2, 50]
    assert ws["J5"].value == "是"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO((tmp_path / "b.pdf").read_bytes())).pages)
    assert "政务公开工作通报" in "".join(text.split()) and "城关街道" in text


def test_staff_page_sortable(client, people, june):
    assert client.login(username=people["supervisor"].username, password=PASSWORD)
    url = reverse("reports:bulletin")

    def body(**params):
        page = client.get(url, {"org": "QH0001", "period": "2025-06", **params}).content.decode()
        return page[page.index("<tbody>") :]

    page = body(sort="published")
    assert page.index("清河县城关街道办事处") < page.index("清河县东山镇人民政府")
    page = body(sort="published", desc="1")
    assert page.index("清河县东山镇人民政府") < page.index("清河县城关街道办事处")
    bad = client.get(url, {"org": "QH0001", "period": "六月"})
    assert bad.status_code == 200 and "通报期间应为" in bad.content.decode()
    assert client.get(reverse("reports:bulletin_file", args=["xlsx"]), {"period": "2025-06"}).status_code == 200
    client.logout()
    assert client.login(username=people["admin"].username, password=PASSWORD)
    assert client.get(url).status_code == 404
