"""Django serving the same pages in development: 404s, odd input, caching headers, escaping."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongkai.catalog import services
from tests.factories import category


@pytest.mark.parametrize(
    "url",
    [
        "/nosuchunit/",
        "/dongshan-mzb/",  # an office: publishes through its township, has no site
        "/dongshan/list/nosuchcolumn/",
        "/dongshan/list/notices/p99/",
        "/dongshan/list/notices/p0/",
        "/dongshan/info/999999/",
        "/dongshan/info/abc/",
        "/dongshan/nosuchpage/",
        "/dongshan/list/nosuchcolumn/feed.xml",
        "/media/attachments/QH0101/aa/nothing.pdf",
    ],
)
def test_unknown_paths_are_404_in_site_design(sample: dict[str, Any], client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and 'lang="zh-CN"' in text and "Traceback" not in text


def test_entry_of_another_unit_and_drafts_are_404(sample: dict[str, Any], draft: Any, client: Client) -> None:
    assert client.get(f"/chengguan/info/{sample['policy'].pk}/").status_code == 404
    unpublished = draft(title="尚未发布的草稿")
    assert client.get(f"/dongshan/info/{unpublished.pk}/").status_code == 404
    assert client.get(f"/dongshan/info/{sample['policy'].pk}/").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["?page=abc", "?page=-1&page=2", "?q=%3Cscript%3Ealert(1)%3C/script%3E", "?%00=%ff", "?a=" + "x" * 3000],
)
def test_odd_query_strings_are_ignored(sample: dict[str, Any], client: Client, query: str) -> None:
    plain = client.get("/dongshan/list/normative/")
    odd = client.get("/dongshan/list/normative/" + query)
    assert odd.status_code == 200 and odd.content == plain.content


def test_caching_headers_and_conditional_get(sample: dict[str, Any], client: Client) -> None:
    url = f"/dongshan/info/{sample['policy'].pk}/"
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["ETag"].startswith('"') and "Last-Modified" in first
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    stale = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    home = client.get("/dongshan/")
    assert home["ETag"] and home["Content-Type"] == "text/html; charset=utf-8"


def test_etag_changes_when_page_changes(sample: dict[str, Any], people: Any, client: Client) -> None:
    url = f"/dongshan/info/{sample['policy'].pk}/"
    before = client.get(url)["ETag"]
    services.withdraw(actor=people["admin"], entry=sample["policy"], reason="内容有误")
    assert client.get(url, headers={"If-None-Match": before}).status_code == 200


def test_markup_in_title_is_text(tree: Any, draft: Any, publish: Any, client: Client) -> None:
    entry = publish(
        draft(
            title='<script>alert("x")</script><img src=x onerror=alert(1)>',
            body='<p onclick="alert(1)">正文</p><script>alert(2)</script><a href="javascript:alert(3)">链接</a>',
            category=category(tree.town, "notices"),
        )
    )
    text = client.get(f"/dongshan/info/{entry.pk}/").content.decode()
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in text
    assert "onclick" not in text and "javascript:alert" not in text
    listing = client.get("/dongshan/list/notices/").content.decode()
    assert "<script>alert" not in listing


def test_attachment_download_only_when_published(sample: dict[str, Any], people: Any, client: Client) -> None:
    att = sample["policy"].attachments.get()
    response = client.get(att.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().startswith("村名")
    # a CSV is downloaded under its own name, not shown as a page of the site
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "filename*=utf-8''" in response["Content-Disposition"].lower()
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    services.withdraw(actor=people["admin"], entry=sample["policy"], reason="撤回")
    assert client.get(att.file.url).status_code == 404


def test_pages_have_landmarks_and_title(sample: dict[str, Any], client: Client) -> None:
    policy = sample["policy"]
    text = client.get(f"/dongshan/info/{policy.pk}/").content.decode()
    assert f"<title>{policy.title} - " in text and f'<h1 class="entry-title">{policy.title}</h1>' in text
    for needle in (
        '<html lang="zh-CN">',
        '<main id="main"',
        'class="skip" href="#main"',
        "<header",
        "<footer",
        '<svg role="img"',
        "索引号",
        "成文日期",
        "发布机构",
        "有效性",
        "主题词",
        "低保标准.csv",
        "（CSV，",
        "/apply/",
        policy.index_number,
    ):
        assert needle in text, needle
    # No inline script or event handler anywhere: a strict CSP can be switched on later.
    assert "<script>" not in text and " onclick=" not in text and " onload=" not in text


def test_guide_and_codes_pages(sample: dict[str, Any], tree: Any, client: Client) -> None:
    guide = client.get("/dongshan/guide/").content.decode()
    for needle in (
        tree.town.phone,
        tree.town.address,
        "20 个工作日",
        "国办函〔2020〕109号",
        "行政规范性文件",
    ):
        assert needle in guide, needle
    codes = client.get("/dongshan/codes/").content.decode()
    assert "QH0101" in codes and "{code}/{year}-{serial:05d}" in codes and "QH0201" in codes


def test_annual_reports_list(tree: Any, draft: Any, publish: Any, client: Client) -> None:
    report = publish(
        draft(title="东山镇2024年政府信息公开工作年度报告", category=category(tree.town, "annual-reports"))
    )
    publish(draft(title="无关通知"))
    text = client.get("/dongshan/annual-reports/").content.decode()
    assert report.title in text and "无关通知" not in text


def test_qr_code_encodes_the_page_address(sample: dict[str, Any]) -> None:
    from gongkai.portal.qr import qr_svg

    svg = str(qr_svg("http://127.0.0.1:8000/dongshan/info/1/"))
    assert svg.startswith('<svg role="img"') and 'viewBox="0 0 ' in svg and "<script" not in svg
    assert qr_svg("http://a/1/") != qr_svg("http://a/2/")


def test_unknown_api_path_is_json_404_and_staff_one_the_site_page(sample: dict[str, Any], client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    response = client.get("/staff/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
