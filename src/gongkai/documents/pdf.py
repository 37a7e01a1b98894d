"""HTML → PDF with WeasyPrint, embedding the CJK subsets so the file prints the same everywhere."""

from __future__ import annotations

import time
from typing import Any

from .fonts import SANS_STACK, SERIF_STACK, font_face_css
from .guard import forbid_in_transaction

#: Chinese official-document page (GB/T 9704): A4, margins 37/26/35/28 mm, 三号 (16 pt) body.
OFFICIAL_PAGE_CSS = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center {{ content: "— " counter(page) " —"; font-family: {SERIF_STACK}; font-size: 14pt; }} }}
html {{ font-family: {SERIF_STACK}; font-size: 16pt; line-height: 28.9pt; color: #000; }}
h1, .title {{ font-family: {SERIF_STACK}; font-weight: 700; font-size: 22pt;
             line-height: 1.4; text-align: center; margin: 0 0 14pt; }}
.doc-number {{ text-align: center; margin: 0 0 20pt; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
p.salutation, p.noindent {{ text-indent: 0; }}
.signature {{ margin-top: 28pt; text-align: right; }}
.signature p {{ text-indent: 0; text-align: right; padding-right: 2em; }}
.notes {{ margin-top: 20pt; }}
table {{ border-collapse: collapse; width: 100%; font-size: 12pt; line-height: 1.5; }}
td, th {{ border: 0.5pt solid #000; padding: 2pt 4pt; }}
"""


def render_pdf(
    html: str,
    *,
    css: str = OFFICIAL_PAGE_CSS,
    families: tuple[str, ...] = ("GK Serif",),
    base_url: str | None = None,
    **options: Any,
) -> bytes:
    """Render ``html`` to PDF bytes with the CJK ``families`` embedded (subset to the glyphs used).

    ``css`` is applied after the font rules; pass ``""`` when the HTML carries its own styles. A subset not
    built yet is replaced by the system font (its build queued); ``FontMissing`` (a Chinese message naming
    the install script) only when the machine has no CJK font at all. Never call this inside a database
    transaction (``guard.forbid_in_transaction``): render first, then store the bytes.
    """
    forbid_in_transaction("rendering a PDF")
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    sheets = [CSS(string=font_face_css(families), font_config=config)]
    if css:
        sheets.append(CSS(string=css, font_config=config))
    document = HTML(string=html, base_url=base_url)
    pdf = document.write_pdf(stylesheets=sheets, font_config=config, **options)
    assert pdf is not None
    return pdf


#: What ``warm_up`` renders: every feature the platform's PDFs use (a page footer with a counter, a bold title,
#: body text in both families with digits and Latin letters, a table with borders), in both weights.
WARM_UP_HTML = """<h1>政府信息公开 预热</h1><p class="doc-number">清河政公〔2026〕1号</p>
<p>正文仿宋 Abc 0123456789，<b>加粗</b>。</p>
<table><tr><th>单位</th><th>数量</th></tr><tr><td>清河镇</td><td>42</td></tr></table>"""


def warm_up() -> float:
    """Render one small PDF and throw it away; returns the seconds it took.

    A fresh process pays about a quarter of a second on its first PDF that no later one pays: cffi builds
    its C parser tables the first time WeasyPrint asks it for a type (the font subsetting), and the fonts are
    opened. The task worker calls this when it starts (``core.signals.worker_starting``), so a letter or a
    bulletin that is the worker's first task is as fast as its second (issue 14, bench/bench_documents.py).
    """
    started = time.perf_counter()
    css = OFFICIAL_PAGE_CSS + f"th, td {{ font-family: {SANS_STACK}; }}"
    render_pdf(WARM_UP_HTML, css=css, families=("GK Serif", "GK Sans"))
    return time.perf_counter() - started
