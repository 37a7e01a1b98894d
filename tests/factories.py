"""Builders for tests and benchmarks: call services, never save models directly, so fixtures are real."""

from __future__ import annotations

import itertools
from typing import Any

from gongkai.accounts.services import create_user
from gongkai.catalog import services
from gongkai.catalog.categories import seed_catalog
from gongkai.catalog.models import Category
from gongkai.orgs.models import OrgKind, Role
from gongkai.orgs.services import create_org, grant_role

PASSWORD = "Gk-test-2025!"
_seq = itertools.count(1)


def make_tree() -> Any:
    from tests.conftest import Tree

    county = create_org(
        actor=None, code="QH0001", name="清河县人民政府", kind=OrgKind.COUNTY, slug="qinghe", short_name="清河县"
    )
    town = create_org(
        actor=None,
        code="QH0101",
        name="清河县东山镇人民政府",
        kind=OrgKind.TOWNSHIP,
        parent=county,
        slug="dongshan",
        short_name="东山镇",
        phone="0571-88880101",
        address="东山镇人民路1号",
    )
    street = create_org(
        actor=None,
        code="QH0201",
        name="清河县城关街道办事处",
        kind=OrgKind.STREET,
        parent=county,
        slug="chengguan",
        short_name="城关街道",
    )
    office = create_org(
        actor=None, code="QH010101", name="东山镇民政办", kind=OrgKind.OFFICE, parent=town, slug="dongshan-mzb"
    )
    other = create_org(
        actor=None, code="QH010102", name="东山镇财政所", kind=OrgKind.OFFICE, parent=town, slug="dongshan-czs"
    )
    village = create_org(
        actor=None, code="QH010103", name="东山镇李家村", kind=OrgKind.VILLAGE, parent=town, slug="dongshan-lijia"
    )
    for unit in (county, town, street):
        seed_catalog(actor=None, unit=unit)
    return Tree(county=county, town=town, street=street, office=office, village=village, other_office=other)


def make_user(username: str, org: Any, role: str) -> Any:
    user = create_user(actor=None, username=username, password=PASSWORD, full_name=username)
    grant_role(actor=None, user=user, org=org, role=role)
    return user


def make_people(tree: Any) -> dict[str, Any]:
    return {
        "drafter": make_user("town_drafter", tree.office, Role.DRAFTER),
        "other_drafter": make_user("town_other_drafter", tree.other_office, Role.DRAFTER),
        "reviewer": make_user("town_reviewer", tree.town, Role.REVIEWER),
        "signer": make_user("town_signer", tree.town, Role.SIGNER),
        "admin": make_user("town_admin", tree.town, Role.UNIT_ADMIN),
        "street_drafter": make_user("street_drafter", tree.street, Role.DRAFTER),
        "street_admin": make_user("street_admin", tree.street, Role.UNIT_ADMIN),
        "street_signer": make_user("street_signer", tree.street, Role.SIGNER),
        "supervisor": make_user("county_supervisor", tree.county, Role.SUPERVISOR),
        "sysadmin": make_user("sysadmin", tree.county, Role.SYSADMIN),
        "auditor": make_user("auditor", tree.county, Role.AUDITOR),
    }


def category(unit: Any, slug: str = "notices") -> Category:
    return Category.objects.get(unit=unit, slug=slug)


def make_draft(tree: Any, people: dict[str, Any], **kwargs: Any) -> Any:
    from datetime import date

    fields: dict[str, Any] = {
        "title": f"关于开展第{next(_seq)}次农村人居环境整治的通知",
        "category": category(tree.town),
        "publisher": tree.office,
        "formed_date": date(2025, 3, 3),
        "summary": "部署农村人居环境整治工作。",
        "body": "<p>各村：现将有关事项通知如下。</p>",
    }
    fields.update(kwargs)
    actor = fields.pop("actor", people["drafter"])
    return services.create_draft(actor=actor, unit=fields.pop("unit", tree.town), **fields)


def publish_entry(entry: Any, people: dict[str, Any]) -> Any:
    entry = services.submit_for_review(actor=people["drafter"], entry=entry)
    entry = services.review_pass(actor=people["reviewer"], entry=entry)
    return services.sign_and_publish(actor=people["signer"], entry=entry)


def entries_in_every_state(tree: Any, people: dict[str, Any]) -> dict[str, Any]:
    """One township entry, with one small attachment, in each state (draft … withdrawn), through the services."""
    import io

    from gongkai.catalog.models import EntryStatus

    reason = "理由：内容需要调整"

    def start() -> Any:
        entry = make_draft(tree, people)
        services.add_attachment(
            actor=people["drafter"], entry=entry, name="名单.csv", stream=io.BytesIO("项目,金额\n修路,100\n".encode())
        )
        return entry

    def submitted() -> Any:
        return services.submit_for_review(actor=people["drafter"], entry=start())

    def signed() -> Any:
        return services.sign_and_publish(
            actor=people["signer"], entry=services.review_pass(actor=people["reviewer"], entry=submitted())
        )

    out = {
        EntryStatus.DRAFT: start(),
        EntryStatus.RETURNED: services.review_return(actor=people["reviewer"], entry=submitted(), comment=reason),
        EntryStatus.REVIEW: submitted(),
        EntryStatus.SIGNOFF: services.review_pass(actor=people["reviewer"], entry=submitted()),
        EntryStatus.PUBLISHED: signed(),
        EntryStatus.WITHDRAWN: services.withdraw(actor=people["admin"], entry=signed(), reason=reason),
    }
    assert {e.status for e in out.values()} == set(EntryStatus.values)
    return out
