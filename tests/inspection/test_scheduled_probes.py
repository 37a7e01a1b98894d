"""Scheduled availability probes (国办秘函〔2019〕19号 站点无法访问: a week of probes, ≥20 a day): ``gongkai
probe-site`` records one probe per call against a loopback server, and the self-inspection's availability check
counts them with its own probe, so one failing run among a day of good probes is not a veto."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.core.errors import ValidationFailed
from gongkai.inspection import probes, services
from gongkai.inspection.models import SiteProbe
from tests.inspection.conftest import check

pytestmark = pytest.mark.django_db


def _probe(url: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("probe-site", "--url", url, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_each_call_records_one_probe_and_says_how_the_day_goes(site):
    srv, url = site, site.url
    code, text = _probe(url)
    assert code == 0 and "探测正常" in text and "今天已探测 1 次，失败 0 次" in text
    srv.status = 503
    code, text = _probe(url)
    assert code == 1 and "探测失败：HTTP 状态 503" in text and "今天已探测 2 次，失败 1 次" in text
    assert list(SiteProbe.objects.order_by("at").values_list("ok", flat=True)) == [True, False]


def test_the_inspection_counts_the_scheduled_probes(tree, site, today):
    srv, url = site, site.url
    for _ in range(19):
        probes.probe_site(url)
    srv.status = 500
    run = services.run_inspection(actor=None, unit=tree.town, url=url, today=today)
    row = check(run.findings, "availability")
    assert "共探测 20 次，失败 1 次（5.0%" in row["summary"] and row["vetoed"]  # 1 in 20 is the 5% threshold
    srv.status = 200
    probes.probe_site(url)
    row = check(services.run_inspection(actor=None, unit=tree.town, url=url, today=today).findings, "availability")
    assert "共探测 22 次，失败 1 次" in row["summary"] and not row["vetoed"]


def test_probes_outside_the_week_are_not_counted_and_old_ones_are_pruned(tree, site, today):
    url = site.url
    probes.probe_site(url)
    SiteProbe.objects.update(at=timezone.now() - timedelta(days=8))
    row = check(services.run_inspection(actor=None, unit=tree.town, url=url, today=today).findings, "availability")
    assert "共探测 1 次" in row["summary"]  # only the run's own probe
    SiteProbe.objects.update(at=timezone.now() - timedelta(days=40))
    probes.probe_site(url)
    assert SiteProbe.objects.count() == 1


def test_bad_or_missing_addresses_are_refused_in_chinese(settings):
    with pytest.raises(ValidationFailed) as caught:
        probes.probe_site("ftp://example.gov.cn/")
    assert "应以 http:// 或 https:// 开头" in caught.value.errors["url"][0]
    settings.GONGKAI_INSPECTION_URL = ""
    with pytest.raises(CommandError, match="未设置探测网址：请用 --url 指定") as stopped:
        call_command("probe-site")
    assert stopped.value.returncode == 2
    with pytest.raises(CommandError, match="应以 http:// 或 https:// 开头"):
        call_command("probe-site", "--url", "example.gov.cn")
    assert not SiteProbe.objects.exists()
