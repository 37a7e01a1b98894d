"""The availability probe (站点无法访问: 15 s, ≥5% failed probes in the week) against a loopback server."""

from __future__ import annotations

import socket

import pytest

from gongkai.core.errors import ValidationFailed
from gongkai.inspection import services
from gongkai.inspection.checks import probe
from tests.inspection.conftest import check
from tests.procs import free_port


def test_a_reachable_site_passes(tree, site, today) -> None:
    run = services.run_inspection(actor=None, unit=tree.town, url=site.url, today=today)
    row = check(run.findings, "availability")
    assert row["measured"] and not row["vetoed"] and row["count"] == 0
    assert run.findings["probe"]["ok"] is True
    assert "本次探测正常" in row["summary"]


def test_an_error_status_and_a_closed_port_fail(tree, site, today) -> None:
    site.status = 503
    run = services.run_inspection(actor=None, unit=tree.town, url=site.url, today=today)
    row = check(run.findings, "availability")
    assert row["vetoed"] and "HTTP 状态 503" in row["problems"][0]["message"]
    ok, error, _ = probe(f"http://127.0.0.1:{free_port()}/", 15)
    assert not ok and "无法连接" in error


def test_a_timeout_fails(site) -> None:
    # A listening socket that never answers: the probe gives up after its timeout.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        ok, error, seconds = probe(f"http://127.0.0.1:{silent.getsockname()[1]}/", 0.5)
    assert not ok and "秒内未打开" in error and seconds < 5


def test_failures_count_over_the_week(tree, site, today) -> None:
    url = site.url
    for _ in range(19):
        services.run_inspection(actor=None, unit=tree.town, url=url, today=today)
    site.status = 500
    run = services.run_inspection(actor=None, unit=tree.town, url=url, today=today)
    row = check(run.findings, "availability")
    assert "共探测 20 次，失败 1 次（5.0%" in row["summary"] and row["vetoed"]  # 5% is the threshold
    site.status = 200
    run = services.run_inspection(actor=None, unit=tree.town, url=url, today=today)
    assert not check(run.findings, "availability")["vetoed"]  # 1 of 21 < 5%


def test_a_url_without_scheme_is_refused(tree, today) -> None:
    with pytest.raises(ValidationFailed, match=r"探测网址“www\.example\.gov\.cn”应以 http:// 或 https:// 开头"):
        services.run_inspection(actor=None, unit=tree.town, url="www.example.gov.cn", today=today)
