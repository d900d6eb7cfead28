"""The scorecard's table is cached until the data under it changes (kallpanchis/core/caching.py): a statement
trigger on each table it reads bumps the `results` group's version in the same transaction as the write."""

from django.db import migrations

from kallpanchis.core.sql_migrations import on_postgresql

GROUP = "results"
TABLES = [
    "results_expectedresult",
    "results_indicator",
    "results_target",
    "results_assignment",
    "results_report",
    "municipalities_municipality",
    "organisations_organisation",
]
CREATE = "\n".join(
    f"CREATE TRIGGER {table}_{GROUP}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION kallpanchis_data_version_bump('{GROUP}');"
    for table in TABLES
)
DROP = "\n".join(f"DROP TRIGGER IF EXISTS {table}_{GROUP}_version ON {table};" for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0002_approved_reports_locked"),
        ("core", "0002_data_version_without_lock"),
    ]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
