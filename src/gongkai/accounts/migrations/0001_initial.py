"""PasswordState moves here from ``core`` (its table ``core_passwordstate`` stays as it is)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0002_passwordstate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PasswordState",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("changed_at", models.DateTimeField(verbose_name="密码修改时间")),
                        ("must_change", models.BooleanField(default=False, verbose_name="下次登录须修改密码")),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="password_state",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="用户",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "密码状态",
                        "verbose_name_plural": "密码状态",
                        "db_table": "core_passwordstate",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
