"""Trigram indexes for the requirements' text search on PostgreSQL (`?text=`, the document page's search).

Django's case-insensitive `contains` is `UPPER(column::text) LIKE UPPER('%…%')`, which no B-tree serves:
every search read all the project's rows (~130 ms at 50,000). A GIN trigram index on the same
expressions answers it and, being an expression index, gives the planner statistics about matches, so a
page of a search walks the reading-order index and stops early instead of sorting every match.

Other databases (SQLite, the embedded default) keep scanning: nothing is created there. Where the
extension cannot be created (a managed server that refuses it), the search still works, unindexed.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "requirement_text_trgm": 'UPPER("text") gin_trgm_ops',
    "requirement_external_id_trgm": 'UPPER("external_id"::text) gin_trgm_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            logger.warning("pg_trgm is not available: requirement text search stays unindexed")
            return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):  # a savepoint: a refusal is kept
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as refused:
        logger.warning("pg_trgm could not be created (%s): requirement text search stays unindexed", refused)
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_requirement USING gin ({expression})"
        )
    # The expressions' statistics, which let the planner see how many rows a search matches.
    schema_editor.execute("ANALYZE documents_requirement")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0011_document_counts")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
