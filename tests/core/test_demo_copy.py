"""The demo the tests copy in (tests/demo_data.py) is the demo `seed_demo` makes: the same rows in every
table, and the id sequences past them, so that a row added afterwards gets a new id."""

import pytest
from django.db import connection

from kallpanchis.organisations.models import Organisation
from tests.demo_data import seed_demo

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'django_migrations'"
        )
        found = {}
        for (name,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608  (names from the catalogue)
            found[name] = cursor.fetchone()[0]
    return found


def test_the_demo_copied_in_is_the_demo_seeded():
    seed_demo()  # seeded here or copied in: the session's first caller seeds
    first = counts()
    assert first["spaces_meeting"] > 50 and first["accounts_user"] > 5  # the demo really is there
    seed_demo()  # copied in over it
    assert counts() == first
    added = Organisation.objects.create(
        name="Asociación después de la copia", kind=Organisation.Kind.PRODUCER
    )
    assert added.pk > max(Organisation.objects.exclude(pk=added.pk).values_list("pk", flat=True))
