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


class EnrolmentCode(models.Model):
    """A one-time code, printed by ``gongkai user add --role sysadmin``, that must be shown to bind the account's
    first authenticator: the initial password alone (known to whoever set the account up) does not enrol 2FA.

    Only the SHA-256 of the code is kept (the code is random, 60 bits, so no slow hash is needed); valid for
    ``GONGKAI_ENROL_CODE_HOURS`` and once. Issue 17 item 9; GB/T 22239-2019 8.1.4.1 d) 双因素鉴别.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField("绑定码摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("发放时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "一次性绑定码"
        verbose_name_plural = "一次性绑定码"

    def __str__(self) -> str:
        return f"{self.user_id} {self.expires_at:%Y-%m-%d %H:%M}{' 已使用' if self.used_at else ''}"
