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
