"""The version bump first takes one transaction-level advisory lock: a transaction that holds one group's
version row then always holds the others' turn too, so two writers can never each hold one group's row
while waiting for the other's (an organisation is in both groups: its triggers take producers then spaces,
and a transaction writing a meeting then an organisation would take them the other way round)."""

from django.db import migrations

from kallpanchis.core.sql_migrations import on_postgresql

# Only a function still without the lock is replaced: since core 0001 owns the function (and may have created
# it first on a fresh database), this never overwrites core's.
FUNCTION = """
DO $do$ BEGIN
IF NOT EXISTS (
    SELECT 1 FROM pg_proc
    WHERE proname = 'kallpanchis_data_version_bump' AND prosrc LIKE '%pg_advisory_xact_lock%'
) THEN
CREATE OR REPLACE FUNCTION kallpanchis_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kallpanchis_data_version'));
    INSERT INTO kallpanchis_data_version (name, version) VALUES (TG_ARGV[0], floor(random() * 1e12))
    ON CONFLICT (name) DO UPDATE SET version = kallpanchis_data_version.version + 1;
    RETURN NULL;
END $$;
END IF;
END $do$;
"""


class Migration(migrations.Migration):
    dependencies = [("spaces", "0005_data_version")]

    # Going back keeps the function with the lock: it belongs to core now.
    operations = [migrations.RunPython(on_postgresql(FUNCTION), migrations.RunPython.noop)]
