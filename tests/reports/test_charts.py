"""Charts: SVG with Chinese labels and every number written out (readable without colour), PNG for DOCX."""

import io
import re

from gongkai.reports import charts, render


def test_svg_labels_and_numbers(tree, two_years):
    doc = render.build(tree.town, 2025)
    svg = doc.charts["results"]
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>2025年政府信息公开申请办理结果（件）</title>" in svg
    for label in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"):
        assert f">{label}</text>" in svg
    assert ">1</text>" in svg  # each bar's number is printed, colour carries no information
    assert len(set(re.findall(r'fill="(#[0-9a-f]{6})"', svg))) <= 2  # white background and one bar colour
    monthly = doc.charts["monthly"]
    assert all(f">{m}月</text>" in monthly for m in range(1, 13))


def test_empty_year_chart_says_so(tree):
    doc = render.build(tree.street, 2023)
    assert "本年无数据" in doc.charts["category"]


def test_docx_embeds_png_charts(tree, two_years):
    from docx import Document
    from PIL import Image

    data = render.build(tree.town, 2025)
    document = Document(io.BytesIO(render.to_docx(data)))
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(images) == 4
    png = charts.to_png(charts.specs(data.data)[0])
    assert Image.open(io.BytesIO(png)).size == (1280, 2 * (40 + 24 * 1 + 10))  # one category, drawn at 2x
