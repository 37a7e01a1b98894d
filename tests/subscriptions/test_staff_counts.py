"""邮件订阅 for staff (issue 24): a unit admin sees how many follow the unit and what, a county supervisor the
units below; counts only — no address on the page — and nobody else may open it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import category

from .conftest import subscribe_and_confirm


def test_counts_without_addresses(client, people, tree, django_capture_on_commit_callbacks):
    public = Client()
    dibao = category(tree.town, "dibao")
    subscribe_and_confirm(public, django_capture_on_commit_callbacks, "a@example.cn", target="unit")
    subscribe_and_confirm(
        public, django_capture_on_commit_callbacks, "b@example.cn", target="category", category=str(dibao.pk)
    )
    subscribe_and_confirm(public, django_capture_on_commit_callbacks, "c@example.cn", target="query", query="低保")
    subscribe_and_confirm(
        public, django_capture_on_commit_callbacks, "e@example.cn", target="village", village=str(tree.village.pk)
    )
    with django_capture_on_commit_callbacks(execute=True):
        public.post("/subscribe/dongshan/", {"email": "d@example.cn", "target": "unit"})  # never confirmed
    client.force_login(people["admin"])
    page = client.get(reverse("subscriptions_staff:index"))
    html = page.content.decode()
    assert page.status_code == 200 and tree.town.name in html and tree.street.name not in html
    row = html[html.index(tree.town.name) :]
    cells = [c.split("<")[0] for c in row.split("<td>")[1:8]]
    assert cells == ["4", "1", "1", "1", "1", "1", "0"]  # active, whole, category, village, query, pending, gone
    assert f"{dibao.name}（1）" in row
    assert "@example.cn" not in html

    client.force_login(people["supervisor"])
    html = client.get(reverse("subscriptions_staff:index")).content.decode()
    assert tree.town.name in html and tree.street.name in html


def test_only_unit_admins_and_supervisors(client, people):
    for who in ("drafter", "signer", "sysadmin", "auditor"):
        client.force_login(people[who])
        assert client.get(reverse("subscriptions_staff:index")).status_code == 403
