"""GETs never write: every staff page a role can open (each URL without arguments, every entry's detail, edit,
screening and attachment pages, the case pages, the password-reset form) leaves every table as it was and
adds no audit event. The only row a visit may touch is the visitor's own session (messages shown once)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.core.models import AuditEvent
from tests.factories import entries_in_every_state

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


def _walk(patterns: list[Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out += _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            out.append(prefix + str(p.pattern))
    return out


def argless_staff_urls() -> list[str]:
    return sorted("/" + r for r in _walk(get_resolver().url_patterns) if r.startswith("staff/") and "<" not in r)


@pytest.fixture
def world(tree, people) -> dict[str, Any]:
    from gongkai.applications import intake

    entries = entries_in_every_state(tree, people)
    case, _code = intake.submit_online(
        unit=tree.town,
        data={
            "applicant_type": "natural_person",
            "name": "欧阳读页",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13912345678",
            "email": "reader@example.com",
            "address": "清河县东山镇人民路8号",
            "description": "申请公开2024年道路养护经费",
            "info_form": "electronic",
            "delivery": "email",
        },
    )
    urls = argless_staff_urls()
    for entry in entries.values():
        urls += [
            reverse("staff:entry_detail", args=[entry.pk]),
            reverse("staff:entry_edit", args=[entry.pk]),
            reverse("screening:entry", args=[entry.pk]),
        ]
        urls += [reverse("staff:attachment_download", args=[entry.pk, a.pk]) for a in entry.attachments.all()]
    urls.append(reverse("applications_staff:detail", args=[case.pk]))
    urls.append(reverse("staff:reset_password", args=[people["drafter"].pk]))
    return {"entries": entries, "case": case, "urls": urls}


def snapshot() -> dict[str, Any]:
    """Every row of every model (sessions by count only: a visit may mark its messages as read)."""
    out: dict[str, Any] = {}
    for model in apps.get_models():
        manager = model._base_manager
        if model is Session:
            out[model._meta.label] = manager.count()
        else:
            out[model._meta.label] = sorted(map(repr, manager.order_by("pk").values_list()))
    return out


def test_the_walk_covers_the_known_pages(world):
    urls = world["urls"]
    for expected in ("/staff/", "/staff/otp/setup/", "/staff/audit/export.csv", "/staff/applications/"):
        assert expected in urls, expected
    assert sum("/staff/entries/" in u for u in urls) >= 3 * 6


@pytest.mark.parametrize("role", ROLES)
def test_gets_change_nothing(role, people, world):
    client = Client(raise_request_exception=False)
    client.force_login(people[role])
    before = snapshot()
    events = AuditEvent.objects.count()
    answers = {}
    for url in world["urls"]:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        answers[url] = response.status_code
    assert [f"{u} → {s}" for u, s in answers.items() if s >= 500] == []
    assert AuditEvent.objects.count() == events
    after = snapshot()
    changed = sorted(label for label in before if before[label] != after[label])
    assert changed == [], {label: (before[label], after[label]) for label in changed}
    # Some pages answered with content for this role (not only redirects and refusals).
    assert any(s == 200 for s in answers.values())
