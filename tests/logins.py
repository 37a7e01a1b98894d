"""Log in through the real form, as a browser does (the lockout, second-factor and header tests use it)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def form_login(client: Client, username: str, password: str = PASSWORD, address: str = "10.0.0.1", **extra: Any) -> Any:
    return client.post(
        reverse("staff:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )
