"""Demo register: a few families of Anta and Chumbivilcas with their consents, and one merged duplicate
per province (so the merge history and its undo can be tried). Safe to run again."""

import datetime

from django.db import transaction

from .models import Family, MergeRecord, Person
from .services import ConsentData, family_create, person_create, person_merge

# (district UBIGEO, community, [(given names, first surname, second surname, gender, birth year, DNI, phone)])
HOUSEHOLDS = [
    (
        "080301",
        "Comunidad Campesina Ccollpa",
        [
            ("Hilaria", "Quispe", "Mamani", "female", 1978, "40112233", "984100201"),
            ("Julián", "Huamán", "Ccori", "male", 1975, "", "984100202"),
            ("Rosa", "Huamán", "Quispe", "female", 2004, "", ""),
        ],
    ),
    (
        "080308",
        "Anexo Huayllaccocha",
        [
            ("Nélida", "Ccahua", "Puma", "female", 1969, "40112244", ""),
            ("Fortunato", "Ttito", "Ccahua", "male", 1992, "", "984100203"),
        ],
    ),
    (
        "080704",
        "Comunidad Campesina Ccollana",
        [
            ("Yolanda", "Cjuro", "Huillca", "female", 1983, "40112255", "984100301"),
            ("Teodoro", "Alccahuaman", "Cjuro", "male", 1980, "", ""),
        ],
    ),
    (
        "080701",
        "Comunidad Campesina Chilloroya",
        [
            ("Gregoria", "Huillca", "Quispe", "female", 1958, "", "984100302"),
            ("Santusa", "Puma", "Huillca", "female", 1990, "40112266", ""),
        ],
    ),
]
# A second record of someone already registered, merged into the first (one per province).
DUPLICATES = [
    ("080301", "Hilaria", "Quispe", ("Hilaria", "Quispi", "", "female", None, "", "")),
    ("080704", "Yolanda", "Cjuro", ("Yolanda", "Cjuru", "Huilca", "female", None, "", "")),
]
CONSENT = ConsentData(
    purpose="Registro en el padrón de participantes de los proyectos (Ley 29733).",
    given_on=datetime.date(2026, 3, 2),
    method="verbal",
    witness_name="Presidente de la comunidad",
)


def _register(district, community, row) -> Person:
    given, first, second, gender, year, dni, phone = row
    return person_create(
        by=None,
        consent=CONSENT,
        confirmed_new=True,
        given_names=given,
        first_surname=first,
        second_surname=second,
        gender=gender,
        birth_year=year,
        dni=dni,
        phone=phone,
        languages=["quechua", "spanish"] if year and year > 1985 else ["quechua"],
        community=community,
        district_ubigeo=district,
    )


@transaction.atomic
def seed(stdout) -> None:
    if Person.objects.exists():
        stdout.write("Register of people: already there.")
        return
    for district, community, rows in HOUSEHOLDS:
        members = [_register(district, community, row) for row in rows]
        family_create(by=None, members=members, reference_person=members[0])
    for district, given, first, row in DUPLICATES:
        kept = Person.objects.get(district_ubigeo=district, given_names=given, first_surname=first)
        duplicate = _register(district, kept.community, row)
        person_merge(by=None, kept=kept, merged=duplicate)
    stdout.write(
        f"Register of people: {Person.objects.count()} people, {Family.objects.count()} families, "
        f"{MergeRecord.objects.count()} merges."
    )
