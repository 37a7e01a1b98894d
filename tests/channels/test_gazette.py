"""The printed gazette: A4 pages, a table of contents with every entry's 索引号, the period, the print run."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.utils import timezone

from gongkai.channels import gazette, selectors, services
from gongkai.channels.models import GazetteIssue
from gongkai.core.errors import ValidationFailed
from tests.channels.test_poster import _margins_blank


def test_parse_period():
    assert gazette.parse_period("2026-11").text == "2026年11月01日至2026年11月30日"
    assert gazette.parse_period("2026-q4").text == "2026年10月01日至2026年12月31日"
    assert gazette.parse_period("2024-02").end.day == 29
    for bad in ("2026-13", "2026-Q5", "26-11", "", "2026/11", "1999-01"):
        with pytest.raises(ValidationFailed) as err:
            gazette.parse_period(bad)
        assert "period" in err.value.errors


def test_gazette_pages_toc_and_print_run(tree, draft, publish, people):
    entries = [publish(draft(title=f"东山镇第{n}号公告", body="<p>" + "内容" * 200 + "</p>")) for n in range(3)]
    today = timezone.localdate()
    period_text = f"{today.year}-{today.month:02d}"
    period = gazette.parse_period(period_text)
    pdf = gazette.render_gazette(tree.town, period)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2 + len(entries)  # cover, contents, one article each
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    _margins_blank(pdf, 22, bottom_mm=8)  # the page number sits in the bottom margin
    toc = reader.pages[1].extract_text().replace("\n", "")
    assert "目" in toc
    for n, e in enumerate(entries):
        assert e.index_number in toc and e.title in toc
        assert e.title in reader.pages[2 + n].extract_text().replace("\n", "")
    issue = services.record_gazette(actor=people["admin"], unit=tree.town, period=period_text, copies="1200")
    assert issue.copies == 1200 and issue.entries.count() == 3
    assert selectors.entry_channel_counts(entries[0])["gazette"] == 1
    assert "编印政府公报1期共1200份" in selectors.year_summary(tree.town, today.year)
    with pytest.raises(ValidationFailed, match="印数"):
        services.record_gazette(actor=people["admin"], unit=tree.town, period=period_text, copies="-3")
    assert GazetteIssue.objects.count() == 1


def test_empty_period_is_a_valid_booklet(tree, db):
    pdf = gazette.render_gazette(tree.town, gazette.parse_period("2020-01"))
    assert "本期间没有发布政府信息" in "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
