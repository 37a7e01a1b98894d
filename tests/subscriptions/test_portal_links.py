"""The unit's public pages link to the subscription form; a category page preselects its category."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import category

pytestmark = pytest.mark.django_db


def test_unit_and_category_pages_link_to_the_form(client: Client, tree: Any) -> None:
    home = client.get("/dongshan/").content.decode()
    assert '<a href="/subscribe/dongshan/">订阅更新</a>' in home
    notices = category(tree.town)
    page = client.get(f"/dongshan/list/{notices.slug}/").content.decode()
    link = f"/subscribe/dongshan/?category={notices.pk}"
    assert f'<a href="{link}">订阅更新</a>' in page
    form = client.get(link).content.decode()
    assert f'<option value="{notices.pk}" selected>' in form and 'value="category"' in form
