"""Every form a user can reach, posted with bad input: nothing answers 5xx, and every error is Chinese.

The forms are not listed by hand. Each identity opens every page it may open (every staff URL pattern with the
township's ids, and the public pages with forms), the forms on those pages are read from the HTML, and each is
sent back five ways:

- ``nul``: the values it offers, with a NUL character in every text field;
- ``oversized``: 60,000 characters in every text field (over every ``max_length`` on the platform);
- ``overflow``: every field, hidden ones and choices included, set to a number too large for a database integer;
- ``gbk``: the offered values and Chinese text, sent as ``application/x-www-form-urlencoded; charset=gbk`` the way
  old office PCs and 12345 integrations send it;
- ``bare``: no fields at all.

A 5xx fails the test, and so does an error shown in English or an error that is not Chinese: the texts of every
``role="alert"``, error paragraph and error message on the answer (after redirects) are checked. An error shown
beside a field sits in the field's block with its label, so it names the field (``staff/_field.html``,
``applications/public/_field.html``). The 2019 Regulation's Art. 27 lets anyone apply in any form; the
platform must answer every one of them readably.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes, urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.security.test_permission_matrix import _fill, staff_and_api_routes

CJK = re.compile(r"[\u4e00-\u9fff]")
#: Three English words in a row: an untranslated message (a library's or our own).
ENGLISH = re.compile(r"[A-Za-z]{3,}[ ,.]+[A-Za-z]{2,}[ ,.]+[A-Za-z]{3,}")
TEXT_TYPES = {"text", "search", "email", "tel", "url", "textarea", "password", "number", "date", "datetime-local"}
#: Forms that end the session or leave the site: posting them is not a test of input handling.
SKIP_ACTIONS = ("/staff/logout/",)
INSIDERS = ["admin", "drafter", "reviewer", "signer", "supervisor", "sysadmin", "auditor"]
PUBLIC_PAGES = [
    "/apply/",
    "/apply/track/",
    "/messages/new/",
    "/messages/track/",
    "/messages/rate/",
    "/staff/login/",
    "/staff/password/reset/",
    "/search/",
]
MUTATIONS = ["nul", "oversized", "overflow", "gbk", "bare"]


class Form:
    def __init__(self, page: str, action: str, method: str, multipart: bool) -> None:
        self.page, self.action, self.method, self.multipart = page, action, method, multipart
        self.fields: list[tuple[str, str, str]] = []  # (name, kind, offered value)

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.action, self.method, tuple(sorted({n for n, _, _ in self.fields})))


class _FormReader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self._form, self._select = page, [], None, None  # type: ignore[var-annotated]
        self._options: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.page
            if not action.startswith("/"):
                action = urlsplit(self.page).path.rsplit("/", 1)[0] + "/" + action
            self._form = Form(self.page, action, a.get("method", "get").lower(), "multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._options.append(a.get("value", ""))
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                if not any(n == a["name"] for n, _, _ in self._form.fields):
                    self._form.fields.append((a["name"], kind, a.get("value", "on")))
                return
            if kind not in {"submit", "button", "reset", "image"} or a.get("value"):
                self._form.fields.append((a["name"], kind, a.get("value", "")))
        elif tag == "textarea":
            self._form.fields.append((a["name"], "textarea", ""))
        elif tag == "select":
            self._select, self._options = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            offered = next((o for o in self._options if o), "")
            self._form.fields.append((self._select, "select", offered))
            self._select = None


class _ErrorReader(HTMLParser):
    """The texts of every error a page shows: role=alert, .error/.errors/.field-error/.apply-*, .msg-error."""

    MARKS = ("error", "errors", "field-error", "apply-alert", "apply-error", "msg-error")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self._depth: list[tuple[str, bool]] = []
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"}:
            return
        a = {k: v or "" for k, v in attrs}
        marked = a.get("role") == "alert" or any(c in self.MARKS for c in a.get("class", "").split())
        self._depth.append((tag, marked))

    def handle_endtag(self, tag: str) -> None:
        while self._depth:
            name, marked = self._depth.pop()
            if marked and not any(m for _, m in self._depth):
                text = " ".join("".join(self._buf).split())
                if text:
                    self.errors.append(text)
                self._buf = []
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if any(m for _, m in self._depth):
            self._buf.append(data)


def forms_on(client: Client, url: str) -> list[Form]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", "") or response.streaming:
        return []
    reader = _FormReader(url)
    reader.feed(response.content.decode("utf-8", "replace"))
    return [f for f in reader.forms if f.action.startswith("/") and not f.action.startswith(SKIP_ACTIONS)]


def collect(client: Client, pages: list[str]) -> list[Form]:
    seen: dict[tuple[str, str, tuple[str, ...]], Form] = {}
    for page in pages:
        for form in forms_on(client, page):
            seen.setdefault(form.key(), form)
    return list(seen.values())


def _value(kind: str, offered: str, how: str) -> str:
    if how == "overflow":
        return "99999999999999999999999"
    if kind in TEXT_TYPES:
        if how == "nul":
            return (offered or "测试内容") + "\x00甲"
        if how == "oversized":
            return "长" * 60_000
        return offered or "测试内容：东山镇人民路"
    return offered


def send(client: Client, form: Form, how: str) -> Any:
    fields = [] if how == "bare" else [(n, _value(k, v, how)) for n, k, v in form.fields if k != "file"]
    if form.method == "get":
        query = urlencode(fields)
        return client.get(f"{form.action}{'&' if '?' in form.action else '?'}{query}", follow=True)
    if how == "gbk":
        body = "&".join(f"{quote_from_bytes(n.encode('gbk'))}={quote_from_bytes(v.encode('gbk'))}" for n, v in fields)
        ctype = "application/x-www-form-urlencoded; charset=gbk"
        return client.post(form.action, data=body, content_type=ctype, follow=True)
    data: dict[str, Any] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    if form.multipart and how != "bare":
        for name, kind, _ in form.fields:
            if kind == "file":
                data[name] = SimpleUploadedFile("名单.pdf", b"%PDF-1.4\n\x00\xff not really a pdf", "application/pdf")
    return client.post(form.action, data=data, follow=True)


def problems(form: Form, how: str, response: Any) -> list[str]:
    where = f"{form.method.upper()} {form.action} [{how}] (form on {form.page})"
    if response.status_code >= 500:
        return [f"{where} → {response.status_code}"]
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return []
    reader = _ErrorReader()
    reader.feed(response.content.decode("utf-8", "replace"))
    out = [f"{where} → error not in Chinese: {e[:120]!r}" for e in reader.errors if not CJK.search(e)]
    out += [f"{where} → English in an error: {e[:120]!r}" for e in reader.errors if ENGLISH.search(e)]
    if response.status_code >= 400 and not CJK.search(response.content.decode("utf-8", "replace")):
        out.append(f"{where} → {response.status_code} with no Chinese on the page")
    return out


@pytest.fixture
def township(people, tree, draft) -> list[int]:
    """Something in every state a form acts on: an entry under review and one in draft, an application."""
    from gongkai.applications import intake
    from gongkai.catalog import services

    under_review = services.submit_for_review(actor=people["drafter"], entry=draft())
    in_draft = draft()
    data = {
        "applicant_type": "natural_person",
        "name": "欧阳测试",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "email": "ouyang@example.com",
        "address": "清河县东山镇人民路8号",
        "description": "表单测试申请内容",
        "info_form": "electronic",
        "delivery": "email",
    }
    app, _code = intake.submit_online(unit=tree.town, data=data)
    return sorted({under_review.pk, in_draft.pk, app.pk, 1, 2})


@pytest.mark.parametrize("who", INSIDERS)
def test_every_staff_form_takes_bad_input(people, township, calendar_until_next_year, who):
    client = Client(raise_request_exception=False)
    client.force_login(people[who])
    pages = [u for r in staff_and_api_routes() if r.startswith("staff/") for u in _fill(r, township)]
    forms = collect(client, pages)
    assert len(forms) >= 3, f"{who} reached only {len(forms)} forms"
    failures: list[str] = []
    for form in forms:
        for how in MUTATIONS:
            client.force_login(people[who])  # a form that ends the session must not hide the rest
            failures += problems(form, how, send(client, form, how))
    assert failures == []


def test_every_public_form_takes_bad_input(tree, calendar_until_next_year):
    client = Client(raise_request_exception=False)
    unit = tree.town.slug
    pages = [*PUBLIC_PAGES, f"/apply/{unit}/", f"/subscribe/{unit}/", f"/messages/new/?unit={unit}"]
    forms = collect(client, pages)
    actions = {f.action.split("?")[0] for f in forms}
    for expected in (f"/apply/{unit}/", "/staff/login/", "/messages/track/", f"/subscribe/{unit}/"):
        assert expected in actions, f"no form found that posts to {expected}: {sorted(actions)}"
    failures: list[str] = []
    for form in forms:
        for how in MUTATIONS:
            failures += problems(form, how, send(client, form, how))
    assert failures == []


def test_the_reader_finds_fields_and_errors():
    """The two readers themselves: a form's fields with their offered values, and error texts in any language."""
    reader = _FormReader("/staff/x/")
    reader.feed(
        '<form method="post" action="/staff/x/do/"><input name="a" value="1"><textarea name="b"></textarea>'
        '<select name="c"><option value="">请选择</option><option value="7">七</option></select>'
        '<input type="checkbox" name="d" value="y"><input type="submit" value="提交"></form>'
    )
    (form,) = reader.forms
    assert form.fields == [("a", "text", "1"), ("b", "textarea", ""), ("c", "select", "7"), ("d", "checkbox", "y")]
    errors = _ErrorReader()
    errors.feed(
        '<div class="field"><p class="error" role="alert">This field is required.</p></div>'
        '<ul class="messages"><li class="msg-error">标题：不能为空。</li></ul>'
    )
    assert errors.errors == ["This field is required.", "标题：不能为空。"]
    assert ENGLISH.search(errors.errors[0]) and not CJK.search(errors.errors[0])
