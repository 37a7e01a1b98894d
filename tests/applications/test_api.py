"""POST /api/v1/applications and GET /api/v1/applications/{tracking}?code= (plain Django JSON views)."""

from gongkai.applications.models import Application

from .conftest import VALID_ID, applicant


def test_submit_and_track(client, tree):
    response = client.post(
        "/api/v1/applications", data={"unit": tree.town.code, **applicant()}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["tracking_number"].startswith(f"YSQ-{tree.town.code}-")
    assert body["status"] == "pending" and len(body["query_code"]) == 8
    status = client.get(f"/api/v1/applications/{body['tracking_number']}", {"code": body["query_code"]})
    assert status.status_code == 200
    data = status.json()
    assert data["status_label"] == "待确认收到"
    assert VALID_ID not in status.content.decode() and "王建国" not in status.content.decode()


def test_wrong_code_is_404_without_saying_which(client, tree):
    client.post("/api/v1/applications", data={"unit": tree.town.code, **applicant()}, content_type="application/json")
    number = Application.objects.get().tracking_number
    for tracking in (number, "YSQ-QH0101-2020-99999"):
        response = client.get(f"/api/v1/applications/{tracking}", {"code": "ABCDEFGH"})
        assert response.status_code == 404
        assert response.json()["error"] == {"code": "not_found", "message": "申请编号或查询码不正确", "field": "code"}


def test_error_body_names_the_field(client, tree):
    response = client.post(
        "/api/v1/applications",
        data={"unit": tree.town.code, **applicant(description="")},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["field"] == "description" and "描述" in body["message"] and body["code"] == "invalid"
    response = client.post("/api/v1/applications", data="{not json", content_type="application/json")
    assert response.json()["error"]["code"] == "invalid_json"
    response = client.post("/api/v1/applications", data=applicant(), content_type="application/json")
    assert response.json()["error"]["field"] == "unit"
