"""Writes on user accounts (the memberships that give them roles are ``orgs.services``)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
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
    if actor is not None:
        require(can_manage_accounts(actor), "只有系统管理员可以新建账号")
    user_model = get_user_model()
    errors: dict[str, list[str]] = {}
    if not re.match(r"^[A-Za-z0-9_.@-]{3,150}$", username or ""):
        errors["username"] = ["用户名应为 3–150 位字母、数字或 _ . @ -"]
    elif user_model.objects.filter(username=username).exists():
        errors["username"] = [f"用户名 {username} 已存在"]
    candidate = user_model(username=username, first_name=full_name[:150], email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = [str(m) for m in exc.messages]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        candidate.set_password(password)
        candidate.save()
        if must_change and actor is not None:
            # An administrator chose this password, so it is not the user's secret: change it at first login.
            # (actor=None is the operator's own bootstrap or seeding, where no second person knows it.)
            require_change(candidate)
        audit.record(Action.USER_CREATE, actor=actor, obj=candidate, changes={"username": username})
    return candidate
