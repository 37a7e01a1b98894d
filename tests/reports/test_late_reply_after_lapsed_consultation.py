"""The bulletin's 逾期答复 reads the due date the clock caches at the reply: a consultation left open past the
consulted party's deadline (《条例》第三十二条, rule ``consultation``) stops pausing at that deadline, so a reply
months later is late; one answered within the resumed period is not. Cases closed before the fix get the
same due dates with ``gongkai applications recompute --closed``."""

from datetime import date

from gongkai.applications import clock, handling, replies
from gongkai.applications.models import Application
from gongkai.reports.bulletin import bulletin_data


def consulted(case, people, today, received, ended, replied):
    today(replied)
    app = case(received)
    handling.start_consultation(
        actor=people["admin"], application=app, on=received, party="third_party", who="东山建材有限公司"
    )
    handling.end_consultation(actor=people["admin"], application=app, on=ended, outcome="未答复")
    replies.reply(actor=people["admin"], application=app, result="granted", on=replied)
    app.refresh_from_db()
    return app


def test_art32_reply_months_after_a_lapsed_consultation_is_late(tree, people, case, today):
    late = consulted(case, people, today, date(2025, 2, 10), date(2025, 6, 3), date(2025, 6, 4))
    on_time = consulted(case, people, today, date(2025, 5, 6), date(2025, 5, 20), date(2025, 6, 5))
    assert late.reply.replied_on > late.due_date
    assert on_time.reply.replied_on <= on_time.due_date
    today(date(2025, 7, 10))
    town = next(r for r in bulletin_data(tree.county, "2025-06")["rows"] if r["name"] == tree.town.name)
    assert town["late_replies"] == 1


def test_recompute_closed_rewrites_a_stale_due_date(tree, people, case, today):
    app = consulted(case, people, today, date(2025, 2, 10), date(2025, 6, 3), date(2025, 6, 4))
    right = app.due_date
    Application.objects.filter(pk=app.pk).update(due_date=date(2025, 9, 1))  # as the unbounded pause left it
    assert clock.recompute_open() == 0  # closed cases are left alone by default
    assert clock.recompute_open(closed=True) == 1
    app.refresh_from_db()
    assert app.due_date == right
