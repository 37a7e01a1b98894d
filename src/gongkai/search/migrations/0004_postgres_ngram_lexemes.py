"""On PostgreSQL, vectors now also hold every 3- and 4-character piece of a CJK run as a lexeme
(``backends.NGRAM_MAX``), so a query word of up to four characters is one lexeme that GIN answers from its
bitmap instead of a phrase of bigrams confirmed row by row.

Queries use the n-grams only once every row has them (``pg_index.ngrams``, a comment on the column). An
empty index is marked here; an index with rows keeps answering with bigram phrases, exactly as before,
until ``gongkai reindex`` has rewritten it (search stays online meanwhile) and marks it at the end.
"""

import sys
from typing import Any

from django.db import migrations

from gongkai.search import pg_index


def forwards(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {pg_index.TABLE})")
        filled = cur.fetchone()[0]
    if not filled:
        pg_index.mark_ngrams(conn)
    else:
        print(
            "\n  检索索引：新的索引格式让三、四个字的词检索更快；现有索引照常可用，"
            "运行 gongkai reindex 重建后启用（重建期间检索不中断）。",
            file=sys.stderr,
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        pg_index.mark_ngrams(schema_editor.connection, on=False)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgres_rum_index")]

    operations = [migrations.RunPython(forwards, backwards)]
