"""Productive lines as a JSON list instead of a PostgreSQL array, values kept.

0001 now creates the JSON column directly (so SQLite can build the schema too); a PostgreSQL database
created before that still holds a varchar[] column, converted here in place with to_jsonb. Elsewhere
(a new database, SQLite) there is nothing to convert.
"""

from django.db import migrations

TABLE, COLUMN = "producers_producerassociation", "productive_lines"


def array_to_json(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s",
            [TABLE, COLUMN],
        )
        row = cursor.fetchone()
        if row and row[0] == "ARRAY":
            cursor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN "{COLUMN}" TYPE jsonb USING to_jsonb("{COLUMN}")')


class Migration(migrations.Migration):
    dependencies = [("producers", "0001_initial")]

    operations = [migrations.RunPython(array_to_json, migrations.RunPython.noop)]
