"""The rate-limit counters moved to ``core`` (``core.RateBucket``); this app's old table goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_load_rules")]

    operations = [migrations.DeleteModel(name="RateBucket")]
