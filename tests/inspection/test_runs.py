"""``run_inspection``: who may start one, what it records (one run, one audit event), the secret-marker veto."""

from __future__ import annotations

import pytest

from gongkai.catalog import services as catalog
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from gongkai.inspection import services
from gongkai.inspection.models import InspectionRun
from gongkai.screening import services as screening
from gongkai.screening.models import Finding
from tests.factories import make_draft
from tests.inspection.conftest import check


def test_a_run_is_recorded_with_one_audit_event(tree, people, today) -> None:
    run = services.run_inspection(actor=people["admin"], unit=tree.town, today=today)
    assert run.ran_by == people["admin"] and run.on_date == today
    assert run.score == run.findings["score"] and run.vetoes == len(run.findings["vetoes"]) > 0
    [event] = AuditEvent.objects.filter(action="inspection.run")
    assert event.org_code == tree.town.code and event.actor_name == "town_admin"
    supervised = services.run_inspection(actor=people["supervisor"], unit=tree.street, today=today)
    assert supervised.unit == tree.street


@pytest.mark.parametrize("role", ["drafter", "signer", "street_admin", "sysadmin"])
def test_others_may_not_start_one(tree, people, role, today) -> None:
    with pytest.raises(NotAllowed, match="只有本单位公开办管理员或县级督查可以发起自查"):
        services.run_inspection(actor=people[role], unit=tree.town, today=today)
    assert not InspectionRun.objects.exists() and not AuditEvent.objects.filter(action="inspection.run").exists()


def test_an_office_is_not_inspected(tree, today) -> None:
    with pytest.raises(ValidationFailed, match="东山镇民政办 不是公开主体"):
        services.run_inspection(actor=None, unit=tree.office, today=today)


def test_a_published_secret_marker_is_a_veto(tree, people, calendar_until_next_year, today) -> None:
    entry = make_draft(tree, people, formed_date=today, body="<p>密级：秘密 本通知仅供内部传达。</p>")
    entry = catalog.submit_for_review(actor=people["drafter"], entry=entry)
    with pytest.raises(ValidationFailed):
        catalog.review_pass(actor=people["reviewer"], entry=entry)
    for f in Finding.objects.filter(result__entry=entry, result__is_current=True):
        screening.accept_finding(actor=people["reviewer"], finding=f, reason="该文件已依法解密")
    catalog.sign_and_publish(actor=people["signer"], entry=catalog.review_pass(actor=people["reviewer"], entry=entry))
    result = services.run_inspection(actor=None, unit=tree.town, today=today).findings
    row = check(result, "secret_markers")
    assert row["vetoed"] and "secret_markers" in result["vetoes"]
    assert "密级标识" in row["problems"][0]["message"] and "立即撤回" in row["problems"][0]["fix"]
    assert check(result, "live_pii")["count"] == 0
