"""Database triggers that refuse UPDATE (and, on PostgreSQL, DELETE) of the append-only tables.

They stop an honest mistake in a database console; they do not stop someone who can drop them.
`xuanren ledger verify` is the guarantee: it recomputes every hash and checks the signed
checkpoints, and it reports when these triggers are missing.

SQLite has no DELETE trigger here because Django's test flush empties tables with DELETE (on
PostgreSQL it uses TRUNCATE, which row triggers do not see); a deleted entry is caught by
`verify` against the signed checkpoints.
"""

from django.db import migrations

TABLES = ("record_entry", "record_treenode", "record_checkpoint", "record_cosignature")


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_append_only BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: records are never changed'); END"
                )
        elif connection.vendor == "postgresql":
            cursor.execute(
                """
                CREATE OR REPLACE FUNCTION record_append_only() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '% is append-only: records are never changed or deleted', TG_TABLE_NAME;
                END;
                $$ LANGUAGE plpgsql
                """
            )
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION record_append_only()"
                )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")
            elif connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS record_append_only()")


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
