"""The 公众号 export: one self-contained HTML (inline styles, data: images, no external resource), the weekly
digest, and the record of the posted article."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from gongkai.catalog import services as catalog
from gongkai.channels import selectors, services, wechat
from gongkai.channels.models import ChannelPost
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.screening import services as screening
from gongkai.screening.models import ScanResult


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def entry(draft, people, django_capture_on_commit_callbacks):
    e = draft(
        title="关于李家村道路硬化工程的公示",
        body="<p>工程情况如下。</p><table><tr><th>项目</th><th>金额</th></tr><tr><td>道路</td><td>12万</td></tr></table>"
        '<p><img src="/media/attachments/x/site.png" alt="现场"></p><p><img src="https://evil.example/track.gif"></p>',
    )
    catalog.add_attachment(actor=people["drafter"], entry=e, name="site.png", stream=io.BytesIO(_png()))
    with django_capture_on_commit_callbacks(execute=True):  # the image's OCR scan runs, as in production
        e = catalog.submit_for_review(actor=people["drafter"], entry=e)
    for result in ScanResult.objects.filter(entry=e, is_current=True):
        if result.needs_acceptance:  # a photo without text: the reviewer looked at it
            screening.accept_result(actor=people["reviewer"], result=result, reason="已人工查看照片，无个人信息")
    e = catalog.review_pass(actor=people["reviewer"], entry=e)
    return catalog.sign_and_publish(actor=people["signer"], entry=e)


def assert_self_contained(html: str) -> None:
    assert not re.search(r"<link\b|<script\b|<style\b|<iframe\b", html, re.IGNORECASE)
    for src in re.findall(r"""\bsrc\s*=\s*["']([^"']*)""", html, re.IGNORECASE):
        assert src.startswith("data:image/"), src
    assert "url(" not in html
    assert " class=" not in html  # nothing that needs a stylesheet


def test_article_is_self_contained(entry):
    html = wechat.article_html(entry)
    assert_self_contained(html)
    assert html.count("data:image/png;base64,") == 2  # the attached photo and the QR code
    assert "evil.example" not in html and "图片见网站原文" in html
    assert '<table style="' in html and '<td style="' in html and '<p style="' in html
    assert entry.index_number in html and entry.title in html


def test_digest_of_the_week(entry, draft, publish):
    second = publish(draft(title="第二条本周信息"))
    html = wechat.digest_html(entry.unit, timezone.localdate())
    assert_self_contained(html)
    assert entry.title in html and second.title in html and "本周共发布政府信息 2 条" in html
    with pytest.raises(ValidationFailed, match="没有发布信息"):
        wechat.digest_html(entry.unit, timezone.localdate() - timedelta(days=21))


def test_export_refused_for_draft(draft):
    with pytest.raises(ValidationFailed, match="只有已发布"):
        wechat.article_html(draft())


def test_mark_posted_records_and_counts(entry, people):
    post = services.mark_posted(
        actor=people["drafter"], entry=entry, channel="wechat", url="https://mp.weixin.qq.com/s/abc"
    )
    assert post.created_by == people["drafter"]
    assert selectors.entry_channel_counts(entry)["wechat"] == 1
    assert selectors.year_channel_counts(entry.unit, timezone.localdate().year)["wechat"] == 1
    with pytest.raises(ValidationFailed, match="已经记录过"):
        services.mark_posted(
            actor=people["drafter"], entry=entry, channel="wechat", url="https://mp.weixin.qq.com/s/abc"
        )
    with pytest.raises(ValidationFailed) as err:
        services.mark_posted(actor=people["drafter"], entry=entry, channel="tv", url="javascript:alert(1)")
    assert set(err.value.errors) == {"channel", "url"}
    with pytest.raises(NotAllowed):
        services.mark_posted(
            actor=people["street_drafter"], entry=entry, channel="wechat", url="https://mp.weixin.qq.com/s/x"
        )
    assert ChannelPost.objects.count() == 1
