"""The static 留言选登 and statistics pages: built with the site, refreshed by a task when a reply is published
or taken down, masked, and with the figures the 检查指标 ask for."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from gongkai.interaction import handling, intake, selectors
from gongkai.portal.builder import build_site

from .conftest import message_data


def page(*parts: str) -> str:
    return (Path(settings.SITE_DIR).joinpath(*parts) / "index.html").read_text(encoding="utf-8")


def test_published_reply_reaches_the_static_page(
    answered: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    m = answered(content="我是李大山，电话13912345678，村东头路灯坏了。")
    build_site()
    assert "暂无公开的留言" in page("dongshan", "messages")
    with django_capture_on_commit_callbacks(execute=True):
        handling.publish(actor=people["signer"], message=m)
    html = page("dongshan", "messages")
    assert "村东头路灯坏了" in html and "东山镇民政办" in html and "李**" in html
    assert "李大山" not in html and "13912345678" not in html
    assert "互动交流" in page("dongshan")  # the unit's navigation links to it
    with django_capture_on_commit_callbacks(execute=True):
        handling.withhold(actor=people["signer"], message=m, reason="留言人要求撤下")
    assert "村东头路灯坏了" not in page("dongshan", "messages")


def test_statistics(tree: Any, people: dict[str, Any], today: Any) -> None:
    today(date(2025, 9, 26))
    on_time, code = intake.submit_online(unit=tree.town, data=message_data())
    late, _ = intake.submit_online(unit=tree.town, data=message_data(content="第二条：希望修缮村文化礼堂的屋顶。"))
    intake.submit_online(unit=tree.town, data=message_data(content="第三条：尚未答复的留言内容。"))
    for m in (on_time, late):
        handling.accept(actor=people["admin"], message=m)
        handling.assign(actor=people["admin"], message=m, office=tree.office)
        handling.draft(actor=people["drafter"], message=m, text="答复内容：已安排处理。")
    today(date(2025, 9, 30))
    on_time = handling.reply(actor=people["drafter"], message=on_time)
    today(date(2025, 10, 14))  # due 10 October
    late = handling.reply(actor=people["drafter"], message=late)
    handling.rate(message=on_time, code=code, value="basic")
    m1 = on_time.__class__.objects.get(pk=on_time.pk)
    stats = selectors.statistics(tree.town.pk, 2025)
    total = stats["total"]
    assert (total["received"], total["answered"], total["on_time"]) == (3, 2, 1)
    # 28, 29, 30 Sept = 3; 28, 29, 30 Sept, 9, 10, 11 (调休), 13, 14 Oct = 8 → 5.5
    assert total["average_workdays"] == 5.5
    assert (total["rated"], total["satisfaction_rate"], total["on_time_rate"]) == (1, 100.0, 50.0)
    assert [row["month"] for row in stats["months"]] == [9]
    assert m1.status == "closed"
    build_site()
    assert "5.5" in page("dongshan", "messages", "stats") and "全年" in page("dongshan", "messages", "stats")
