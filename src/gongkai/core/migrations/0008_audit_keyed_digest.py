"""Issue 17 item 1: each audit row says how its digest was made (1 plain SHA-256, as every existing row;
2 HMAC-SHA256 with the audit key ``key_id``). An AddField, after the round's actions migration."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_audit_actions_round_27"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="digest_version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="摘要版本"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16, verbose_name="审计密钥编号"),
        ),
    ]
