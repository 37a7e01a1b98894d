"""A double click on 生成 never makes two letters or takes two numbers: the form's one-time key finds the
first letter, and while a letter of that kind is still being rendered, asking again returns it."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse

from gongkai.applications import letters
from gongkai.applications.models import Letter
from gongkai.core.models import AuditEvent
from tests.factories import PASSWORD


def test_the_same_form_posted_twice_makes_one_letter(client, people, receive, today):
    from gongkai.applications import replies

    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 10))
    client.login(username=people["drafter"].username, password=PASSWORD)
    page = client.get(reverse("applications_staff:detail", args=[app.pk])).content.decode()
    key = page.split('name="request_key" value="')[1].split('"')[0]
    assert len(key) == 32
    url = reverse("applications_staff:action", args=[app.pk, "letter"])
    form = {"kind": "grant", "on": "2025-03-10", "request_key": key}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    letter = Letter.objects.get()
    assert letter.number == "东山镇政公开〔2025〕1号"
    assert AuditEvent.objects.filter(action="application.letter").count() == 1
    # The same (restored) form used for another letter is not a repeat.
    client.post(url, {**form, "kind": "correction"})
    assert Letter.objects.count() == 2


def test_a_letter_still_rendering_is_not_numbered_again(people, receive, today):
    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    one = letters.generate(actor=people["drafter"], application=app, kind="correction", on=date(2025, 3, 4))
    two = letters.generate(actor=people["drafter"], application=app, kind="correction", on=date(2025, 3, 4))
    assert one.pk == two.pk and one.status == "pending"  # another tab, another key: still the same letter
    letters.render(one.pk)
    three = letters.generate(actor=people["drafter"], application=app, kind="correction", on=date(2025, 3, 4))
    assert three.pk != one.pk and three.number == "东山镇政公开〔2025〕2号"  # a finished one may be followed


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_clicks_on_postgresql(settings):
    """Eight requests with the same key at the same moment: the case row lock lets one number the letter."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite serialises writers anyway)")
    from gongkai.applications import intake, replies
    from tests.applications.conftest import applicant
    from tests.factories import make_people, make_tree

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # rendering is not tested
    # Result codes and letter templates come from a data migration, which an earlier test's flush removed.
    call_command("applications", "load-rules", verbosity=0)
    tree = make_tree()
    people = make_people(tree)
    app, _ = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="in_person", received_on=date(2025, 3, 3)
    )
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 10))
    n = 8
    barrier = threading.Barrier(n)
    made: list[int] = []
    errors: list[BaseException] = []

    def click() -> None:
        try:
            barrier.wait()
            letter = letters.generate(
                actor=people["drafter"], application=app, kind="grant", on=date(2025, 3, 10), request_key="same"
            )
            made.append(letter.pk)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(made)) == 1 and Letter.objects.count() == 1
    assert AuditEvent.objects.filter(action="application.letter").count() == 1
