"""What the migrations that write PostgreSQL's own SQL (triggers, functions, tables no model has) share."""


def on_postgresql(sql: str):
    """A RunPython step that runs `sql` on PostgreSQL and does nothing elsewhere: SQLite (the demo without
    PostgreSQL) has no such triggers, and what they keep is computed on every read there."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run
