"""ETag revalidation, CORS for reads, per-address rate limits with a Chinese 429."""

from __future__ import annotations


def test_etag_and_304(api, sample):
    first = api.get("/api/v1/entries")
    etag = first["ETag"]
    assert etag and first["Cache-Control"].startswith("public")
    again = api.get("/api/v1/entries", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    changed = api.get("/api/v1/entries", {"page": 2}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


def test_cors_for_reads_only(api, sample):
    assert api.get("/api/v1/orgs", HTTP_ORIGIN="https://example.org")["Access-Control-Allow-Origin"] == "*"
    pre = api.options("/api/v1/entries", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert pre.status_code == 204 and "GET" in pre["Access-Control-Allow-Methods"]
    assert "POST" not in pre["Access-Control-Allow-Methods"]


def test_application_status_is_not_cached(api, tree):
    response = api.get("/api/v1/applications/YSQ-X-2025-00001", {"code": "AAAA2222"})
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"


def test_rate_limit_429_in_chinese(api, settings, db):
    settings.GONGKAI_RATE_LIMITS = {"api": (3, 60)}
    codes = [api.get("/api/v1/orgs").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    last = api.get("/api/v1/orgs")
    assert last.json()["error"]["code"] == "rate_limited" and "过于频繁" in last.json()["error"]["message"]
    assert int(last["Retry-After"]) > 0
    # Another address has its own allowance.
    assert api.get("/api/v1/orgs", REMOTE_ADDR="10.9.8.7").status_code == 200


def test_nul_characters_are_a_400_not_a_database_error(api, sample):
    for url, params in [("/api/v1/categories", {"org": "QH\x000101"}), ("/api/v1/search", {"q": "低\x00保"})]:
        response = api.get(url, params)
        assert response.status_code == 400, url
        assert "控制字符" in response.json()["error"]["message"]
    assert api.get("/search/", {"q": "低\x00保"}).status_code == 200


def test_nul_in_a_json_body_is_a_400(api, tree):
    response = api.post(
        "/api/v1/applications", data='{"unit": "\\u0000", "name": "x"}', content_type="application/json"
    )
    assert response.status_code == 400 and "控制字符" in response.json()["error"]["message"]
