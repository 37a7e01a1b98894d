"""``{% load rules %}``: templates print statutory periods from the rules table, never as typed numbers.

``{% rule "answer" %}`` → 20个工作日 · ``{% rule "answer" "spaced" %}`` → 20 个工作日 ·
``{% rule "home_page_update" "chinese" %}`` → 两周 · ``{% rule "answer" "value" %}`` → 20 ·
``{% rule "answer" "source" %}`` → the instrument and article · ``on=some_date`` for the row in force that
day · ``… as name`` to keep the result in a variable.
"""

from __future__ import annotations

from datetime import date

from django import template

from gongkai import rules

register = template.Library()

FORMS = ("text", "spaced", "chinese", "value", "name", "source", "instrument", "article")


@register.simple_tag
def rule(key: str, form: str = "text", on: date | None = None) -> str | int:
    if form not in FORMS:
        raise template.TemplateSyntaxError(f"rule {key!r}: unknown form {form!r}, expected one of {', '.join(FORMS)}")
    value: str | int = getattr(rules.get(key, on=on), form)
    return value
