"""An approved report is locked in the database too: an UPDATE of an approved row, or a DELETE of one, is
refused whatever code runs it (a correction is a new row). PostgreSQL only; on the SQLite demo the
services alone keep the rule."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION results_report_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'approved' THEN
        RAISE EXCEPTION 'results_report % is approved and locked: correct it with a new version', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER results_report_locked BEFORE UPDATE OR DELETE ON results_report
    FOR EACH ROW EXECUTE FUNCTION results_report_locked();
"""
DROP = """
DROP TRIGGER IF EXISTS results_report_locked ON results_report;
DROP FUNCTION IF EXISTS results_report_locked();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
