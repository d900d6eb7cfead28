"""The five municipalities that signed agreements with the consortium (BRIEF.md), with their real UBIGEO."""

from .models import Province
from .services import municipality_ensure, territory_load

PARTNER_MUNICIPALITIES = [
    ("0803", "Oficina de Desarrollo Económico Local"),  # Anta (provincial)
    ("0807", "Gerencia de Desarrollo Económico"),  # Chumbivilcas (provincial)
    ("080704", "Oficina de Desarrollo Económico"),  # Colquemarca
    ("080308", "Oficina de Desarrollo Económico"),  # Pucyura
    ("080304", "Oficina de Desarrollo Económico"),  # Chinchaypujio
]


def seed(stdout) -> None:
    if not Province.objects.exists():
        territory_load()
    for ubigeo, office in PARTNER_MUNICIPALITIES:
        municipality = municipality_ensure(ubigeo=ubigeo, office_name=office, consortium_partner=True)
        stdout.write(f"Municipality: {municipality} ({municipality.ubigeo})")
