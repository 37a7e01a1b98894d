"""LED screens: the feed cut to the screen's lines, expiry at the end of the notice's period, the static
files the portal builder writes (and rewrites on publish and withdrawal), and bad screens."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from gongkai.catalog import services as catalog
from gongkai.channels import config, led, services
from gongkai.core.errors import NotAllowed, NotFound, ValidationFailed
from gongkai.portal import builder


@pytest.fixture
def screen(tree, people):
    return services.save_screen(
        actor=people["admin"], unit=tree.town, slug="dongshan-gate", name="镇政府门前大屏", line_length=10, line_count=2
    )


def test_cut_to_line_length_and_count():
    assert led.cut("一二三四五六七八九十", 4, 3) == ["一二三四", "五六七八", "九十"]
    assert led.cut("一二三四五六七八九十", 4, 2) == ["一二三四", "五六七…"]
    assert led.cut("  多个   空格 ", 10, 1) == ["多个 空格"]
    with pytest.raises(ValidationFailed, match="大于 0"):
        led.cut("文字", 0, 2)


def test_feed_shows_current_notices_cut(screen, draft, publish):
    entry = publish(draft(title="关于春节期间森林防火的紧急通知"))
    text = led.feed_text(screen)
    page = text.strip().split("\n\n")[0].split("\n")
    assert len(page) == 2 and all(len(line) <= 10 for line in page)
    assert page[0] == "【东山镇民政办】关于"[:10]
    assert page[1].endswith("…")
    data = json.loads(led.feed_json(screen))
    assert data["line_length"] == 10 and data["pages"][0]["entry"] == entry.pk
    assert data["pages"][0]["index_number"] == entry.index_number


def test_notice_expires_when_its_period_ends(screen, draft, publish, people):
    entry = publish(draft(title="短期公示"))
    days = config.get("led_notice").value
    today = timezone.localdate()
    assert [n.entry_id for n in led.notices(screen, today + timedelta(days=days - 1))] == [entry.pk]
    assert led.notices(screen, today + timedelta(days=days)) == []
    assert "暂无公告" in led.feed_text(screen, today + timedelta(days=days))
    # a withdrawn notice is gone at once
    catalog.withdraw(actor=people["admin"], entry=entry, reason="内容有误，撤回更正")
    assert led.notices(screen, today) == []


def test_bad_screens(screen, tree, people):
    with pytest.raises(NotFound, match="没有标识为"):
        led.get_screen("no-such-screen")
    with pytest.raises(ValidationFailed) as err:
        services.save_screen(
            actor=people["admin"], unit=tree.town, slug="Bad Slug!", name="", line_length=0, line_count="两"
        )
    assert set(err.value.errors) == {"slug", "name", "line_length", "line_count"}
    assert "大于 0" in err.value.errors["line_length"][0]
    with pytest.raises(NotAllowed):
        services.save_screen(actor=people["drafter"], unit=tree.town, slug="x", name="屏", line_length=8, line_count=2)
    with pytest.raises(ValidationFailed, match="其他单位"):
        services.save_screen(
            actor=people["street_admin"], unit=tree.street, slug="dongshan-gate", name="屏", line_length=8, line_count=2
        )
    assert led.get_screen("DONGSHAN-GATE") == screen


def test_builder_writes_static_feeds_and_refreshes_them(
    screen, draft, publish, people, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    site = settings.SITE_DIR
    first = publish(draft(title="第一条公告"))
    builder.build_site()
    txt = site / "led" / "dongshan-gate.txt"
    assert txt.read_text(encoding="utf-8").startswith("【东山镇民政办】第一\n条公告")
    assert (
        json.loads((site / "led" / "dongshan-gate.json").read_text(encoding="utf-8"))["pages"][0]["entry"] == first.pk
    )
    with capture(execute=True):  # after commit: the page refresh task (run at once in tests)
        second = publish(draft(title="第二条公告"))
    pages = json.loads((site / "led" / "dongshan-gate.json").read_text(encoding="utf-8"))["pages"]
    assert [p["entry"] for p in pages] == [second.pk, first.pk]
    with capture(execute=True):
        catalog.withdraw(actor=people["admin"], entry=second, reason="撤回测试公告")
    pages = json.loads((site / "led" / "dongshan-gate.json").read_text(encoding="utf-8"))["pages"]
    assert [p["entry"] for p in pages] == [first.pk]
    # a screen taken out of use: its files are removed
    with capture(execute=True):  # screens_changed → the unit's pages and feeds are rewritten
        services.save_screen(
            actor=people["admin"],
            unit=screen.unit,
            slug=screen.slug,
            name=screen.name,
            line_length=10,
            line_count=2,
            is_active=False,
        )
    assert not txt.exists()


def test_led_command_prints_refreshes_and_refuses_bad_screens(screen, draft, publish, people):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from gongkai.channels.models import Screen

    entry = publish(draft(title="停水通知"))
    out = io.StringIO()
    call_command("led", "dongshan-gate", stdout=out)
    assert out.getvalue().startswith("【东山镇民政办】停水")
    out = io.StringIO()
    call_command("led", "dongshan-gate", "--json", stdout=out)
    assert json.loads(out.getvalue())["pages"][0]["entry"] == entry.pk
    with pytest.raises(CommandError, match="尚未生成"):
        call_command("led", "--refresh", stdout=io.StringIO())
    builder.build_site()
    catalog.withdraw(actor=people["admin"], entry=entry, reason="已恢复供水，撤回")  # no refresh queued here
    feed = settings.SITE_DIR / "led" / "dongshan-gate.json"
    assert json.loads(feed.read_text(encoding="utf-8"))["pages"]  # stale until rewritten
    call_command("led", "--refresh", stdout=io.StringIO())
    assert json.loads(feed.read_text(encoding="utf-8"))["pages"] == []
    with pytest.raises(CommandError, match="没有标识为"):
        call_command("led", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="请给出显示屏标识"):
        call_command("led", stdout=io.StringIO())
    Screen.objects.filter(pk=screen.pk).update(line_length=0)  # a row edited by hand in the database
    with pytest.raises(CommandError, match="每行字数或行数为 0"):
        call_command("led", "dongshan-gate", stdout=io.StringIO())
