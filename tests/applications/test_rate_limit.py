"""The public form and the tracking lookup are rate-limited per address, with a clear Chinese 429."""

from django.urls import reverse

from gongkai.applications.models import Application

from .conftest import applicant


def test_submit_limit(client, tree, settings):
    settings.GONGKAI_APPLY_RATE_LIMITS = {"submit": (2, 3600)}
    url = reverse("applications:form", args=[tree.town.slug])
    for _ in range(2):
        assert client.post(url, applicant()).status_code == 302
    response = client.post(url, applicant(description="第三份申请的内容"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "过于频繁" in html and "分钟后再试" in html and "第三份申请的内容" in html
    assert int(response["Retry-After"]) > 0
    assert Application.objects.count() == 2
    # Another address is not affected.
    assert client.post(url, applicant(), REMOTE_ADDR="10.1.2.3").status_code == 302


def test_track_limit(client, settings, db):
    settings.GONGKAI_APPLY_RATE_LIMITS = {"track": (3, 600)}
    url = reverse("applications:track")
    codes = [client.post(url, {"tracking": "YSQ-X-2025-00001", "code": "AAAA2222"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
