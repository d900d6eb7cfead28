"""Each table's own version beside its group's: the data version's trigger function also steps a group named
after the table it fires on, `t:<table>` (every statement), and `r:<table>` when the statement can change
which rows the table holds (INSERT, DELETE, TRUNCATE). A value computed from a few tables is then kept until
one of those tables changes (kallpanchis/core/caching.py, `cached(..., tables=AUTO)`), not until any table
of its group does; a count of a whole table, until a row comes or goes. Same rules as the group's step: one
row per transaction and group, no lock another writer waits for. The table is vacuumed after every thousand
dead rows rather than a fifth of its size: it is small, and every reader scans it.
"""

from importlib import import_module

from django.db import migrations

STEP = """
CREATE OR REPLACE FUNCTION kallpanchis_data_version_step(target text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    -- a setting's name is made of identifiers: the group's digest, not the group's name
    setting text := 'kallpanchis.version_step_' || md5(target);
    mine bigint := nullif(current_setting(setting, true), '')::bigint;
BEGIN
    -- One row per transaction and group, remembered in a transaction-local setting (rolled back with a
    -- savepoint, as the row is); each further statement adds to that row, which no one else can see or
    -- lock before the commit. No lock any other writer waits for.
    IF mine IS NULL THEN
        INSERT INTO kallpanchis_data_version (name, version)
        VALUES (target, 1 + floor(random() * 1e12)::bigint) RETURNING id INTO mine;
        PERFORM set_config(setting, mine::text, true);
    ELSE
        UPDATE kallpanchis_data_version
        SET version = (version + 1 + floor(random() * 1e12)::bigint) % 4611686018427387904 WHERE id = mine;
    END IF;
END $$;
"""

FORWARD = STEP + """
-- Every write adds step rows and readers fold them: the table is mostly dead rows unless vacuumed often,
-- and each reader scans it.
ALTER TABLE kallpanchis_data_version SET (
    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0
);
CREATE OR REPLACE FUNCTION kallpanchis_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kallpanchis_data_version_step(TG_ARGV[0]);
    PERFORM kallpanchis_data_version_step('t:' || TG_TABLE_NAME);
    IF TG_OP <> 'UPDATE' THEN
        PERFORM kallpanchis_data_version_step('r:' || TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END $$;
"""

# Back to core 0002's function (one group, no table), without the tables' steps.
BACKWARD = (
    """
ALTER TABLE kallpanchis_data_version RESET (
    autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_cost_delay
);
DELETE FROM kallpanchis_data_version WHERE name LIKE 't:%' OR name LIKE 'r:%';
DROP FUNCTION IF EXISTS kallpanchis_data_version_step(text);
"""
    + import_module("kallpanchis.core.migrations.0002_data_version_without_lock").BUMP
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_data_version_without_lock")]

    operations = [migrations.RunPython(forward, backward)]
