"""Table 三 over two years, computed by hand, including the carry-over from 2024 into 2025.

Cases (columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计):
A 自然人     received 2024-03-04, 予以公开      2024-03-20
B 商业企业   received 2024-06-03, 保护第三方    2024-06-20
C 自然人     received 2024-12-27, 部分公开      2025-01-10   (carried over)
D 法律服务   received 2024-12-30, 另行制作      2025-01-20   (carried over)
E 科研机构   received 2025-05-06, 予以公开      2025-05-20
F 自然人     received 2025-12-29, still open               (carried over into 2026)
"""

from datetime import date

from gongkai.reports import spec
from gongkai.reports.annual import annual_report_data

Z = [0, 0, 0, 0, 0, 0, 0]


def test_2024_by_hand(tree, two_years):
    data = annual_report_data(tree.town, 2024)
    rows = data["applications"]["rows"]
    assert data["applications"]["columns"] == [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
        "total",
    ]
    assert list(rows) == spec.row_keys() and len(rows) == 25
    assert rows["new"] == [2, 1, 0, 0, 1, 0, 4]
    assert rows["carried_in"] == Z
    assert rows["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["withheld.third_party_rights"] == [0, 1, 0, 0, 0, 0, 1]
    assert rows["partly_granted"] == Z
    assert rows["total_handled"] == [1, 1, 0, 0, 0, 0, 2]
    assert rows["carried_over"] == [1, 0, 0, 0, 1, 0, 2]
    untouched = set(spec.result_keys()) - {"granted", "withheld.third_party_rights"}
    assert all(rows[k] == Z for k in untouched)
    assert data["checks"] == []
    assert data["applications"]["by_channel"] == {
        "online": 0,
        "letter": 1,
        "in_person": 3,
        "service_window": 0,
        "fax": 0,
        "email": 0,
        "other": 0,
    }


def test_2025_carries_2024_over(tree, two_years):
    data = annual_report_data(tree.town, 2025)
    rows = data["applications"]["rows"]
    assert rows["new"] == [1, 0, 1, 0, 0, 0, 2]
    assert rows["carried_in"] == [1, 0, 0, 0, 1, 0, 2]
    assert rows["granted"] == [0, 0, 1, 0, 0, 0, 1]
    assert rows["partly_granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["unable.needs_creation"] == [0, 0, 0, 0, 1, 0, 1]
    assert rows["total_handled"] == [1, 0, 1, 0, 1, 0, 3]
    assert rows["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["carried_in"] == annual_report_data(tree.town, 2024)["applications"]["rows"]["carried_over"]
    assert data["checks"] == []
    assert data["applications"]["by_channel"]["email"] == 1


def test_county_with_children_includes_township_cases(tree, people, two_years, case):
    case(date(2025, 3, 3), "other_org", "granted", date(2025, 3, 10), unit=tree.street, actor=people["street_admin"])
    alone = annual_report_data(tree.county, 2025)
    assert alone["applications"]["rows"]["new"] == Z
    whole = annual_report_data(tree.county, 2025, include_children=True)
    assert whole["applications"]["rows"]["new"] == [1, 0, 1, 0, 0, 1, 3]
    assert whole["applications"]["by_channel"]["in_person"] == 2  # F and the street case
    assert whole["checks"] == []


def test_year_without_data_is_zeros_and_checks_pass(tree, today):
    today(date(2026, 1, 20))
    data = annual_report_data(tree.street, 2023)
    assert data["org"] == {"code": "QH0201", "name": "清河县城关街道办事处"}
    assert data["year"] == 2023
    assert all(v == Z for v in data["applications"]["rows"].values())
    assert data["entries"]["total"] == 0
    assert data["entries"]["by_category"] == []
    assert data["entries"]["by_month"] == [0] * 12
    assert data["entries"]["history"] == [{"year": y, "count": 0} for y in range(2019, 2024)]
    assert data["entries"]["timeliness"] == {
        "avg_workdays": 0,
        "max_workdays": 0,
        "over_limit": 0,
        "changes": 0,
        "changes_over_limit": 0,
    }
    assert data["proactive"] == {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
        "licensing_decisions": 0,
        "punishment_decisions": 0,
        "enforcement_decisions": 0,
        "fees_wan_yuan": 0,
    }
    zero_group = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    assert data["appeals"] == {
        "reconsideration": zero_group,
        "litigation_direct": zero_group,
        "litigation_after_reconsideration": zero_group,
    }
    assert data["checks"] == []
