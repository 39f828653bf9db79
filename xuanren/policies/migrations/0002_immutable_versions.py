"""Database triggers that refuse to UPDATE (and, on PostgreSQL, DELETE) a stored policy version.

A campaign pins (id, version, sha256); the row it pinned must read the same forever. The model
and its queryset refuse changes too; these triggers also stop a mistake made in a database
console. ``resolve_campaign_policy`` re-hashes the stored text, so a change made by someone who
drops the triggers is still detected.

SQLite has no DELETE trigger here because Django's test flush empties tables with DELETE (on
PostgreSQL it uses TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

TABLE = "policies_policyversion"


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {TABLE}_immutable BEFORE UPDATE ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE}: a stored policy version is never changed'); END"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                """
                CREATE OR REPLACE FUNCTION policies_version_immutable() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '%: a stored policy version is never changed or deleted', TG_TABLE_NAME;
                END;
                $$ LANGUAGE plpgsql
                """
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}")
            cursor.execute(
                f"CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION policies_version_immutable()"
            )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}")
            cursor.execute("DROP FUNCTION IF EXISTS policies_version_immutable()")


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
