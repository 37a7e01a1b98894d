"""What the staff navigation shows: only the links a user's roles can use (the views check again)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Role


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/staff/"):
        return {}
    return {
        "nav_accounts": perms.can_manage_accounts(user),
        "nav_audit": perms.can_read_audit(user),
        "nav_tokens": bool(perms.units_for(user, Role.UNIT_ADMIN)),
    }
