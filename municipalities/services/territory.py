import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure

from ..models import District, Municipality, Province

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SMALL_WORDS = {"de", "del", "la", "las", "los", "y", "el"}


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _title(name: str) -> str:
    """'SAN JUAN DE JARPA' -> 'San Juan de Jarpa' (the CSV spells names in capitals without accents)."""
    words = name.strip().lower().split()
    return " ".join(w if i and w in SMALL_WORDS else w.capitalize() for i, w in enumerate(words))


def _num(value: str, places: int | None = 2):
    if value in ("", "NA", "S.I.", None):  # "S.I." = sin información
        return None
    if places is None:
        return round(float(value))
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


def _figures(row: dict) -> dict:
    return {
        "capital": row["capital"] if row["capital"] != "NA" else "",
        "latitude": _num(row["latitude"], 7),
        "longitude": _num(row["longitude"], 7),
        "altitude_m": _num(row["altitude"], None),
        "area_km2": _num(row["superficie"]),
        "population_estimate": _num(row["pob_2020_estimada"], None),
        "poverty_pct": _num(row["pct_pobreza_total"]),
        "extreme_poverty_pct": _num(row["pct_pobreza_extrema"]),
    }


def _upsert(model, lookup: dict, values: dict, counts: LoadCounts):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        counts.created += 1
        return model.objects.create(**lookup, **values)
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        counts.updated += 1
    else:
        counts.unchanged += 1
    return obj


@transaction.atomic
def territory_load(*, data_dir: Path = DATA_DIR) -> LoadCounts:
    """Load Cusco's provinces and districts (INEI UBIGEO) from the shipped CSVs. Running it again changes
    nothing: rows are matched on their code and only rewritten when a value differs."""
    counts = LoadCounts()
    provinces: dict[str, Province] = {}
    with open(data_dir / "cusco_ubigeo_provincias.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["inei"][:4]
            values = {"name": _title(row["provincia"]), **_figures(row)}
            provinces[code] = _upsert(Province, {"code": code}, values, counts)
    with open(data_dir / "cusco_ubigeo.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ubigeo = row["inei"]
            values = {
                "name": _title(row["distrito"]),
                "province_id": provinces[ubigeo[:4]].pk,
                **_figures(row),
            }
            _upsert(District, {"ubigeo": ubigeo}, values, counts)
    return counts


@transaction.atomic
def municipality_ensure(
    *, ubigeo: str, office_name: str = "", consortium_partner: bool = False
) -> Municipality:
    """The municipality of a province (4-digit UBIGEO) or district (6 digits), with its organisation;
    created once, found on later calls."""
    if len(ubigeo) == 4:
        province = Province.objects.get(code=ubigeo)
        district = District.objects.get(ubigeo=f"{ubigeo}01")  # the capital district ends in 01
        level, name = Municipality.Level.PROVINCIAL, f"Municipalidad Provincial de {province.name}"
    else:
        district = District.objects.select_related("province").get(ubigeo=ubigeo)
        province = district.province
        level, name = Municipality.Level.DISTRICT, f"Municipalidad Distrital de {district.name}"
    organisation = organisation_ensure(
        name=name,
        kind=Organisation.Kind.MUNICIPALITY,
        consortium_role=Organisation.ConsortiumRole.PUBLIC_OWNER if consortium_partner else "",
    )
    municipality, _created = Municipality.objects.get_or_create(
        organisation=organisation,
        defaults={"level": level, "province": province, "district": district, "office_name": office_name},
    )
    return municipality
