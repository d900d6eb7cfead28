"""PostgreSQL only: search at 100,000 people.

- Tell the planner what pg_trgm's word-similarity operator (`%>`) costs. Declared as cheap as `=` (COST 1),
  it makes PostgreSQL read every name one by one (0.8 s at 100,000 people) rather than the trigram index
  (tens of milliseconds). Where the database user does not own the extension's functions (a managed
  database), this is skipped: search stays right, only slower. pg_dump does not keep it: on a restored
  database run `migrate people 0003` then `migrate`.
- A trigram index on the phone, for "the phone ends with these digits" (`LIKE '%…'`, which a b-tree cannot
  serve: every row was read).
"""

from django.db import DatabaseError, migrations, transaction

OPERATOR = "word_similarity_commutator_op(text, text)"


def _try(schema_editor, sql):
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(sql)
    except DatabaseError:
        pass


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _try(schema_editor, f"ALTER FUNCTION {OPERATOR} COST 100")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_phone_trgm ON people_person USING gin (phone gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _try(schema_editor, f"ALTER FUNCTION {OPERATOR} COST 1")
    schema_editor.execute("DROP INDEX IF EXISTS person_phone_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_import_matches")]

    operations = [migrations.RunPython(forwards, backwards)]
