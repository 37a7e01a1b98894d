"""Backfill: one change for every entry published (or withdrawn) before the change log existed, dated at its
publication (or withdrawal), oldest first — so a first harvest gets the whole catalog.

It runs the current ``services.reconcile``, not a frozen copy: on a fresh database (no entries) it does
nothing, so later changes to the entry model cannot break migrating from scratch. ``gongkai
harvest-reconcile`` does the same at any time (dated now).
"""

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    if not apps.get_model("catalog", "Entry").objects.filter(status__in=["published", "withdrawn"]).exists():
        return
    from gongkai.harvest.services import reconcile

    reconcile(backdate=True)


class Migration(migrations.Migration):
    dependencies = [("harvest", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
