"""The 自查 staff pages: a unit administrator sees their unit's latest run with findings and links and can queue
a re-check; the county supervisor sees every unit with score, veto and the monthly history chart; others get
nothing of another unit."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from gongkai.inspection import services
from gongkai.inspection.models import InspectionRun


def test_the_unit_admin_rechecks_and_sees_findings_with_links(client, tree, people) -> None:
    client.force_login(people["admin"])
    page = client.get(reverse("inspection:unit", args=[tree.town.code]))
    assert page.status_code == 200 and "尚未检查" in page.content.decode()
    assert not InspectionRun.objects.exists()  # GET never writes
    response = client.post(reverse("inspection:recheck", args=[tree.town.code]))
    assert response.status_code == 302  # the task ran at once (immediate backend in tests)
    run = InspectionRun.objects.get(unit=tree.town)
    assert run.ran_by == people["admin"]
    html = client.get(response["Location"]).content.decode()
    assert "不合格" in html and "单项否决" in html and "空白栏目“工作动态”" in html
    assert f'href="/staff/catalog/?unit={tree.town.pk}#c' in html and "去处理" in html
    assert "<svg" in html
    assert "基层政务公开标准目录事项" in html and "最低生活保障" in html and "逾期未公开" in html
    index = client.get(reverse("inspection:index")).content.decode()
    assert tree.town.name in index and tree.street.name not in index


def test_the_county_sees_every_unit_with_its_history(client, tree, people) -> None:
    for unit in (tree.county, tree.town, tree.street):
        services.run_inspection(actor=None, unit=unit)
    services.run_inspection(actor=None, unit=tree.town, today=timezone.localdate() - timedelta(days=62))
    client.force_login(people["supervisor"])
    html = client.get(reverse("inspection:index")).content.decode()
    for unit in (tree.county, tree.town, tree.street):
        assert unit.name in html
    assert html.count("<svg") == 3 and "<polyline" in html  # the township has two months
    assert client.get(reverse("inspection:unit", args=[tree.street.code])).status_code == 200


def test_other_units_and_roles_see_nothing(client, tree, people) -> None:
    client.force_login(people["street_admin"])
    assert client.get(reverse("inspection:unit", args=[tree.town.code])).status_code == 404
    assert client.post(reverse("inspection:recheck", args=[tree.town.code])).status_code == 404
    client.force_login(people["drafter"])
    assert client.get(reverse("inspection:unit", args=[tree.town.code])).status_code == 404
    assert "您没有可查看自查结果的单位" in client.get(reverse("inspection:index")).content.decode()
    assert client.get(reverse("inspection:recheck", args=[tree.town.code])).status_code == 405
    assert not InspectionRun.objects.exists()
