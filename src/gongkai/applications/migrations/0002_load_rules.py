"""Load the result codes (table 三 rows) and the default letter templates from data/*.yaml."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from gongkai.applications import rules

    rules.load_result_codes(apps.get_model("applications", "ResultCode"))
    rules.load_letter_templates(apps.get_model("applications", "LetterTemplate"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
