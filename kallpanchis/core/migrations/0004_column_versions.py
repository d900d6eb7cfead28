"""Each column's own version beside its table's: an UPDATE steps `c:<table>.<column>` for every column whose
value it changed in some row, so that a value computed from a few columns (a filtered count, a filter's
choices) is kept across writes to the others (kallpanchis/core/caching.py, `_reads`). Rows are paired by
their id; when they cannot be (a table without one, a changed id) or the statement changed many rows, it
steps `c:<table>.*`, which every such value reads too. Fired by the history app's trigger on each versioned
table (kallpanchis/history/versioning.py), with the statement's old and new rows; same rules as the other
steps (core 0003: one row per transaction and name, no lock).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION kallpanchis_data_version_columns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    paired bigint;
    changed text[];
    col text;
BEGIN
    -- Past a thousand rows, comparing them costs more than the values it would keep.
    IF (SELECT count(*) FROM new_rows) > 1000 THEN
        PERFORM kallpanchis_data_version_step('c:' || TG_TABLE_NAME || '.*');
        RETURN NULL;
    END IF;
    WITH pairs AS (
        SELECT o.row AS before, n.row AS after
        FROM (SELECT to_jsonb(t) AS row FROM old_rows t) o
        JOIN (SELECT to_jsonb(t) AS row FROM new_rows t) n ON (o.row -> 'id') = (n.row -> 'id')
    )
    SELECT (SELECT count(*) FROM pairs),
           ARRAY(SELECT DISTINCT e.key FROM pairs p, jsonb_each(p.after) e
                 WHERE (p.before -> e.key) IS DISTINCT FROM e.value)
    INTO paired, changed;
    IF paired <> (SELECT count(*) FROM new_rows) THEN
        changed := changed || '*'::text;
    END IF;
    FOREACH col IN ARRAY changed LOOP
        PERFORM kallpanchis_data_version_step('c:' || TG_TABLE_NAME || '.' || col);
    END LOOP;
    RETURN NULL;
END $$;
"""

BACKWARD = """
DROP FUNCTION IF EXISTS kallpanchis_data_version_columns() CASCADE;
DELETE FROM kallpanchis_data_version WHERE name LIKE 'c:%';
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_table_versions")]

    operations = [migrations.RunPython(forward, backward)]
