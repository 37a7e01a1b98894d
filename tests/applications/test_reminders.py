"""Dashboards and daily reminders (in-app notices and an e-mail digest)."""

from datetime import date

from django.core import mail
from django.core.management import call_command

from gongkai.applications import handling, selectors
from gongkai.applications.models import Application, Notice


def test_dashboard_and_reminders(receive, people, tree, today):
    today(date(2025, 3, 26))
    soon = receive(date(2025, 3, 3))  # due 03-31: 3 working days left
    late = receive(date(2025, 2, 5))  # due 03-06: overdue
    waiting = receive(date(2025, 3, 24))
    handling.request_correction(
        actor=people["drafter"], application=waiting, on=date(2025, 3, 25), items="村组", due="2025-04-08"
    )
    consulting = receive(date(2025, 3, 20))
    handling.start_consultation(
        actor=people["drafter"], application=consulting, on=date(2025, 3, 21), party="third_party", who="某公司"
    )
    board = selectors.dashboard(Application.objects.filter(unit=tree.town), today=date(2025, 3, 26))
    assert (board.due_soon, board.overdue, board.awaiting_correction, board.in_consultation) == (1, 1, 1, 1)

    people["drafter"].email = "xiaozhou@example.com"
    people["drafter"].save()
    call_command("remind", "--date", "2025-03-26")
    kinds = set(Notice.objects.filter(user=people["drafter"]).values_list("application__tracking_number", "kind"))
    assert (soon.tracking_number, "due_soon") in kinds and (late.tracking_number, "overdue") in kinds
    signer_kinds = set(Notice.objects.filter(user=people["signer"]).values_list("kind", flat=True))
    assert {"due_soon", "overdue"} <= signer_kinds  # the office head is told too
    assert any("xiaozhou@example.com" in m.to for m in mail.outbox)
    digest = next(m for m in mail.outbox if "xiaozhou@example.com" in m.to)
    assert late.tracking_number in digest.body and "王建国" not in digest.body
    before = Notice.objects.count()
    call_command("remind", "--date", "2025-03-26")  # running twice the same day adds nothing
    assert Notice.objects.count() == before
