"""The producers' version in kallpanchis_data_version (the table and the function are core's, core 0001;
spaces 0005 makes sure they exist), bumped by a statement trigger in the same transaction as every write to
what the plan list and the production table read or scope by: the cached blocks are keyed by it
(kallpanchis/core/caching.py)."""

from django.db import migrations

from kallpanchis.core.sql_migrations import on_postgresql

GROUP = "producers"
TABLES = [
    "producers_producerassociation",
    "producers_plandeadline",
    "producers_operatingplan",
    "producers_activity",
    "producers_budgetline",
    "producers_productionrecord",
    "organisations_organisation",
    "municipalities_district",
    "municipalities_municipality",
]
CREATE = "\n".join(
    f"CREATE TRIGGER {table}_{GROUP}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION kallpanchis_data_version_bump('{GROUP}');"
    for table in TABLES
)
DROP = "\n".join(f"DROP TRIGGER IF EXISTS {table}_{GROUP}_version ON {table};" for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0002_productive_lines_json"),
        ("spaces", "0005_data_version"),
    ]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
