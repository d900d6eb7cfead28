"""The data-version table and its trigger function belong to core (the list cache lives here); spaces 0005
created them first and stays in history. Every statement here is idempotent, so this runs the same on a
database where spaces 0005/0006 already made them (it changes nothing there) and on a fresh one, in either
order: spaces 0005/0006 only create the function when it is missing or still lacks the lock."""

from django.db import migrations, models

TABLE = (
    "CREATE TABLE IF NOT EXISTS kallpanchis_data_version (name text PRIMARY KEY, version bigint NOT NULL);"
)

# One transaction-level advisory lock before any version row: a transaction that holds one group's row then
# always holds the others' turn too, so two writers can never each hold one group's row while waiting for the
# other's (an organisation is in both the spaces and the producers groups). The first version of a group is
# random, so that a database created again never meets blocks cached for an earlier one under the same number.
FUNCTION = """
CREATE OR REPLACE FUNCTION kallpanchis_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kallpanchis_data_version'));
    INSERT INTO kallpanchis_data_version (name, version) VALUES (TG_ARGV[0], floor(random() * 1e12))
    ON CONFLICT (name) DO UPDATE SET version = kallpanchis_data_version.version + 1;
    RETURN NULL;
END $$;
"""


def create(apps, schema_editor):
    """The table everywhere (the model can be read on SQLite too); the function, and so the triggers that
    call it, only on PostgreSQL: on SQLite (the demo without PostgreSQL) lists are not cached."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(TABLE)
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(FUNCTION)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.SeparateDatabaseAndState(
            # Going back leaves the table and the function: the apps' triggers (spaces 0005, producers
            # 0003) still call it until their own migrations are reversed.
            database_operations=[migrations.RunPython(create, migrations.RunPython.noop)],
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        ("name", models.TextField(primary_key=True, serialize=False)),
                        ("version", models.BigIntegerField()),
                    ],
                    options={"db_table": "kallpanchis_data_version"},
                ),
            ],
        ),
    ]
