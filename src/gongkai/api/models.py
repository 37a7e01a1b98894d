from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.orgs.models import Org


class ApiToken(models.Model):
    """A bearer token for integrations: acts as its user, only inside its unit, with that user's roles.

    Only the SHA-256 of the token is stored; the token itself is shown once, when it is issued."""

    name = models.CharField("用途", max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="代表用户", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Org, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField("令牌前缀", max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["unit", "-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
