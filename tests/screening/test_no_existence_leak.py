"""The screening pages answer another unit's entry exactly like a missing one (issue 17 #6: 403 for "exists but not
yours" and 404 for "no such entry" let anyone count another unit's drafts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog import services


@pytest.fixture
def town_draft(draft, people):
    return services.submit_for_review(actor=people["drafter"], entry=draft(title="东山镇待审核的信息"))


@pytest.mark.parametrize(
    "name, method",
    [("screening:entry", "get"), ("screening:mask", "post"), ("screening:rescan", "post")],
)
def test_another_units_entry_looks_missing(client, people, town_draft, name, method):
    client.force_login(people["street_admin"])
    mine = getattr(client, method)(reverse(name, args=[town_draft.pk]))
    missing = getattr(client, method)(reverse(name, args=[town_draft.pk + 100000]))
    assert mine.status_code == missing.status_code == 404
    assert "东山镇" not in mine.content.decode()


def test_the_reviewer_of_the_unit_still_sees_it(client, people, town_draft):
    client.force_login(people["reviewer"])
    assert client.get(reverse("screening:entry", args=[town_draft.pk])).status_code == 200
