"""The entry table (``catalog.lifecycle``): every row refuses the wrong state with a Chinese InvalidTransition
and the wrong role with its NotAllowed, through ``check`` and through the row's service alike; ``available``
is what the entry page offers each role."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.catalog import lifecycle, services
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.core.errors import InvalidTransition, NotAllowed
from tests.factories import entries_in_every_state

S = EntryStatus
ROLES = ["drafter", "other_drafter", "reviewer", "signer", "admin", "street_admin", "street_signer", "supervisor"]
#: the drafter, reviewer, signer, manager, and a user of another unit
PAGE_ROLES = ["drafter", "reviewer", "signer", "admin", "street_admin"]
DRAFTING = {"submit", "edit_draft", "attach", "remove_attachment"}

#: What each role of the township (and a street's administrator) may do to a township entry in each state,
#: written out by hand: the table is checked against this, not against itself.
EXPECTED: dict[str, dict[str, set[str]]] = {
    S.DRAFT: {"drafter": DRAFTING | {"set_related"}, "admin": DRAFTING | {"set_related"}},
    S.RETURNED: {"drafter": DRAFTING | {"set_related"}, "admin": DRAFTING | {"set_related"}},
    S.REVIEW: {
        "reviewer": {"review_pass", "review_return", "attach", "remove_attachment"},
        "admin": {"review_pass", "review_return", "attach", "remove_attachment", "set_related"},
    },
    S.SIGNOFF: {"signer": {"sign_publish", "sign_return"}, "admin": {"set_related"}},
    S.PUBLISHED: {"admin": {"withdraw", "edit_published", "set_validity", "set_related"}},
    S.WITHDRAWN: {"admin": {"set_related"}},
}

REASON = "理由：内容需要调整"


def _call(name: str) -> Callable[[Any, Entry], Any]:
    """The service a row stands for, called with valid arguments."""
    calls: dict[str, Callable[[Any, Entry], Any]] = {
        "submit": lambda u, e: services.submit_for_review(actor=u, entry=e),
        "review_pass": lambda u, e: services.review_pass(actor=u, entry=e),
        "review_return": lambda u, e: services.review_return(actor=u, entry=e, comment=REASON),
        "sign_publish": lambda u, e: services.sign_and_publish(actor=u, entry=e),
        "sign_return": lambda u, e: services.sign_return(actor=u, entry=e, comment=REASON),
        "withdraw": lambda u, e: services.withdraw(actor=u, entry=e, reason=REASON),
        "edit_draft": lambda u, e: services.update_draft(actor=u, entry=e, title="改过的标题"),
        "edit_published": lambda u, e: services.edit_published(actor=u, entry=e, reason=REASON, title="改过的标题"),
        "attach": lambda u, e: services.add_attachment(
            actor=u, entry=e, name="补充.csv", stream=io.BytesIO("项目,金额\n道路,100\n".encode())
        ),
        "remove_attachment": lambda u, e: services.remove_attachment(actor=u, attachment=e.attachments.get()),
        "set_validity": lambda u, e: services.set_validity(actor=u, entry=e, validity="valid"),
        "set_related": lambda u, e: services.set_related(actor=u, entry=e, related=[]),
    }
    return calls[name]


def test_every_row_has_a_service_here():
    assert set(lifecycle.RULES) == set(EXPECTED[S.DRAFT]["drafter"]) | {
        "review_pass",
        "review_return",
        "sign_publish",
        "sign_return",
        "withdraw",
        "edit_published",
        "set_validity",
    }
    for name in lifecycle.RULES:
        assert _call(name)


@pytest.fixture
def entries(tree, people) -> dict[str, Entry]:
    return entries_in_every_state(tree, people)


def _fresh(entry: Entry) -> Entry:
    return Entry.objects.select_related("unit", "publisher").get(pk=entry.pk)


def _raises(exc_type: type[Exception], message: str, run: Callable[..., Any], *args: Any) -> None:
    with pytest.raises(exc_type) as caught:
        run(*args)
    assert getattr(caught.value, "message", str(caught.value)) == message


@pytest.mark.parametrize("name", list(lifecycle.RULES))
def test_wrong_state_is_an_invalid_transition_in_chinese(name, entries, people):
    rule = lifecycle.RULES[name]
    wrong = [s for s in S.values if s not in rule.sources]
    if rule.sources == lifecycle.ALL_STATES:
        assert wrong == []  # applies in every state: only the role decides (tested below)
    for status in wrong:
        entry = _fresh(entries[status])
        label = S(status).label
        expected = rule.wrong_status.format(status=label) or f"当前状态为“{label}”，不能执行“{rule.label}”"
        assert re.search(r"[\u4e00-\u9fff]", expected)
        # The state is judged before the role: the unit's administrator is told the same as anyone.
        for who in ("admin", "signer", "drafter"):
            _raises(InvalidTransition, expected, lifecycle.check, name, entry, people[who], REASON)
        _raises(InvalidTransition, expected, _call(name), people["admin"], entry)
        assert _fresh(entry).status == status


@pytest.mark.parametrize("name", list(lifecycle.RULES))
def test_wrong_role_is_not_allowed(name, entries, people):
    rule = lifecycle.RULES[name]
    for status in sorted(rule.sources):
        allowed = {role for role, names in EXPECTED[status].items() if name in names}
        for role in ROLES:
            entry = _fresh(entries[status])
            if role in allowed:
                assert lifecycle.check(name, entry, people[role], REASON) is rule
                continue
            _raises(NotAllowed, rule.denied, lifecycle.check, name, entry, people[role], REASON)
            _raises(NotAllowed, rule.denied, _call(name), people[role], entry)
            assert _fresh(entry).status == status


@pytest.mark.parametrize("name", [n for n, r in lifecycle.RULES.items() if r.needs_comment])
def test_rows_that_need_a_reason_say_so(name, entries, people):
    rule = lifecycle.RULES[name]
    status = next(iter(rule.sources))
    who = next(role for role, names in EXPECTED[status].items() if name in names)
    _raises(
        InvalidTransition,
        f"“{rule.label}”必须填写理由",
        lambda: lifecycle.check(name, _fresh(entries[status]), people[who], "  "),
    )


@pytest.mark.parametrize("status", list(S.values))
def test_available_is_what_the_table_allows(status, entries, people):
    entry = _fresh(entries[status])
    for role in ROLES:
        got = [rule.name for rule in lifecycle.available(entry, people[role])]
        assert set(got) == EXPECTED[status].get(role, set()), role
        assert got == [n for n in lifecycle.RULES if n in got]  # transitions first, in table order


def _shown(html: str, pk: int) -> set[str]:
    """The actions an entry page offers, read off its forms and links."""
    base = f"/staff/entries/{pk}/"
    shown = set(re.findall(rf'action="{base}do/(\w+)/"', html))
    if f'href="{base}edit/"' in html:
        shown.add("edit")
    if f'action="{base}attachments/"' in html:
        shown.add("attach")
    if re.search(rf'action="{base}attachments/\d+/remove/"', html):
        shown.add("remove_attachment")
    if f'action="{base}validity/"' in html:
        shown.add("set_validity")
    return shown


@pytest.mark.parametrize("status", list(S.values))
def test_the_entry_page_offers_what_available_says(status, entries, people):
    entry = _fresh(entries[status])
    for role in PAGE_ROLES:
        client = Client()
        client.force_login(people[role])
        response = client.get(reverse("staff:entry_detail", args=[entry.pk]))
        if role == "street_admin":
            # Another unit's entry is not on their staff pages at all, and the table offers them nothing.
            assert response.status_code == 404 and lifecycle.available(entry, people[role]) == []
            continue
        assert response.status_code == 200
        names = {rule.name for rule in lifecycle.available(entry, people[role])}
        names = {"edit" if n in ("edit_draft", "edit_published") else n for n in names} - {"set_related"}
        assert _shown(response.content.decode(), entry.pk) == names, role
