"""Per-channel counts per entry and per year, and the sentence they give section 一 of the annual report."""

from __future__ import annotations

from django.utils import timezone

from gongkai.channels import selectors, services
from gongkai.reports import render


def test_counts_reach_the_annual_report(tree, people, clerk, draft, publish):
    year = timezone.localdate().year
    entry = publish(draft(title="李家村第四季度财务公开"))
    other = publish(draft())
    board = services.save_board(actor=clerk, org=tree.village, name="村务公开栏", place="村口", shows=["finance"])
    services.record_posting(actor=clerk, board=board, entries=[entry], posted_on=timezone.localdate())
    services.mark_posted(actor=people["drafter"], entry=entry, channel="wechat", url="https://mp.weixin.qq.com/s/1")
    services.save_screen(actor=people["admin"], unit=tree.town, slug="gate", name="屏", line_length=12, line_count=2)
    assert selectors.entry_channel_counts(entry) == {"website": 1, "board": 1, "wechat": 1, "led": 1, "gazette": 0}
    assert selectors.entry_channel_counts(other)["board"] == 0
    counts = selectors.year_channel_counts(tree.town, year)
    assert counts == {"website": 2, "board": 1, "wechat": 1, "led": 2, "gazette": 0}
    assert selectors.year_channel_counts(tree.street, year)["website"] == 0
    text = render.build(tree.town, year).sections["section_1"]
    assert "共设立公开栏1个，全年张贴公示1期" in text
    assert "通过微信公众号公开信息1条" in text and "通过公开栏公开信息1条" in text
    # the county's report with its townships sums them
    county = render.build(tree.county, year, include_children=True).sections["section_1"]
    assert "共设立公开栏1个" in county
