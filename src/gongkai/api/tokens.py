"""Per-unit API tokens: issue, revoke, authenticate. Writes are audited like every other change."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from .models import ApiToken


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, actor: Any, user: Any, unit: Org, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` in ``unit``. ``actor`` None is the command line (server administrator)."""
    if actor is not None:
        perms.require(perms.can_manage_unit(actor, unit), "只有本单位公开办管理员可以签发接口令牌")
    errors: dict[str, list[str]] = {}
    if not unit.is_unit:
        errors["unit"] = ["接口令牌只能签发给县、乡镇或街道（公开主体）"]
    elif not perms.unit_roles(user, unit):
        errors["user"] = ["该用户在本单位没有角色，令牌无权做任何事"]
    if not name.strip():
        errors["name"] = ["请填写令牌用途（如：某业务系统同步）"]
    if errors:
        raise ValidationFailed(errors)
    raw = "gk_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name.strip()[:100], user=user, unit=unit, prefix=raw[:12], digest=_digest(raw)
        )
        audit.record(
            Action.API_TOKEN_ISSUE, actor=actor, obj=token, org_code=unit.code, comment=f"{token.prefix}… {name}"
        )
    return token, raw


def revoke_token(*, actor: Any, token: ApiToken) -> ApiToken:
    if actor is not None:
        perms.require(perms.can_manage_unit(actor, token.unit), "只有本单位公开办管理员可以吊销接口令牌")
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(Action.API_TOKEN_REVOKE, actor=actor, obj=token, org_code=token.unit.code, comment=token.prefix)
    return token


class UnitToken(HttpBearer):
    """``Authorization: Bearer gk_…``. The request then acts as the token's user, within the token's unit."""

    openapi_description = "单位接口令牌（gongkai apitoken create 签发），代表一名工作人员在本单位内操作"

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token.startswith("gk_") or len(token) > 100:
            return None
        found = (
            ApiToken.objects.select_related("user", "unit")
            .filter(digest=_digest(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active or not perms.unit_roles(found.user, found.unit):
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found
