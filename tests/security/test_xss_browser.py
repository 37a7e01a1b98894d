"""An XSS corpus in every text field a user can fill, rendered in real Chromium: nothing runs.

Every payload goes into the entry's title, summary, body, document number and topic words, an
attachment's name, a column name, an application's name, address, description and purpose, and the
narrative sections of an annual report. The
public pages are taken from the built site folder and the staff pages from the application (the pages
as they would be sent); each is loaded in Chromium, where the test looks for anything that could run:
a dialog, the marker variable, an inline script, an on* attribute, a javascript: URL, a frame, an object.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.applications import intake
from gongkai.catalog import services
from gongkai.catalog.categories import create_category
from gongkai.portal.builder import build_site
from gongkai.reports.services import save_draft

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=2>",
    "<svg onload=window.__xss=3>",
    "<svg><script>window.__xss=4</script></svg>",
    '<a href="javascript:window.__xss=5">点我</a>',
    '<a href="jav&#x09;ascript:window.__xss=6">点我</a>',
    '<iframe src="javascript:parent.__xss=7"></iframe>',
    '<div style="background:url(javascript:window.__xss=8)">背景</div>',
    "<style>*{x:expression(window.__xss=9)}</style>",
    '"><script>window.__xss=10</script>',
    "'><img src=x onerror=window.__xss=11>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=12>",
    "<details open ontoggle=window.__xss=13>",
    '<object data="javascript:window.__xss=14"></object>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=15">',
    '<form><button formaction="javascript:window.__xss=16">提交</button></form>',
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=17>">',
    "{{ 7*7 }}<%= 7*7 %>${7*7}",
]
ALL = "".join(PAYLOADS)

PROBE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + '[' + a.name + ']');
      const bare = a.value.replace(/[\\s\\x00-\\x1f]/g, '');
      if (/^javascript:/i.test(bare)) bad.push(el.tagName + '[' + a.name + '=js]');
      if (a.name === 'style' && /javascript:|expression\\(/i.test(a.value)) bad.push(el.tagName + '[style=js]');
    }
  }
  for (const s of document.querySelectorAll('style'))
    if (/javascript:|expression\\(/i.test(s.textContent)) bad.push('style=js');
  for (const s of document.querySelectorAll('script')) if (!s.src) bad.push('inline script');
  for (const t of ['iframe', 'object', 'embed', 'meta[http-equiv]', 'base', 'form button[formaction]'])
    for (const el of document.querySelectorAll(t)) bad.push(t);
  return {marker: window.__xss === undefined ? null : window.__xss, bad};
}"""


@pytest.fixture
def poisoned(tree: Any, people: Any, draft: Any, publish: Any, django_capture_on_commit_callbacks: Any) -> dict:
    column = create_category(
        actor=people["admin"], unit=tree.town, name="专栏<img src=x onerror=window.__xss=20>", slug="zhuanlan"
    )
    entry = draft(
        title='通知<img src=x onerror=window.__xss=21>"><script>window.__xss=22</script>',
        summary=ALL[:1000],
        body="<p>正文</p>" + ALL,
        document_number="东政发〔2025〕3号",
        topic_words='低保 "><svg onload=window.__xss=23>',
        category=column,
    )
    services.add_attachment(
        actor=people["drafter"],
        entry=entry,
        name='名单<svg onload=window.__xss=24>".csv',
        stream=io.BytesIO("村名,人数\n李家村,3\n".encode()),
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry = publish(entry)
    application, _ = intake.submit_online(
        unit=tree.town,
        data={
            "applicant_type": "natural_person",
            "name": "王<script>window.__xss=30</script>",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13800138000",
            "address": "人民路<img src=x onerror=window.__xss=31>8号",
            "description": ALL[:1900],
            "purpose": '"><svg onload=window.__xss=32>',
            "info_form": "electronic",
            "delivery": "email",
            "email": "a@example.com",
        },
    )
    save_draft(
        actor=people["admin"],
        unit=tree.town,
        year=2025,
        section_1=ALL[:3000],
        section_5=ALL[:500],
        section_6='"><svg onload=window.__xss=40>',
    )
    build_site()
    return {"entry": entry, "application": application, "column": column}


def _check(page: Any, html: str, where: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(html, wait_until="load")
    page.mouse.move(300, 300)
    page.wait_for_timeout(50)
    result = page.evaluate(PROBE)
    assert result == {"marker": None, "bad": []}, where
    assert not dialogs, where


def test_no_payload_runs_on_public_or_staff_pages(chromium: Any, poisoned: dict, people: Any, settings: Any) -> None:
    entry, application = poisoned["entry"], poisoned["application"]
    site = Path(settings.SITE_DIR).resolve()
    slug = entry.unit.slug
    public = {
        "entry": site / slug / "info" / str(entry.pk) / "index.html",
        "print": site / slug / "info" / str(entry.pk) / "print" / "index.html",
        "unit home": site / slug / "index.html",
        "county home": site / "index.html",
        "catalog": site / slug / "catalog" / "index.html",
        "column": site / slug / "list" / "zhuanlan" / "index.html",
    }
    pages = {name: path.read_text(encoding="utf-8") for name, path in public.items()}
    for name, marker in (("entry", "window.__xss=21"), ("entry", "window.__xss=24"), ("column", "window.__xss=20")):
        assert marker in pages[name], f"the payload should be on the {name} page as text"

    clerk, admin = Client(), Client()
    clerk.force_login(people["drafter"])
    admin.force_login(people["admin"])
    staff = {
        "staff entry": (clerk, reverse("staff:entry_detail", args=[entry.pk])),
        "staff entry list": (clerk, reverse("staff:entry_list")),
        "staff edit form": (admin, reverse("staff:entry_edit", args=[entry.pk])),
        "case list": (admin, reverse("applications_staff:list")),
        "case page": (admin, reverse("applications_staff:detail", args=[application.pk])),
        "annual report draft": (admin, reverse("reports:annual", args=[entry.unit.code, 2025])),
        "annual report file": (admin, reverse("reports:annual_file", args=[entry.unit.code, 2025, "html"])),
    }
    for name, (client, url) in staff.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    for name in ("annual report draft", "annual report file"):
        assert "window.__xss=40" in pages[name], f"the narrative should be on the {name} as text"

    context = chromium.new_context()
    for name, html in pages.items():
        _check(context.new_page(), html, name)
    context.close()


def test_the_probe_sees_what_would_run(chromium: Any) -> None:
    """The check above can fail: each raw payload is caught on its own. (The mXSS one is inert when
    parsed raw; it is there for what a sanitiser's output could turn it into.)"""
    context = chromium.new_context()
    for payload in [p for p in PAYLOADS if "mglyph" not in p and "7*7" not in p]:
        page = context.new_page()
        with pytest.raises(AssertionError):
            _check(page, f"<!doctype html><html><body>{payload}</body></html>", payload)
        page.close()
    context.close()
