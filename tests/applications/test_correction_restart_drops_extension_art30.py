"""《条例》第三十条: the answer period restarts from receipt of the corrected application; an extension
approved in the superseded period does not carry over (a new extension may be approved in the new one)."""

from datetime import date

from gongkai import rules
from gongkai.applications import clock, handling
from gongkai.workdays.calendar import add_workdays


def test_art30_restart_discards_the_earlier_extension(receive, people, today):
    today(date(2025, 4, 30))
    app = receive(date(2025, 3, 3))
    handling.extend(
        actor=people["drafter"],
        application=app,
        on=date(2025, 3, 4),
        days=10,
        reason="需调取档案",
        approved_by=people["signer"],
        notified_on=date(2025, 3, 4),
    )
    handling.request_correction(
        actor=people["drafter"], application=app, on=date(2025, 3, 5), items="请写明村组", due=date(2025, 3, 19)
    )
    app = handling.record_correction(actor=people["drafter"], application=app, on=date(2025, 3, 13))
    state = clock.state_of(app)
    assert state.extension_days == 0
    assert app.due_date == add_workdays(date(2025, 3, 13), rules.get("answer").workdays)
    assert "不再计入" in state.lines[-1].text
    # The new period may be extended by the full maximum again.
    app = handling.extend(
        actor=people["drafter"],
        application=app,
        on=date(2025, 3, 20),
        days=rules.get("extension").workdays,
        reason="仍需核对",
        approved_by=people["signer"],
        notified_on=date(2025, 3, 20),
    )
    assert app.due_date == add_workdays(date(2025, 3, 13), 20 + 20)
