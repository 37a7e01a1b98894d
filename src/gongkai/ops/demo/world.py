"""The demo county's org tree, accounts and catalogs, created through the orgs, accounts and catalog services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.accounts.services import create_users
from gongkai.catalog.categories import seed_catalog
from gongkai.catalog.models import Category
from gongkai.orgs.models import Org, OrgKind, Role
from gongkai.orgs.services import create_org, grant_role

from .data import COUNTY, DEMO_PASSWORD, STAFF_NAMES, UNITS


@dataclass
class Unit:
    """A township or street with its offices, villages, catalog and the four accounts that work in it."""

    org: Org
    offices: list[Org]
    villages: list[Org]
    admin: Any
    reviewer: Any
    signer: Any
    clerk: Any
    categories: dict[str, Category] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.org.slug

    @property
    def clerk_office(self) -> Org:
        return self.offices[1]


@dataclass
class World:
    county: Org
    units: dict[str, Unit]
    accounts: list[tuple[str, str]]  # (username, what it is) in the order the command lists them


#: The county's accounts: username, name, role.
COUNTY_ACCOUNTS = (
    ("sysadmin", "系统管理员", Role.SYSADMIN),
    ("auditor", "审计员", Role.AUDITOR),
    ("county_duban", "县公开办督查", Role.SUPERVISOR),
    ("county_admin", "县公开办管理员", Role.UNIT_ADMIN),
)
#: Each unit's accounts: username suffix, role (names from ``STAFF_NAMES``, in this order).
UNIT_ACCOUNTS = (("admin", Role.UNIT_ADMIN), ("review", Role.REVIEWER), ("sign", Role.SIGNER), ("clerk", Role.DRAFTER))


def build() -> World:
    """County first, as the operator's bootstrap (``actor=None``, like ``gongkai org add`` on the server),
    and the system administrator's role; then the sysadmin creates the other orgs and grants the roles.
    Accounts are created as seeding (``actor=None``, one password hash for all) so the published demo
    password does not have to be changed at first login; each unit's 公开办管理员 seeds its catalog."""
    people = [(u, name, "") for u, name, _role in COUNTY_ACCOUNTS]
    for _code, _name, _kind, slug, *_rest in UNITS:
        people += [
            (f"{slug}_{suffix}", name, "") for (suffix, _r), name in zip(UNIT_ACCOUNTS, STAFF_NAMES[slug], strict=True)
        ]
    users = {u.username: u for u in create_users(actor=None, password=DEMO_PASSWORD, people=people)}
    listing: list[tuple[str, str]] = []

    def grant(username: str, org: Org, role: str, granter: Any) -> Any:
        user = users[username]
        grant_role(actor=granter, user=user, org=org, role=role)
        listing.append((username, f"{org.name} · {Role(role).label}"))
        return user

    county = create_org(actor=None, **COUNTY)
    sysadmin = grant("sysadmin", county, Role.SYSADMIN, None)
    for username, _name, role in COUNTY_ACCOUNTS[1:]:
        grant(username, county, role, sysadmin)
    seed_catalog(actor=users["county_admin"], unit=county)

    units: dict[str, Unit] = {}
    for n, (code, name, kind, slug, short, offices, villages) in enumerate(UNITS, start=1):
        org = create_org(
            actor=sysadmin,
            code=code,
            name=name,
            kind=kind,
            parent=county,
            slug=slug,
            short_name=short,
            office_name=f"{short}党政综合办公室",
            address=f"清河县{short}人民路{10 * n + 8}号",
            office_hours="工作日 8:30–12:00，14:30–17:30",
            phone=f"0571-8888{code[-4:]}",
            fax=f"0571-8889{code[-4:]}",
            email=f"{slug}@qinghe.gov.cn",
            postcode="311500",
            functions=f"{short}负责本辖区经济社会发展、社会管理和公共服务等工作。",
        )
        subs = [
            create_org(actor=sysadmin, code=c, name=o, kind=OrgKind.OFFICE, parent=org, slug=s) for c, o, s in offices
        ]
        vils = [
            create_org(actor=sysadmin, code=c, name=v, kind=OrgKind.VILLAGE, parent=org, slug=s) for c, v, s in villages
        ]
        admin, reviewer, signer, clerk = (
            grant(f"{slug}_{suffix}", subs[1] if role == Role.DRAFTER else org, role, sysadmin)
            for suffix, role in UNIT_ACCOUNTS
        )
        unit = Unit(org=org, offices=subs, villages=vils, admin=admin, reviewer=reviewer, signer=signer, clerk=clerk)
        seed_catalog(actor=unit.admin, unit=org)
        unit.categories = {c.slug: c for c in Category.objects.filter(unit=org)}
        units[slug] = unit
    return World(county=county, units=units, accounts=listing)
