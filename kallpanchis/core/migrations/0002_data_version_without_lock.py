"""The data version without a lock: `kallpanchis_data_version` becomes an append-only table of steps.

Before, every write took one transaction-level advisory lock and then updated its group's one row, so every
writer of spaces or producers waited for every other one until it committed (a bulk import held them all).
Now a write's statement trigger INSERTs one row (its group, a random positive step) once per transaction and
group, and adds a random step to that row of its own at each further statement (so a reader inside the
writing transaction sees the version move too); a group's version is the sum of its committed steps (modulo 2**62, see
kallpanchis/core/caching.py). Inserting takes no lock another writer waits for, so writers of different
tables or rows run in parallel, and no two writers can deadlock on the version. The sum changes exactly when a
transaction that wrote the group commits (never before: its row is invisible until then), whatever order
transactions commit in; a random step keeps a database made again (tests, a restore) from meeting a version
it had before. Readers fold the rows of a group into one now and then (`caching.data_version`), keeping the
sum.

The old rows (one per group) become the first step of their group. Depends on spaces 0006 so that its
"add the lock if missing" step never runs after this one on a fresh database.
"""

from django.db import migrations, models

# The trigger function of this migration, on its own: core 0003 puts it back when it is undone.
BUMP = """
CREATE OR REPLACE FUNCTION kallpanchis_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mine bigint := nullif(current_setting('kallpanchis.version_step_' || TG_ARGV[0], true), '')::bigint;
BEGIN
    -- One row per transaction and group, remembered in a transaction-local setting (rolled back with a
    -- savepoint, as the row is); each further statement adds to that row, which no one else can see or
    -- lock before the commit. No lock any other writer waits for.
    IF mine IS NULL THEN
        INSERT INTO kallpanchis_data_version (name, version)
        VALUES (TG_ARGV[0], 1 + floor(random() * 1e12)::bigint) RETURNING id INTO mine;
        PERFORM set_config('kallpanchis.version_step_' || TG_ARGV[0], mine::text, true);
    ELSE
        UPDATE kallpanchis_data_version
        SET version = (version + 1 + floor(random() * 1e12)::bigint) % 4611686018427387904 WHERE id = mine;
    END IF;
    RETURN NULL;
END $$;
"""

FORWARD = (
    """
ALTER TABLE kallpanchis_data_version DROP CONSTRAINT IF EXISTS kallpanchis_data_version_pkey;
ALTER TABLE kallpanchis_data_version ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE INDEX kallpanchis_data_version_name ON kallpanchis_data_version (name);
"""
    + BUMP
)

# Back to one row per group (the sum of its steps) and the function with the lock (core 0001's).
BACKWARD = """
CREATE TEMPORARY TABLE kallpanchis_data_version_sums ON COMMIT DROP AS
    SELECT name, (sum(version) % 4611686018427387904)::bigint AS version
    FROM kallpanchis_data_version GROUP BY name;
DELETE FROM kallpanchis_data_version;
ALTER TABLE kallpanchis_data_version DROP COLUMN id;
DROP INDEX IF EXISTS kallpanchis_data_version_name;
INSERT INTO kallpanchis_data_version (name, version) SELECT name, version FROM kallpanchis_data_version_sums;
ALTER TABLE kallpanchis_data_version ADD PRIMARY KEY (name);
CREATE OR REPLACE FUNCTION kallpanchis_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kallpanchis_data_version'));
    INSERT INTO kallpanchis_data_version (name, version) VALUES (TG_ARGV[0], floor(random() * 1e12))
    ON CONFLICT (name) DO UPDATE SET version = kallpanchis_data_version.version + 1;
    RETURN NULL;
END $$;
"""

SQLITE_FORWARD = """
CREATE TABLE kallpanchis_data_version_new (
    id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, version bigint NOT NULL);
INSERT INTO kallpanchis_data_version_new (name, version) SELECT name, version FROM kallpanchis_data_version;
DROP TABLE kallpanchis_data_version;
ALTER TABLE kallpanchis_data_version_new RENAME TO kallpanchis_data_version;
"""


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(FORWARD)
        else:  # SQLite (the demo without PostgreSQL): the table only, nothing is cached there
            for statement in filter(None, (s.strip() for s in SQLITE_FORWARD.split(";"))):
                cursor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_data_version"),
        ("spaces", "0006_data_version_one_lock"),
        ("producers", "0003_data_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.DeleteModel(name="DataVersion"),
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.TextField()),
                        ("version", models.BigIntegerField()),
                    ],
                    options={"db_table": "kallpanchis_data_version"},
                ),
            ],
        ),
    ]
