"""The county supervisor drills down from the 通报 (issue 21): each unit's name on the staff bulletin page links to
信息管理 filtered to that unit, and 信息管理 has a unit filter for users who see more than one unit."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from gongkai.catalog import services
from tests.factories import PASSWORD, category


def test_unit_names_in_the_bulletin_open_that_units_entries(client, people, tree, draft, publish, today):
    today(date(2025, 6, 5))
    town_entry = publish(draft(title="东山镇六月的通知", formed_date=date(2025, 6, 3)))
    street_entry = services.create_draft(
        actor=people["street_drafter"], unit=tree.street, publisher=tree.street, category=category(tree.street),
        title="城关街道六月的通知", formed_date=date(2025, 6, 3), summary="六月通知。", body="<p>通知。</p>",
    )  # fmt: skip
    street_entry = services.submit_for_review(actor=people["street_drafter"], entry=street_entry)
    street_entry = services.review_pass(actor=people["street_admin"], entry=street_entry)
    street_entry = services.sign_and_publish(actor=people["street_signer"], entry=street_entry)
    today(date(2025, 7, 10))
    assert client.login(username=people["supervisor"].username, password=PASSWORD)
    page = client.get(reverse("reports:bulletin"), {"org": tree.county.code, "period": "2025-06"}).content.decode()
    link = f"{reverse('staff:entry_list')}?org={tree.street.code}"
    assert f'<a href="{link}">{tree.street.name}</a>' in page
    listed = client.get(link).content.decode()
    assert street_entry.title in listed and town_entry.title not in listed
    assert f'<option value="{tree.street.code}" selected>' in listed
    everything = client.get(reverse("staff:entry_list")).content.decode()
    assert street_entry.title in everything and town_entry.title in everything


def test_the_unit_filter_is_only_offered_with_more_than_one_unit(client, people, draft):
    draft()
    assert client.login(username=people["drafter"].username, password=PASSWORD)
    assert 'name="org"' not in client.get(reverse("staff:entry_list")).content.decode()


def test_an_unknown_or_foreign_unit_code_is_said_not_500(client, people, tree, draft):
    draft()
    assert client.login(username=people["supervisor"].username, password=PASSWORD)
    for code in ("NOPE", "'; drop table", "x" * 500):
        response = client.get(reverse("staff:entry_list"), {"org": code})
        assert response.status_code == 200 and "没有您可以查看的该单位代码" in response.content.decode()
