"""``gongkai check-site``: JSON and HTML output, exit 1 on a veto, exit 2 with a Chinese message on bad input;
every inspected unit's run recorded with one audit event."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.catalog import categories
from gongkai.catalog.models import Category
from gongkai.core.models import AuditEvent
from gongkai.inspection.models import InspectionRun
from gongkai.portal.builder import build_site
from tests.factories import make_user


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check-site", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_json_shape_and_exit_one_on_a_veto(tree) -> None:
    code, text = run("--org", "QH0101")
    assert code == 1  # a township with no entries: empty columns, home page never updated
    data = json.loads(text)
    assert data["veto"] is True
    [unit] = data["units"]
    assert unit["unit"] == {"code": "QH0101", "name": "清河县东山镇人民政府"}
    assert {"score", "total", "passed", "verdict", "vetoes", "checks", "fixes", "unmeasured", "date"} <= set(unit)
    assert unit["verdict"] == "不合格" and "home_freshness" in unit["vetoes"]
    row = unit["checks"][0]
    assert {"id", "name", "kind", "kind_label", "measured", "summary", "count", "vetoed", "deducted", "source"} <= set(
        row
    )
    assert unit["fixes"][0]["kind_label"] == "单项否决"
    assert InspectionRun.objects.filter(unit=tree.town).count() == 1
    assert AuditEvent.objects.filter(action="inspection.run", org_code="QH0101").count() == 1


def test_a_county_inspects_all_its_units(tree, tmp_path) -> None:
    site = tmp_path / "site"
    build_site(site)
    code, text = run("--org", "QH0001", "--site", str(site), "--format", "html")
    assert code == 1
    assert "<h2>清河县人民政府（QH0001）</h2>" in text
    assert "清河县东山镇人民政府（QH0101）" in text and "清河县城关街道办事处（QH0201）" in text
    assert "单项否决" in text and "整改建议" in text
    assert InspectionRun.objects.count() == 3


def test_exit_zero_without_a_veto(tree, fresh_columns) -> None:
    admin = make_user("dongshan_admin2", tree.town, "unit_admin")
    while empty := [
        c
        for c in Category.objects.filter(unit=tree.town, is_retired=False, entries__isnull=True).distinct()
        if not c.children.filter(is_retired=False).exists()
    ]:
        for c in empty:
            categories.set_retired(actor=admin, category=c, retired=True)
    code, text = run("--org", "QH0101")
    data = json.loads(text)
    assert data["units"][0]["vetoes"] == [] and code == 0, data["units"][0]["vetoes"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "XX9999"], "没有代码为“XX9999”的单位"),
        (["--org", "QH010101"], "东山镇民政办（QH010101）不是公开主体"),
        (["--org", "QH0101", "--site", "/nonexistent/site"], "网站目录 /nonexistent/site 不存在"),
        (["--org", "QH0101", "--url", "ftp://x"], "应以 http:// 或 https:// 开头"),
    ],
)
def test_bad_input_exits_two_in_chinese(tree, args, message) -> None:
    with pytest.raises(CommandError, match=message) as exc:
        call_command("check-site", *args, stdout=io.StringIO())
    assert exc.value.returncode == 2
    assert not InspectionRun.objects.exists()
