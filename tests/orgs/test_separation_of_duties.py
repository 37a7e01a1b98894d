"""三员 in role grants (issue 17 item 2): nobody grants themselves a role, and a 系统管理员 or 审计员 account holds no
other role — so a system administrator cannot make themselves a case handler and read applicants' data."""

from __future__ import annotations

import pytest

from gongkai.accounts.services import create_user
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.orgs.models import Role
from gongkai.orgs.services import grant_role
from tests.factories import PASSWORD


def test_no_one_grants_a_role_to_themselves(people, tree):
    with pytest.raises(NotAllowed):
        grant_role(actor=people["sysadmin"], user=people["sysadmin"], org=tree.town, role=Role.UNIT_ADMIN)


@pytest.mark.parametrize("role", [Role.UNIT_ADMIN, Role.DRAFTER, Role.SUPERVISOR, Role.AUDITOR])
def test_a_system_administrator_holds_no_other_role(people, tree, role):
    other = create_user(actor=None, username="second_sysadmin", password=PASSWORD)
    grant_role(actor=None, user=other, org=tree.county, role=Role.SYSADMIN)
    org = tree.county if role == Role.SUPERVISOR else tree.town
    with pytest.raises(ValidationFailed) as exc:
        grant_role(actor=people["sysadmin"], user=other, org=org, role=role)
    assert exc.value.errors["role"][0].startswith("三员分立：")


def test_a_case_handler_cannot_become_auditor_or_sysadmin(people, tree):
    for role in (Role.AUDITOR, Role.SYSADMIN):
        with pytest.raises(ValidationFailed) as exc:
            grant_role(actor=people["sysadmin"], user=people["admin"], org=tree.county, role=role)
        assert "该账号已是公开办管理员" in exc.value.errors["role"][0]


def test_ordinary_combinations_still_work(people, tree):
    grant_role(actor=people["sysadmin"], user=people["drafter"], org=tree.town, role=Role.REVIEWER)
    grant_role(actor=people["sysadmin"], user=people["sysadmin"].__class__.objects.get(username="auditor"),
               org=tree.street, role=Role.AUDITOR)  # the same role at a second org  # fmt: skip
