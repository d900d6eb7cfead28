"""People of the register who may get SMS, made in a few statements (the fault tests need hundreds)."""

import datetime

from kallpanchis.people.models import Consent, Person


def sms_people(
    n: int, *, target, start: int = 0, consent: bool = True, languages=("spanish",)
) -> list[Person]:
    made = Person.objects.bulk_create(
        [
            Person(
                given_names=f"Persona {start + i}",
                first_surname="Quispe",
                search_name=f"persona {start + i} quispe",
                phone=f"+519{target.pk % 100:02d}{start + i:06d}",
                district_ubigeo="080101",
                community=f"org{target.pk}",
                languages=list(languages),
            )
            for i in range(n)
        ]
    )
    kinds = [Consent.Kind.REGISTRATION] + ([Consent.Kind.SMS] if consent else [])
    Consent.objects.bulk_create(
        [
            Consent(
                person=person,
                kind=kind,
                purpose="Registro y avisos por SMS",
                given_on=datetime.date(2026, 1, 5),
                method=Consent.Method.PAPER,
            )
            for person in made
            for kind in kinds
        ]
    )
    return made
