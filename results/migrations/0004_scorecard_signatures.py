"""Each municipality's scorecard row of a year is kept under a signature of the reports and targets under it
(results/scorecard_rows.py). Reading it from those rows (a sum of their row versions) cost a scan of the
year's reports and targets on every write; here the database keeps it: a statement trigger on each table
gives every (municipality, year) a statement touched a new number from one sequence, in the same
transaction as the write. Numbers are never given twice (a sequence is not rolled back, and the tests'
copy of the demo never moves it back), so a signature is never one an older content had. A report's year is
its period's when it is written: periods are made once (`periods_ensure`) and never changed.
"""

from django.db import migrations

from kallpanchis.core.sql_migrations import on_postgresql

FORWARD = """
CREATE SEQUENCE IF NOT EXISTS results_scorecard_signature_seq;
CREATE TABLE IF NOT EXISTS results_scorecard_signature (
    municipality_id bigint NOT NULL,
    year integer NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (municipality_id, year)
);
CREATE OR REPLACE FUNCTION results_scorecard_signature_step() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched jsonb := '[]';
    part jsonb;
    side text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE results_scorecard_signature SET version = nextval('results_scorecard_signature_seq');
        RETURN NULL;
    END IF;
    -- (municipality, year) of the rows before and after the statement; a report's year is its period's.
    FOREACH side IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                     ELSE ARRAY['new_rows', 'old_rows'] END LOOP
        IF TG_TABLE_NAME = 'results_report' THEN
            EXECUTE format('SELECT jsonb_agg(DISTINCT jsonb_build_array(r.municipality_id, p.year)) '
                           'FROM %I r JOIN results_period p ON p.id = r.period_id', side) INTO part;
        ELSE
            EXECUTE format('SELECT jsonb_agg(DISTINCT jsonb_build_array(municipality_id, year)) FROM %I', side)
                INTO part;
        END IF;
        touched := touched || coalesce(part, '[]');
    END LOOP;
    -- In one order, so that two writers touching the same pairs wait for each other instead of deadlocking.
    INSERT INTO results_scorecard_signature (municipality_id, year, version)
    SELECT m, y, nextval('results_scorecard_signature_seq') FROM (
        SELECT DISTINCT (pair ->> 0)::bigint AS m, (pair ->> 1)::integer AS y
        FROM jsonb_array_elements(touched) AS pair ORDER BY 1, 2
    ) AS pairs
    ON CONFLICT (municipality_id, year) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END
$$;
"""
TRIGGERS = {
    "insert": ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
    "update": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "delete": ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
    "truncate": ("TRUNCATE", ""),
}
TABLES = ["results_report", "results_target"]
CREATE = "\n".join(
    f"CREATE TRIGGER {table}_signature_{name} AFTER {event} ON {table} {referencing} "
    "FOR EACH STATEMENT EXECUTE FUNCTION results_scorecard_signature_step();"
    for table in TABLES
    for name, (event, referencing) in TRIGGERS.items()
)
# What is there already gets its first signatures.
FILL = """
INSERT INTO results_scorecard_signature (municipality_id, year, version)
SELECT m, y, nextval('results_scorecard_signature_seq') FROM (
    SELECT municipality_id AS m, year AS y FROM results_target
    UNION
    SELECT r.municipality_id, p.year FROM results_report r JOIN results_period p ON p.id = r.period_id
    ORDER BY 1, 2
) AS pairs
ON CONFLICT DO NOTHING;
"""
BACKWARD = "\n".join(
    [f"DROP TRIGGER IF EXISTS {table}_signature_{name} ON {table};" for table in TABLES for name in TRIGGERS]
    + [
        "DROP FUNCTION IF EXISTS results_scorecard_signature_step();",
        "DROP TABLE IF EXISTS results_scorecard_signature;",
        "DROP SEQUENCE IF EXISTS results_scorecard_signature_seq;",
    ]
)


class Migration(migrations.Migration):
    dependencies = [("results", "0003_scorecard_data_version")]

    operations = [migrations.RunPython(on_postgresql(FORWARD + CREATE + FILL), on_postgresql(BACKWARD))]
