"""Posters for the public board: paper size, type inside the page, the QR payload, refusal of an entry with an
unmasked screening finding, and bad input."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pypdfium2
import pytest

from gongkai.catalog import services
from gongkai.catalog.public_urls import entry_absolute
from gongkai.channels import posters
from gongkai.core.errors import ValidationFailed

LONG_TABLE = (
    "<table><thead><tr><th>序号</th><th>户主姓名</th><th>事项</th><th>金额（元）</th><th>备注</th></tr></thead><tbody>"
    + "".join(
        f"<tr><td>{n}</td><td>李*{n}</td><td>2026年第四季度农村低保金发放及临时救助款物发放情况说明</td>"
        f"<td>{n * 137}.00</td><td>{'长' * 40}</td></tr>"
        for n in range(1, 40)
    )
    + "</tbody></table>"
)


@pytest.fixture
def entry(draft, publish):
    body = "<p>经村民代表会议讨论，现将本季度财务收支情况公示如下。</p>" + LONG_TABLE + "<p>" + "公示" * 300 + "</p>"
    return publish(draft(title="东山镇李家村2026年第四季度财务公开", body=body, document_number="东村〔2026〕3号"))


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _margins_blank(pdf: bytes, margin_mm: float, bottom_mm: float | None = None) -> None:
    """Render each page and check that nothing is drawn in the outer margin band: no text overflows.
    ``bottom_mm``: a narrower bottom band, below a page number printed in the margin."""
    doc = pypdfium2.PdfDocument(pdf)
    for index in range(len(doc)):
        image = doc[index].render(scale=1).to_pil().convert("L")
        width, height = image.size
        band = int(margin_mm / 25.4 * 72) - 4  # a little inside the margin
        bottom = int((bottom_mm if bottom_mm is not None else margin_mm) / 25.4 * 72) - 4
        for box in (
            (0, 0, width, band),
            (0, height - bottom, width, height),
            (0, 0, band, height),
            (width - band, 0, width, height),
        ):
            assert image.crop(box).getextrema()[0] > 250, f"page {index + 1}: something drawn in the margin {box}"
    doc.close()


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_poster_page_size_and_no_overflow(entry, size):
    pdf = posters.render_poster(entry, size=size, period=posters.posting_period(date(2026, 12, 1)))
    pages = _pages(pdf)
    assert len(pages) >= 2  # the long table flows onto further pages instead of off the page
    for width, height in pages:
        assert (round(width), round(height)) == posters.SIZES[size]
    _margins_blank(pdf, posters.TYPE[size]["margin_mm"])
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert entry.index_number in text
    assert "张贴期" in text and "2026年12月01日至2027年02月28日" in text
    assert "东山镇李家村2026年第四季度财务公开" in text.replace("\n", "")


def test_poster_type_is_large(entry):
    html = posters.poster_html([entry], size="A4", period=posters.posting_period(date(2026, 12, 1)))
    css = posters.poster_css("A4")
    assert "font-size: 16pt" in css and posters.TYPE["A4"]["body"] >= 16
    assert posters.TYPE["A3"]["body"] > posters.TYPE["A4"]["body"]
    assert posters.TYPE["A4"]["title"] > posters.TYPE["A4"]["body"]
    assert "<svg" in html and entry.unit.name in html


def test_qr_encodes_the_entry_url(entry):
    payload = posters.qr_payload(entry)
    assert payload == entry_absolute(entry)
    assert payload.endswith(f"/{entry.unit.slug}/info/{entry.pk}/")
    html = posters.poster_html([entry], size="A3", period=posters.posting_period(date(2026, 12, 1)))
    assert payload in html


def test_poster_refused_for_unmasked_finding(entry, people):
    # A correction after publication brings an ID number into the body: the screening scan finds it.
    services.edit_published(
        actor=people["admin"],
        entry=entry,
        reason="补充名单",
        body="<p>户主身份证号 110101199003071234，联系电话 13800138000</p>",
    )
    entry.refresh_from_db()
    with pytest.raises(ValidationFailed) as err:
        posters.render_poster(entry, size="A4")
    assert err.value.field is not None
    assert "保密审查" in err.value.message


def test_poster_refused_for_draft_and_bad_size(draft, entry):
    with pytest.raises(ValidationFailed, match="只有已发布的信息"):
        posters.render_poster(draft(), size="A4")
    with pytest.raises(ValidationFailed, match="A4 或 A3"):
        posters.render_poster(entry, size="B5")
    with pytest.raises(ValidationFailed, match="不能早于"):
        posters.posting_period(date(2026, 12, 1), date(2026, 11, 1))


def test_board_sheet_combines_entries(draft, publish):
    entries = [publish(draft(title=f"李家村11月公开事项{n}")) for n in range(3)]
    pdf = posters.render_board_sheet(entries, size="A4", month=date(2026, 11, 1))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for e in entries:
        assert e.index_number in text
