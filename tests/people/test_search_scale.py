"""Search at scale: the spelling as typed first (the trigram index answers LIKE '%word%' in milliseconds),
spelling variants only when it finds few people."""

import pytest

from kallpanchis.people.models import Person
from kallpanchis.people.search import FUZZY_BELOW, search
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_variants_only_when_the_spelling_as_typed_finds_few():
    for _ in range(FUZZY_BELOW):
        PersonFactory(given_names="Hilaria", first_surname="Quispe")
    variant = PersonFactory(given_names="Hilaria", first_surname="Quispi")
    typed = list(search(Person.objects.all(), "hilaria quispe"))
    assert len(typed) == FUZZY_BELOW and variant not in typed
    # A spelling nobody has ("hilarya") varies; a word someone's name has as typed ("quispi") stays as typed.
    assert list(search(Person.objects.all(), "hilarya quispi")) == [variant]
    # Every word is someone's, yet together they find few: then any of them may vary.
    both = list(search(Person.objects.all(), "hilaria quispi"))
    assert both[0] == variant and len(both) == 1 + FUZZY_BELOW


def test_a_phone_is_found_by_its_last_digits():
    person = PersonFactory(given_names="Yolanda", first_surname="Cjuro", phone="+51984100301")
    assert list(search(Person.objects.all(), "100301")) == [person]


def test_the_last_digits_of_a_phone_are_looked_up_in_the_reversed_phone_index():
    """A run of digits makes few distinct trigrams, so a trigram index read thousands of rows for "ends
    with"; the b-tree on the reversed phone reads one. The search's condition must be one it can serve."""
    from django.db import connection, transaction

    PersonFactory(phone="+51984100301")
    found = search(Person.objects.all(), "100301")
    sql, params = found.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_phone_reversed" in plan
