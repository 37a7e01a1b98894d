"""Account state kept beside Django's stock ``User``: when its password changed and whether it must change."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PasswordState(models.Model):
    """When a user's password last changed, and whether it must change before any other work.

    Kept beside the user rather than on it so the platform keeps Django's stock ``User``. The table keeps its
    old name (``core_passwordstate``): it moved here from ``core`` without a data copy.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="password_state"
    )
    changed_at = models.DateTimeField("密码修改时间")
    must_change = models.BooleanField("下次登录须修改密码", default=False)

    class Meta:
        db_table = "core_passwordstate"
        verbose_name = "密码状态"
        verbose_name_plural = "密码状态"

    def __str__(self) -> str:
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}{' 须修改' if self.must_change else ''}"
