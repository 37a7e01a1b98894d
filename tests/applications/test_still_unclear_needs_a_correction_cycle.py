"""（四）3 补正后申请内容仍不明确 (table 三) needs a full 补正 cycle (《条例》第三十条): a correction requested and
a corrected application received. During the correction window it is refused; after the window passed with no
correction the valid result is （六）1 逾期不补正, and the error says so."""

from datetime import date

import pytest

from gongkai.applications import handling, replies
from gongkai.core.errors import ValidationFailed

STILL_UNCLEAR = "unable.still_unclear"


def requested(receive, people):
    app = receive(date(2025, 3, 3))
    return handling.request_correction(
        actor=people["drafter"], application=app, on=date(2025, 3, 4), items="请写明村组", due=date(2025, 3, 18)
    )


def test_art30_refused_without_any_correction_request(receive, people, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    with pytest.raises(ValidationFailed) as exc:
        replies.reply(actor=people["drafter"], application=app, result=STILL_UNCLEAR, on=date(2025, 3, 20))
    assert exc.value.field == "result" and "补正通知" in exc.value.message


def test_art30_refused_while_the_correction_window_is_open(receive, people, today):
    today(date(2025, 3, 10))
    app = requested(receive, people)
    with pytest.raises(ValidationFailed) as exc:
        replies.reply(actor=people["drafter"], application=app, result=STILL_UNCLEAR, on=date(2025, 3, 10))
    assert exc.value.field == "result" and "尚未届满" in exc.value.message


def test_art30_after_the_window_without_correction_the_result_is_other_1(receive, people, today):
    today(date(2025, 3, 25))
    app = requested(receive, people)
    with pytest.raises(ValidationFailed) as exc:
        replies.reply(actor=people["drafter"], application=app, result=STILL_UNCLEAR, on=date(2025, 3, 25))
    assert "（六）其他处理 1" in exc.value.message and "逾期不补正" in exc.value.message
    answer = replies.lapse_correction(actor=people["drafter"], application=app, on=date(2025, 3, 25))
    assert answer.result_id == "other.no_correction"


def test_art30_allowed_after_the_corrected_application_arrived(receive, people, today):
    today(date(2025, 3, 25))
    app = requested(receive, people)
    app = handling.record_correction(actor=people["drafter"], application=app, on=date(2025, 3, 12))
    answer = replies.reply(actor=people["drafter"], application=app, result=STILL_UNCLEAR, on=date(2025, 3, 25))
    assert answer.result_id == STILL_UNCLEAR
