from municipalities.services import municipality_ensure

PARTNERS = {
    "anta": "0803",
    "chumbivilcas": "0807",
    "colquemarca": "080704",
    "pucyura": "080308",
    "chinchaypujio": "080304",
}


def partner_municipalities() -> dict:
    """Needs the territory loaded (fixture `territory`)."""
    return {key: municipality_ensure(ubigeo=code, consortium_partner=True) for key, code in PARTNERS.items()}


def consortium() -> dict:
    """AVSF, CADEP, REMURPE, ARPAC by short name (as organisations.demo makes them)."""
    from kallpanchis.organisations.demo import CONSORTIUM
    from kallpanchis.organisations.services import organisation_ensure

    return {
        short: organisation_ensure(name=name, short_name=short, kind=kind, consortium_role=role)
        for name, short, kind, role in CONSORTIUM
    }


def make_agreement(municipality, **fields):
    import datetime

    from municipalities.models import PartnershipAgreement

    values = {
        "title": f"Convenio {municipality.organisation.name}",
        "signed_on": datetime.date(2024, 3, 1),
        "valid_from": datetime.date(2024, 3, 1),
        "valid_until": datetime.date(2030, 12, 31),
        "objectives": "Fortalecer la oficina de desarrollo económico.",
    }
    values.update(fields)
    return PartnershipAgreement.objects.create(municipality=municipality, **values)


def make_technician(municipality, name="Nélida Quispe", gender="female", **fields):
    from municipalities.models import Technician

    return Technician.objects.create(municipality=municipality, person_name=name, gender=gender, **fields)


def make_training(title="Plan de desarrollo económico local", **fields):
    import datetime

    from municipalities.models import Training

    values = {"topic": "led_plans", "held_on": datetime.date(2025, 5, 20), "place": "Cusco"}
    values.update(fields)
    return Training.objects.create(title=title, **values)


def make_association(name="Mancomunidad Hatun Mayu", members=()):
    from municipalities.models import MunicipalAssociation

    association = MunicipalAssociation.objects.create(name=name)
    association.members.set(members)
    return association


def make_event(name="Encuentro regional", **fields):
    import datetime

    from municipalities.models import Event

    values = {"scope": "regional", "starts_on": datetime.date(2025, 9, 18), "place": "Cusco"}
    values.update(fields)
    return Event.objects.create(name=name, **values)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
