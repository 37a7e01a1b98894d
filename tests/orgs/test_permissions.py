"""The role matrix: who may do what to whose entries. Every cell is checked through the services."""

import pytest

from gongkai.catalog import selectors, services
from gongkai.catalog.categories import create_category
from gongkai.core.errors import NotAllowed
from tests.factories import category

ROLES = [
    "drafter",
    "other_drafter",
    "reviewer",
    "signer",
    "admin",
    "street_drafter",
    "street_admin",
    "street_signer",
    "supervisor",
    "sysadmin",
    "auditor",
]

# Which roles may draft in the township (as its 民政办) — the drafter of the 民政办 and the unit admin.
DRAFT_IN_TOWN = {"drafter", "admin"}
READ_TOWN_DRAFT = {"drafter", "reviewer", "signer", "admin", "supervisor"}
REVIEW_TOWN = {"reviewer", "admin"}
SIGN_TOWN = {"signer"}
MANAGE_TOWN = {"admin"}


@pytest.mark.parametrize("role", ROLES)
def test_create_draft(role, tree, people):
    fields = {"category": category(tree.town), "publisher": tree.office, "title": "测试", "formed_date": "2025-03-03"}
    if role in DRAFT_IN_TOWN:
        assert services.create_draft(actor=people[role], unit=tree.town, **fields).pk
    else:
        with pytest.raises(NotAllowed):
            services.create_draft(actor=people[role], unit=tree.town, **fields)


@pytest.mark.parametrize("role", ROLES)
def test_read_and_edit_unpublished(role, draft, people):
    entry = draft()
    visible = selectors.visible_entries(people[role]).filter(pk=entry.pk).exists()
    assert visible is (role in READ_TOWN_DRAFT)
    if role in DRAFT_IN_TOWN:
        services.update_draft(actor=people[role], entry=entry, title="改")
    else:
        with pytest.raises(NotAllowed):
            services.update_draft(actor=people[role], entry=entry, title="改")


@pytest.mark.parametrize("role", ROLES)
def test_review(role, draft, people):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft())
    if role in REVIEW_TOWN:
        services.review_pass(actor=people[role], entry=entry)
    else:
        with pytest.raises(NotAllowed):
            services.review_pass(actor=people[role], entry=entry)


@pytest.mark.parametrize("role", ROLES)
def test_sign(role, draft, people):
    entry = services.review_pass(
        actor=people["reviewer"], entry=services.submit_for_review(actor=people["drafter"], entry=draft())
    )
    if role in SIGN_TOWN:
        services.sign_and_publish(actor=people[role], entry=entry)
    else:
        with pytest.raises(NotAllowed):
            services.sign_and_publish(actor=people[role], entry=entry)


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_and_catalog(role, draft, people, publish, tree):
    entry = publish(draft())
    if role in MANAGE_TOWN:
        services.withdraw(actor=people[role], entry=entry, reason="有误")
        create_category(actor=people[role], unit=tree.town, name="新栏目", slug="new-col")
    else:
        with pytest.raises(NotAllowed):
            services.withdraw(actor=people[role], entry=entry, reason="有误")
        with pytest.raises(NotAllowed):
            create_category(actor=people[role], unit=tree.town, name="新栏目", slug="new-col")


def test_drafter_of_other_office_cannot_publish_in_name_of_民政办(tree, people):
    with pytest.raises(NotAllowed):
        services.create_draft(
            actor=people["other_drafter"],
            unit=tree.town,
            category=category(tree.town),
            publisher=tree.office,
            title="冒名",
            formed_date="2025-03-03",
        )


def test_supervisor_reads_every_unit_below_but_changes_nothing(tree, people, draft):
    town_entry = draft()
    street_entry = services.create_draft(
        actor=people["street_drafter"],
        unit=tree.street,
        category=category(tree.street),
        title="街道草稿",
        formed_date="2025-03-03",
    )
    seen = set(selectors.visible_entries(people["supervisor"]).values_list("pk", flat=True))
    assert {town_entry.pk, street_entry.pk} <= seen
    with pytest.raises(NotAllowed):
        services.update_draft(actor=people["supervisor"], entry=street_entry, title="改")


def test_street_staff_never_see_township_drafts(tree, people, draft):
    entry = draft()
    for role in ("street_drafter", "street_admin", "street_signer"):
        assert not selectors.visible_entries(people[role]).filter(pk=entry.pk).exists()


def test_sysadmin_sees_no_drafts(people, draft):
    draft()
    assert not selectors.visible_entries(people["sysadmin"]).exists()
