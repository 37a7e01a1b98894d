"""A unit states once, with a reason, that a 标准目录 事项 does not apply to it; the coverage check then never
calls it due. Bad input is refused in Chinese with what was typed kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.inspection import services
from gongkai.inspection.models import ItemExemption
from tests.inspection.conftest import check

ITEM = "涉农补贴·补贴发放结果"


def _state(unit, today, key=ITEM) -> str:
    row = check(services.run_inspection(actor=None, unit=unit, today=today).findings, "standard_coverage")
    return {i["key"]: i for i in row["data"]["items"]}[key]["state"]


def test_an_item_marked_not_applicable_is_never_due(tree, people, today) -> None:
    assert _state(tree.town, today) == "due"
    services.set_item_applies(
        actor=people["admin"], unit=tree.town, item=ITEM, applies=False, reason="本镇无涉农补贴发放职能"
    )
    assert _state(tree.town, today) == "exempt"
    assert AuditEvent.objects.filter(action="inspection.item_exempt", comment="本镇无涉农补贴发放职能").count() == 1
    services.set_item_applies(actor=people["admin"], unit=tree.town, item=ITEM, applies=True)
    assert _state(tree.town, today) == "due"
    assert AuditEvent.objects.filter(action="inspection.item_restore").count() == 1


def test_bad_input_and_other_roles(tree, people) -> None:
    with pytest.raises(ValidationFailed, match="请填写不涉及的理由"):
        services.set_item_applies(actor=people["admin"], unit=tree.town, item=ITEM, applies=False, reason=" 无 ")
    with pytest.raises(ValidationFailed, match="标准目录中没有事项“城市综合执法·违章”"):
        services.set_item_applies(
            actor=people["admin"], unit=tree.town, item="城市综合执法·违章", applies=False, reason="本镇不涉及此事项"
        )
    with pytest.raises(NotAllowed):
        services.set_item_applies(
            actor=people["supervisor"], unit=tree.town, item=ITEM, applies=False, reason="本镇不涉及此事项"
        )
    assert not ItemExemption.objects.exists()


def test_the_page_keeps_what_was_typed(client, tree, people) -> None:
    client.force_login(people["admin"])
    client.post(reverse("inspection:recheck", args=[tree.town.code]))
    url = reverse("inspection:item_applies", args=[tree.town.code])
    response = client.post(url, {"item": ITEM, "applies": "0", "reason": "无"})
    html = response.content.decode()
    assert response.status_code == 400 and "请填写不涉及的理由（至少 5 个字）" in html and 'value="无"' in html
    assert not ItemExemption.objects.exists()
    response = client.post(url, {"item": ITEM, "applies": "0", "reason": "本镇无涉农补贴发放职能"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "不涉及：本镇无涉农补贴发放职能" in html and "恢复为涉及" in html
