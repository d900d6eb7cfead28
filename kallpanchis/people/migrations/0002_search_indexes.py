"""PostgreSQL only: the pg_trgm extension and a GIN trigram index on the normalised name (fuzzy search,
duplicate checks), and a pattern index on the district code (scope by UBIGEO prefix). The SQLite demo
has neither and searches plainly (kallpanchis/people/search.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_name_trgm ON people_person USING gin (search_name gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_district_prefix ON people_person (district_ubigeo varchar_pattern_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_search_name_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS person_district_prefix")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_register")]

    operations = [migrations.RunPython(forwards, backwards)]
