"""``documents.pdf.warm_up`` renders a real PDF with both families and answers on the worker's start signal
(issue 14: the first PDF of a fresh process paid cffi's parser set-up and font loading)."""

from __future__ import annotations

import io

import pikepdf

from gongkai.core.signals import worker_starting
from gongkai.documents import pdf
from gongkai.documents.receivers import warm_up_pdf


def test_warm_up_renders_and_reports_its_time(monkeypatch):
    rendered: list[bytes] = []
    real = pdf.render_pdf

    def spy(html, **kwargs):
        out = real(html, **kwargs)
        rendered.append(out)
        return out

    monkeypatch.setattr(pdf, "render_pdf", spy)
    seconds = pdf.warm_up()
    assert seconds > 0
    (out,) = rendered
    with pikepdf.open(io.BytesIO(out)) as doc:
        fonts = {str(f.get("/BaseFont")) for page in doc.pages for f in page.Resources.Font.values()}
    # both families and both weights, as the letters, reports and bulletins use them
    assert len(fonts) == 4, fonts


def test_the_receiver_is_connected_to_the_worker_start():
    results = dict(worker_starting.send(sender=object))
    assert results[warm_up_pdf].startswith("PDF 预热完成，用时 ")
