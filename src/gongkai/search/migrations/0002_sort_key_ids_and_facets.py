"""Search documents get their sort key as id and the index gets the filters as terms (see ``backends``).

The index is a derived structure: this migration empties it and rebuilds the engine's tables; the
``post_migrate`` hook of the search app (``apps.rebuild_if_empty``) then re-indexes the published entries
with the code of the release being installed.
"""

from typing import Any

from django.db import migrations, models


def rebuild_engine_tables(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        # Tokens arrive pre-cut by gongkai.search.tokenizer, separated by spaces; the `ascii` tokenizer keeps
        # every non-ASCII character inside a token and splits only on ASCII punctuation and spaces.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, meta, body, facets, tokenize='ascii', detail=full)"
        )
        # Relevance (the hidden `rank` column): bm25 with the title weighing most, then the numbers and topic
        # words; the filter terms weigh nothing.
        schema_editor.execute("INSERT INTO search_fts(search_fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0, 0.0)')")


def restore_engine_tables(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, meta, body, tokenize='ascii', detail=full)"
        )
        schema_editor.execute("INSERT INTO search_fts(search_fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0)')")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunSQL("DELETE FROM search_searchdocument", migrations.RunSQL.noop),
        migrations.RunPython(rebuild_engine_tables, restore_engine_tables),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_newest"),
        migrations.AlterField(
            model_name="searchdocument",
            name="id",
            field=models.BigIntegerField(primary_key=True, serialize=False),
        ),
    ]
