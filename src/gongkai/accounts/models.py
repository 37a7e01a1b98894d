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


class PasswordReset(models.Model):
    """A system administrator's password reset that never reveals a password that works (issue 17 item 2, 三员).

    The administrator never chooses or sees the new password: a one-time code lets the account holder set it.
    The code goes to the holder by e-mail, or on two printed halves — one shown to the resetting administrator,
    one to the person who confirms — so that neither alone can use it. A reset of an account that sees
    applicants' personal data (any role handling a unit's cases), and every printed reset, waits for a second
    person (a 公开办管理员 of the holder's unit or above, or the 审计员) before the code exists. Only a digest is
    kept; valid ``GONGKAI_RESET_CODE_HOURS`` and once; ``GONGKAI_RESET_CODE_TRIES`` wrong codes void it.
    """

    class Delivery(models.TextChoices):
        EMAIL = "email", "发送到本人电子邮箱"
        PRINT = "print", "打印两联交本人（系统管理员和确认人各一联）"

    class State(models.TextChoices):
        AWAITING = "awaiting", "待第二人确认"
        ISSUED = "issued", "已发放，待本人设置密码"
        USED = "used", "已设置新密码"
        VOID = "void", "已作废"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="password_resets"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery = models.CharField("交付方式", max_length=8, choices=Delivery.choices)
    state = models.CharField("状态", max_length=10, choices=State.choices)
    reason = models.CharField("原因", max_length=200)
    code_hash = models.CharField("重置码摘要", max_length=64, blank=True)
    wrong_tries = models.PositiveSmallIntegerField("错误次数", default=0)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "密码重置"
        verbose_name_plural = "密码重置"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_state_display()}"
