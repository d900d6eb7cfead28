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


def _upsert_all(model, key: str, rows: dict[str, dict], counts: LoadCounts) -> dict:
    """Match rows on their code in one query, create the missing ones in one statement and rewrite only
    the values that differ; returns {code: object}."""
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": rows})}
    missing = [model(**{key: code}, **values) for code, values in rows.items() if code not in existing]
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            counts.updated += 1
        else:
            counts.unchanged += 1
    for obj in model.objects.bulk_create(missing):
        existing[getattr(obj, key)] = obj
    counts.created += len(missing)
    return existing


@transaction.atomic
def territory_load(*, data_dir: Path = DATA_DIR) -> LoadCounts:
    """Load Cusco's provinces and districts (INEI UBIGEO) from the shipped CSVs. Running it again changes
    nothing: rows are matched on their code and only rewritten when a value differs."""
    counts = LoadCounts()
    with open(data_dir / "cusco_ubigeo_provincias.csv", encoding="utf-8") as fh:
        province_rows = {
            row["inei"][:4]: {"name": _title(row["provincia"]), **_figures(row)} for row in csv.DictReader(fh)
        }
    provinces = _upsert_all(Province, "code", province_rows, counts)
    with open(data_dir / "cusco_ubigeo.csv", encoding="utf-8") as fh:
        district_rows = {
            row["inei"]: {
                "name": _title(row["distrito"]),
                "province_id": provinces[row["inei"][:4]].pk,
                **_figures(row),
            }
            for row in csv.DictReader(fh)
        }
    _upsert_all(District, "ubigeo", district_rows, counts)
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
