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
