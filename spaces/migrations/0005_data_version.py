"""A version per group of tables, bumped by a statement trigger in the same transaction as every write to
them: the cached meeting list and agreements register are keyed by it (kallpanchis/core/caching.py)."""

from django.db import migrations

from kallpanchis.core.sql_migrations import on_postgresql

# What the meeting list and agreements register read or scope by.
TABLES = [
    "spaces_thematicgroup",
    "spaces_concertationspace",
    "spaces_spacemember",
    "spaces_meeting",
    "spaces_attendance",
    "spaces_agreement",
    "organisations_organisation",
    "municipalities_municipality",
    "municipalities_municipalassociation",
    "municipalities_municipalassociation_members",
]

# The first version of a group is random, so that a database created again (tests, a restore) never meets
# blocks cached for an earlier one under the same number. The table and the function now belong to core
# (kallpanchis/core/migrations/0001_data_version.py): on a fresh database that may run first, so they are
# created here only when missing, never replacing core's function.
FUNCTION = """
CREATE TABLE IF NOT EXISTS kallpanchis_data_version (name text PRIMARY KEY, version bigint NOT NULL);
DO $do$ BEGIN
IF to_regprocedure('kallpanchis_data_version_bump()') IS NULL THEN
CREATE FUNCTION kallpanchis_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kallpanchis_data_version (name, version) VALUES (TG_ARGV[0], floor(random() * 1e12))
    ON CONFLICT (name) DO UPDATE SET version = kallpanchis_data_version.version + 1;
    RETURN NULL;
END $$;
END IF;
END $do$;
"""


def triggers(group: str, tables: list[str]) -> tuple[str, str]:
    create = [
        f"CREATE TRIGGER {table}_{group}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION kallpanchis_data_version_bump('{group}');"
        for table in tables
    ]
    drop = [f"DROP TRIGGER IF EXISTS {table}_{group}_version ON {table};" for table in tables]
    return "\n".join(create), "\n".join(drop)


CREATE, DROP = triggers("spaces", TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0004_meeting_newest_first"),
        ("organisations", "0001_initial"),
        ("municipalities", "0002_municipal_association"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FUNCTION + CREATE), on_postgresql(DROP)),
    ]
