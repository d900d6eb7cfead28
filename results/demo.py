"""The seed's results framework: the project's own expected results measured by what the municipalities
report each semester — pastures improved, water sources protected, families with better food security,
cheese plants with sanitary registration, the price received against the market's, and how institutional
the concertation is — with targets per municipality and two years of values: approved, returned and
resubmitted, one corrected through a new version, some of this year's still waiting for review."""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from municipalities.demo import PARTNER_MUNICIPALITIES
from municipalities.services import municipality_ensure

from . import services
from .categories import districts_of
from .models import ExpectedResult, Indicator, Report

RESULTS = [
    (1, "Producción segura para la seguridad alimentaria; pastos y agua manejados"),
    (2, "Mejor calidad, precios justos y circuitos cortos"),
    (3, "Concertación y gestión municipal del desarrollo productivo"),
]

# code, result, name, unit, decimals, time rule, place rule, disaggregations, higher is better,
# yearly target for a provincial / a district municipality, baseline
INDICATORS = [
    ("pastos_mejorados", 1, "Pasto mejorado", "ha", 1, "sum", "sum", ["gender"], True, 300, 80, 0),
    (
        "fuentes_agua",
        1,
        "Fuentes de agua protegidas",
        "fuentes",
        0,
        "sum",
        "sum",
        ["district"],
        True,
        24,
        8,
        0,
    ),
    (
        "familias_seguridad_alimentaria",
        1,
        "Familias con seguridad alimentaria mejorada",
        "familias",
        0,
        "latest",
        "sum",
        ["gender", "age_group"],
        True,
        600,
        150,
        0,
    ),
    (
        "plantas_queseras_rs",
        2,
        "Plantas queseras con registro sanitario",
        "plantas",
        0,
        "latest",
        "sum",
        [],
        True,
        6,
        2,
        1,
    ),
    (
        "precio_vs_mercado",
        2,
        "Precio recibido frente al precio de mercado",
        "%",
        1,
        "average",
        "average",
        [],
        True,
        110,
        110,
        92,
    ),
]
QUALITATIVE = (
    "concertacion_institucional",
    3,
    "Concertación institucionalizada en la municipalidad",
    ["Sin espacio", "Espacio creado", "Se reúne con regularidad", "Con ordenanza y presupuesto"],
)


def seed(stdout) -> None:
    User = get_user_model()
    coordinator = User.objects.filter(email="coordinadora@demo.kallpanchis.pe").first()
    if coordinator is None:
        stdout.write("Results: no demo coordinator, skipped.")
        return
    staff = {
        "0803": User.objects.filter(email="tecnico.anta@demo.kallpanchis.pe").first(),
        "0807": User.objects.filter(email="tecnica.chumbivilcas@demo.kallpanchis.pe").first(),
    }
    municipalities = [municipality_ensure(ubigeo=ubigeo) for ubigeo, _office in PARTNER_MUNICIPALITIES]
    results = {}
    for number, title in RESULTS:
        results[number] = ExpectedResult.objects.get_or_create(number=number, defaults={"title": title})[0]
    indicators = []
    for position, row in enumerate(INDICATORS):
        (
            code,
            result,
            name,
            unit,
            decimals,
            time_rule,
            place_rule,
            disagg,
            higher,
            provincial,
            district,
            base,
        ) = row
        indicator = Indicator.objects.filter(code=code).first() or services.indicator_create(
            by=coordinator,
            result=results[result],
            code=code,
            name=name,
            unit=unit,
            decimals=decimals,
            time_aggregation=time_rule,
            place_aggregation=place_rule,
            disaggregations=disagg,
            higher_is_better=higher,
            baseline=Decimal(base),
            baseline_year=2008,
            frequency="semester",
            position=position,
        )
        indicators.append((indicator, provincial, district))
    code, result, name, scale = QUALITATIVE
    qualitative = Indicator.objects.filter(code=code).first() or services.indicator_create(
        by=coordinator,
        result=results[result],
        code=code,
        name=name,
        kind=Indicator.Kind.QUALITATIVE,
        scale=scale,
        time_aggregation="latest",
        place_aggregation="average",
        frequency="semester",
        position=len(INDICATORS),
    )
    indicators.append((qualitative, 3, 3))
    if Report.objects.exists():
        stdout.write("Results: already seeded.")
        return
    today = timezone.localdate()
    rng = random.Random(15)
    counts = {"approved": 0, "returned": 0, "submitted": 0, "corrected": 0}
    for year in (today.year - 1, today.year):
        periods = [p for p in services.periods_ensure(frequency="semester", year=year) if p.ends_on < today]
        for indicator, provincial, district in indicators:
            for municipality in municipalities:
                target = provincial if municipality.level == municipality.Level.PROVINCIAL else district
                services.indicator_municipality_set(
                    by=coordinator,
                    indicator=indicator,
                    municipality=municipality,
                    year=year,
                    value=Decimal(target),
                )
                reporter = staff.get(municipality.ubigeo) or coordinator
                for period in periods:
                    _report(
                        rng,
                        counts,
                        indicator,
                        municipality,
                        period,
                        target,
                        reporter,
                        coordinator,
                        year == today.year,
                    )
    stdout.write(
        "Results: {} indicators, {} values approved, {} returned, {} waiting for review, "
        "{} corrected.".format(
            len(indicators), counts["approved"], counts["returned"], counts["submitted"], counts["corrected"]
        )
    )


