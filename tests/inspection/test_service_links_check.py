"""The self-inspection opens every 办事服务 link of the unit's live columns (loopback servers stand in for the
provincial 政务服务网): one that answers an error or cannot be reached is a problem with the way to fix it and
costs a point, up to three; links of retired columns and of other units are not opened."""

from __future__ import annotations

from gongkai.catalog import categories
from gongkai.inspection import services
from tests.factories import category
from tests.inspection.conftest import check
from tests.procs import free_port


def test_no_links_is_said_and_costs_nothing(tree, today):
    row = check(services.run_inspection(actor=None, unit=tree.town, today=today).findings, "service_links")
    assert row["count"] == 0 and row["deducted"] == 0 and "未设置办事服务链接" in row["summary"]


def test_dead_links_are_problems_and_cost_points(tree, people, site, today):
    base, server = site.url.rstrip("/"), site
    site.status, site.statuses["/ok"] = 404, 200
    add = categories.add_service_link
    admin = people["admin"]
    add(actor=admin, category=category(tree.town, "dibao"), name="最低生活保障申请", url=f"{base}/ok/dibao")
    add(actor=admin, category=category(tree.town, "dibao"), name="临时救助申请", url=f"{base}/moved/linshi")
    add(actor=admin, category=category(tree.town, "notices"), name="已关停", url=f"http://127.0.0.1:{free_port()}/")
    add(actor=people["street_admin"], category=category(tree.street, "dibao"), name="街道", url=f"{base}/street")
    run = services.run_inspection(actor=None, unit=tree.town, today=today)
    row = check(run.findings, "service_links")
    assert row["count"] == 2 and row["deducted"] == 2
    assert "办事服务链接 3 个，打不开 2 个" in row["summary"]
    messages = [p["message"] for p in row["problems"]]
    assert any("临时救助申请" in m and "HTTP 状态 404" in m for m in messages)
    assert any("已关停" in m and "无法连接" in m for m in messages)
    assert all("/staff/catalog/" in p["link"] and "/services/" in p["link"] for p in row["problems"])
    assert "/street" not in server.seen  # another unit's link is not opened


def test_at_most_three_points_and_retired_columns_are_skipped(tree, people, site, today):
    base, server = site.url.rstrip("/"), site
    site.status = 404
    column = category(tree.town, "dibao")
    for n in range(5):
        categories.add_service_link(actor=people["admin"], category=column, name=f"事项{n}", url=f"{base}/gone/{n}")
    row = check(services.run_inspection(actor=None, unit=tree.town, today=today).findings, "service_links")
    assert row["count"] == 5 and row["deducted"] == 3
    categories.set_retired(actor=people["admin"], category=column, retired=True)
    server.seen.clear()
    row = check(services.run_inspection(actor=None, unit=tree.town, today=today).findings, "service_links")
    assert row["count"] == 0 and server.seen == []
