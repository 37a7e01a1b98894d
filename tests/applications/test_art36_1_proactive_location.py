"""Art. 36(1): 所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径 — a reply marked 已主动公开
must say where the information is (``proactive_location``); otherwise it is refused on that field."""

from datetime import date

import pytest

from gongkai.applications import replies
from gongkai.applications.models import Reply
from gongkai.core.errors import ValidationFailed


def test_proactive_reply_without_location_is_refused(receive, people, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    with pytest.raises(ValidationFailed) as exc:
        replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 10), proactive=True)
    assert "第三十六条第（一）项" in exc.value.errors["proactive_location"][0]
    assert not Reply.objects.exists()
    answer = replies.reply(
        actor=people["drafter"],
        application=app,
        result="granted",
        on=date(2025, 3, 10),
        proactive=True,
        proactive_location="东山镇政府信息公开网站“社会救助 › 低保”栏目",
    )
    assert answer.proactive_location.startswith("东山镇")


def test_only_granted_can_be_proactive(receive, people, today):
    today(date(2025, 3, 20))
    app = receive(date(2025, 3, 3))
    with pytest.raises(ValidationFailed) as exc:
        replies.reply(
            actor=people["drafter"],
            application=app,
            result="unable.not_held",
            on=date(2025, 3, 10),
            proactive=True,
            proactive_location="网站",
        )
    assert "proactive" in exc.value.errors
