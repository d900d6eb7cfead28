import datetime

import factory

from kallpanchis.people.models import Person
from kallpanchis.people.services import ConsentData, person_create

ANTA = "080301"  # Anta (the province's capital district)
PUCYURA = "080308"
COLQUEMARCA = "080704"  # Chumbivilcas


def consent(**fields) -> ConsentData:
    values = {
        "purpose": "Registro de participantes del proyecto.",
        "given_on": datetime.date(2026, 3, 2),
        "method": "paper",
    }
    values.update(fields)
    return ConsentData(**values)


class PersonFactory(factory.django.DjangoModelFactory):
    """A row as the services would write it (search_name filled); use register() to go through the rules."""

    class Meta:
        model = Person

    given_names = factory.Faker("first_name", locale="es")
    first_surname = factory.Faker("last_name", locale="es")
    second_surname = ""
    gender = "female"
    district_ubigeo = ANTA
    search_name = factory.LazyAttribute(
        lambda p: __import__("kallpanchis.people.text", fromlist=["normalise"]).normalise(
            f"{p.given_names} {p.first_surname} {p.second_surname}"
        )
    )


def register(
    by=None, *, given_names="María", first_surname="Quispe", district_ubigeo=ANTA, **fields
) -> Person:
    """Through person_create, with a paper consent, confirming a new person unless told otherwise."""
    fields.setdefault("gender", "female")
    fields.setdefault("confirmed_new", True)
    return person_create(
        by=by,
        consent=fields.pop("consent", None) or consent(),
        given_names=given_names,
        first_surname=first_surname,
        district_ubigeo=district_ubigeo,
        **fields,
    )
