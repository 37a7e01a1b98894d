"""Writes on user accounts (the memberships that give them roles are ``orgs.services``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import password_changed, validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.permissions import can_manage_accounts, require

from .passwords import require_change


def create_user(
    *, actor: Any, username: str, password: str, full_name: str = "", email: str = "", must_change: bool = True
) -> Any:
    (user,) = create_users(
        actor=actor, password=password, people=[(username, full_name, email)], must_change=must_change
    )
    return user


def create_users(
    *, actor: Any, password: str, people: Sequence[tuple[str, str, str]], must_change: bool = True
) -> list[Any]:
    """Accounts that start with the same password, hashed once: Argon2 costs about a second a hash, so
    seeding (``gongkai demo``'s 16 accounts) or a batch of new colleagues would otherwise spend most of its
    time hashing one password. ``people`` are (username, full name, e-mail). Each account is checked as
    ``create_user`` checks one (the password also against that user's own name) before any is saved, and
    each gets its own audit event; the first account with a problem is reported."""
    if actor is not None:
        require(can_manage_accounts(actor), "只有系统管理员可以新建账号")
    user_model = get_user_model()
    candidates = []
    seen: set[str] = set()
    for username, full_name, email in people:
        errors: dict[str, list[str]] = {}
        if not re.match(r"^[A-Za-z0-9_.@-]{3,150}$", username or ""):
            errors["username"] = ["用户名应为 3–150 位字母、数字或 _ . @ -"]
        elif username in seen or user_model.objects.filter(username=username).exists():
            errors["username"] = [f"用户名 {username} 已存在"]
        seen.add(username)
        candidate = user_model(username=username, first_name=full_name[:150], email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            errors["password"] = [str(m) for m in exc.messages]
        if errors:
            raise ValidationFailed(errors)
        candidates.append(candidate)
    hashed = make_password(password)
    with transaction.atomic():
        for candidate in candidates:
            candidate.password = hashed
            candidate.save()
            password_changed(password, candidate)  # what set_password + save would have triggered
            if must_change and actor is not None:
                # An administrator chose this password, so it is not the user's secret: change it at first
                # login. (actor=None is the operator's own bootstrap or seeding, where no second person knows it.)
                require_change(candidate)
            audit.record(Action.USER_CREATE, actor=actor, obj=candidate, changes={"username": candidate.username})
    return candidates
