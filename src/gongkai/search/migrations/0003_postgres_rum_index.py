"""On PostgreSQL, add a RUM index of the vectors (word positions in the index) when ``rum`` is there.

GIN keeps only which rows hold a word; a phrase (every query word of three or more characters is a phrase
of bigrams) must then be confirmed on each candidate row, reading and decompressing its whole vector: about
170 ms to count 10,000 matches of a 4-character word among 100,000 entries, measured. RUM keeps the word
positions in the index and answers the same count in 11–16 ms (see ``gongkai.search.pg_index``). The
``rum`` extension is a separate package (Debian: ``postgresql-15-rum``); without it only GIN is used and
search still works, slower on phrases. ``gongkai searchindex`` shows what is in use and adds RUM later.
"""

from typing import Any

from django.db import migrations

from gongkai.search import pg_index


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        pg_index.use_best(schema_editor.connection, verbose=True)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        pg_index.use_gin(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_sort_key_ids_and_facets")]

    operations = [migrations.RunPython(forwards, backwards)]
