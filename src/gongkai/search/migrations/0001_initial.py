from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def create_engine_tables(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # Tokens arrive pre-cut by gongkai.search.tokenizer, separated by spaces; the `ascii` tokenizer keeps
        # every non-ASCII character inside a token and splits only on ASCII punctuation and spaces.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, meta, body, tokenize='ascii', detail=full)"
        )
        # Relevance (the hidden `rank` column): bm25 with the title weighing most, then the numbers and topic words.
        schema_editor.execute("INSERT INTO search_fts(search_fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0)')")
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector")
        schema_editor.execute("CREATE INDEX search_doc_tsv ON search_searchdocument USING GIN (tsv)")


def drop_engine_tables(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("part", models.PositiveIntegerField(default=0)),
                ("unit_id", models.BigIntegerField()),
                ("category_id", models.BigIntegerField()),
                ("year", models.PositiveSmallIntegerField()),
                ("genre", models.CharField(max_length=10)),
                ("validity", models.CharField(max_length=10)),
                ("published_at", models.DateTimeField()),
                (
                    "entry",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.entry",
                    ),
                ),
            ],
            options={
                "verbose_name": "检索文档",
                "verbose_name_plural": "检索文档",
                "constraints": [models.UniqueConstraint(fields=("entry", "part"), name="unique_search_part")],
                "indexes": [models.Index(fields=["-published_at", "entry"], name="search_doc_newest")],
            },
        ),
        migrations.RunPython(create_engine_tables, drop_engine_tables),
    ]
