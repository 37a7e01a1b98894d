"""Who may do what with the channels, from ``orgs.permissions``' grants.

A board belongs to an org (the township, an office, a village): the unit's 公开办管理员 and a 信息员 whose
org covers the board's org register it and record its postings (a village clerk records his village's
boards). Screens are the unit's: its 公开办管理员. Posters and exports of a published entry: anyone who works
on the unit's entries. 县级督查 read.
"""

from __future__ import annotations

from typing import Any

from gongkai.orgs import permissions as perms
from gongkai.orgs.models import UNIT_KINDS, Org, Role

WORKING = {Role.DRAFTER, Role.REVIEWER, Role.SIGNER, Role.UNIT_ADMIN}


def can_manage_board(user: Any, org: Org) -> bool:
    return perms.can_draft_in(user, org.unit(), org)


def can_read_unit(user: Any, unit: Org) -> bool:
    return bool(perms.unit_roles(user, unit) & WORKING) or perms.can_supervise(user, unit)


def can_export(user: Any, unit: Org) -> bool:
    return bool(perms.unit_roles(user, unit) & WORKING)


def can_manage_screens(user: Any, unit: Org) -> bool:
    return perms.can_manage_unit(user, unit)


def readable_unit_ids(user: Any) -> list[int]:
    """Units whose channel pages the user sees: where they work, and every unit a supervisor covers."""
    ids = set(perms.units_for(user, *WORKING))
    for grant in perms.grants(user):
        if grant.role == Role.SUPERVISOR:
            below = Org.objects.filter(path__startswith=f"{grant.org_path}{grant.org_id}/", kind__in=UNIT_KINDS)
            ids.update(below.values_list("pk", flat=True))
            ids.add(grant.org_id)
    return sorted(ids)


def board_orgs(user: Any) -> list[Org]:
    """The orgs whose boards ``user`` may register: a 公开办管理员's whole unit, a 信息员's own org and below."""
    found: dict[int, Org] = {}
    for grant in perms.grants(user):
        if grant.role == Role.UNIT_ADMIN:
            root = grant.unit_id
        elif grant.role == Role.DRAFTER:
            root = grant.org_id
        else:
            continue
        org = Org.objects.filter(pk=root, is_active=True).first()
        if org is not None:
            for o in org.subtree().filter(is_active=True):
                found[o.pk] = o
    return sorted(found.values(), key=lambda o: (o.path, o.name))
