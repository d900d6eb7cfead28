"""The Kallpanchis consortium as it was (BRIEF.md)."""

from .models import Organisation
from .services import organisation_ensure

CONSORTIUM = [
    (
        "Agronomes et Vétérinaires Sans Frontières",
        "AVSF",
        Organisation.Kind.NGO,
        Organisation.ConsortiumRole.COORDINATION,
    ),
    (
        'Centro de Apoyo al Desarrollo Económico y Productivo "José María Arguedas"',
        "CADEP",
        Organisation.Kind.NGO,
        Organisation.ConsortiumRole.PRODUCTION,
    ),
    (
        "Red de Municipalidades Rurales del Perú",
        "REMURPE",
        Organisation.Kind.NGO,
        Organisation.ConsortiumRole.MUNICIPALITIES,
    ),
    (
        "Asociación Regional de Productores Agropecuarios del Cusco",
        "ARPAC",
        Organisation.Kind.PRODUCER,
        Organisation.ConsortiumRole.PRODUCERS,
    ),
]


def seed(stdout) -> None:
    for name, short, kind, role in CONSORTIUM:
        organisation_ensure(name=name, short_name=short, kind=kind, consortium_role=role)
    stdout.write(f"Consortium: {', '.join(c[1] for c in CONSORTIUM)}")