def _figures(rng, indicator, municipality, total: Decimal) -> dict:
    """Disaggregated figures that add up to the total (the first category takes the rest)."""
    out = {}
    for dimension in indicator.disaggregations:
        if dimension == "gender":
            codes = ["female", "male"]
        elif dimension == "age_group":
            codes = ["youth", "adult", "elder"]
        elif dimension == "district":
            codes = [code for code, _name in districts_of(municipality)][:3]
        else:
            continue
        share = [Decimal(rng.randint(20, 60)) for _ in codes[1:]]
        parts = [(total * s / 100 / len(codes)).quantize(Decimal(1)) for s in share]
        out[dimension] = {
            codes[0]: str(total - sum(parts)),
            **{c: str(p) for c, p in zip(codes[1:], parts, strict=True)},
        }
    return out


def _value(rng, indicator, target, period_number) -> dict:
    if not indicator.is_quantitative:
        return {"level": min(len(indicator.scale) - 1, rng.randint(1, 2) + period_number // 2)}
    if indicator.time_aggregation == "sum":
        figure = Decimal(target) / 2 * Decimal(rng.randint(55, 115)) / 100
    elif indicator.code == "precio_vs_mercado":
        figure = Decimal(rng.randint(95, 118))
    else:
        figure = Decimal(target) * Decimal(rng.randint(40, 100)) / 100
    return {"value": round(figure, indicator.decimals)}


def _report(rng, counts, indicator, municipality, period, target, reporter, coordinator, this_year) -> None:
    value = _value(rng, indicator, target, period.number)
    total = value.get("value")
    figures = _figures(rng, indicator, municipality, total) if total is not None else {}
    narrative = "Informe del semestre: trabajo con las familias de las comunidades."
    report = services.report_submit(
        by=reporter,
        indicator=indicator,
        municipality=municipality,
        period=period,
        disaggregation=figures,
        narrative=narrative,
        **value,
    )
    fate = rng.random()
    if this_year and fate < 0.2:
        counts["submitted"] += 1
        return
    if fate < 0.35:
        services.report_return(
            by=coordinator, report=report, comment="Falta la foto de respaldo y el desglose por comunidad."
        )
        if this_year:
            counts["returned"] += 1
            return
        report = services.report_submit(
            by=reporter,
            indicator=indicator,
            municipality=municipality,
            period=period,
            disaggregation=figures,
            narrative=narrative + " Se adjunta el desglose.",
            **value,
        )
    report = services.report_approve(by=coordinator, report=report)
    counts["approved"] += 1
    if not this_year and fate > 0.95 and total is not None:
        fixed = round(total * Decimal("0.9"), indicator.decimals)
        corrected = services.report_correct(
            by=coordinator,
            report=report,
            reason="El acta de verificación de campo dio otra cifra.",
            value=fixed,
            disaggregation=_figures(rng, indicator, municipality, fixed),
        )
        services.report_approve(by=coordinator, report=corrected)
        counts["corrected"] += 1
