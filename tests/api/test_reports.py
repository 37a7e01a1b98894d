"""GET /api/v1/reports/annual/{org}/{year}: the published report's numbers, 404 until it is published."""

from __future__ import annotations

from typing import Any

from django.test import Client

from gongkai.catalog import services as catalog
from gongkai.reports.annual import annual_report_data
from gongkai.reports.services import save_draft, submit_for_publication


def test_the_published_annual_report_is_open_data(client: Client, tree: Any, people: Any, draft: Any) -> None:
    url = f"/api/v1/reports/annual/{tree.town.code}/2025"
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "单位 QH0101 的 2025 年度报告尚未发布",
        "field": "year",
    }

    save_draft(
        actor=people["admin"], unit=tree.town, year=2025, section_1="总体情况。", section_5="无。", section_6="无。"
    )
    report = submit_for_publication(actor=people["admin"], unit=tree.town, year=2025)
    assert client.get(url).status_code == 404  # submitted is not published
    entry = catalog.review_pass(actor=people["reviewer"], entry=report.entry)
    catalog.sign_and_publish(actor=people["signer"], entry=entry)

    response = client.get(url)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body == annual_report_data(tree.town, 2025)
    assert body["org"] == {"code": tree.town.code, "name": tree.town.name} and body["year"] == 2025
    assert len(body["applications"]["rows"]) == 25 and body["checks"] == []
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(f"/api/v1/reports/annual/{tree.town.code}/1900").status_code == 400
    assert "/api/v1/reports/annual/{org}/{year}" in client.get("/api/v1/openapi.json").json()["paths"]
