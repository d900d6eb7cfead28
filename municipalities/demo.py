"""Demo data for the municipalities app: the five partner municipalities with their real UBIGEO (BRIEF.md),
their five partnership agreements, the three mancomunidades, ~25 technicians of the network, a dozen
trainings with attendance and a few events. Names of people are invented. Running it again changes
nothing: every row is found by its natural key before it is created."""

import datetime
import itertools

from django.utils import timezone

from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation

from .models import (
    Event,
    EventParticipation,
    MunicipalAssociation,
    PartnershipAgreement,
    Province,
    SupportedAction,
    Technician,
    Training,
    TrainingAttendance,
)
from .services import municipality_ensure, territory_load

PARTNER_MUNICIPALITIES = [
    ("0803", "Oficina de Desarrollo Económico Local"),  # Anta (provincial)
    ("0807", "Gerencia de Desarrollo Económico"),  # Chumbivilcas (provincial)
    ("080704", "Oficina de Desarrollo Económico"),  # Colquemarca
    ("080308", "Oficina de Desarrollo Económico"),  # Pucyura
    ("080304", "Oficina de Desarrollo Económico"),  # Chinchaypujio
]
CONSORTIUM_SHORT_NAMES = ["AVSF", "CADEP", "REMURPE", "ARPAC"]

# (name, registration, purpose, member UBIGEOs, supported actions (year, title))
MANCOMUNIDADES = [
    (
        "Mancomunidad Municipal Hatun Mayu",
        "Registro de Mancomunidades Municipales (ejemplo) N.º 001-2009",
        "Gestión concertada de la cuenca y de los pastos altoandinos en cinco distritos de Anta.",
        ["080308", "080305", "080309", "080303", "080302"],
        [(2009, "Plan de manejo de pastos de la cuenca"), (2010, "Feria intercomunal de leche y quesos")],
    ),
    (
        "Mancomunidad Municipal Wilcamayu",
        "Registro de Mancomunidades Municipales (ejemplo) N.º 014-2009",
        "Desarrollo económico del valle del Vilcanota en cuatro provincias del Cusco.",
        ["0804", "0813", "0812", "0806"],
        [
            (2009, "Estudio de mercado de productos lácteos del valle"),
            (2010, "Plan de desarrollo económico común"),
        ],
    ),
    (
        "Mancomunidad de Municipalidades de la Cuenca del Río Santo Tomás",
        "",
        "Municipalidades de la cuenca del río Santo Tomás (Chumbivilcas, Cusco, y Cotabambas, Apurímac; "
        "Cotabambas está fuera del territorio cargado).",
        ["0807", "080704", "080706", "080707"],
        [(2010, "Diagnóstico de recursos hídricos de la cuenca")],
    ),
]

FIRST_NAMES = [
    ("Nélida", Gender.FEMALE),
    ("Juan", Gender.MALE),
    ("Marisol", Gender.FEMALE),
    ("Wilber", Gender.MALE),
    ("Yeny", Gender.FEMALE),
    ("Edwin", Gender.MALE),
    ("Lourdes", Gender.FEMALE),
    ("Fredy", Gender.MALE),
    ("Rocío", Gender.FEMALE),
    ("Hilario", Gender.MALE),
]
SURNAMES = [
    "Quispe",
    "Huamán",
    "Mamani",
    "Condori",
    "Ccahuana",
    "Huillca",
    "Choque",
    "Puma",
    "Yupanqui",
    "Tito",
]
POSITIONS = [
    "Jefe de la Oficina de Desarrollo Económico",
    "Técnico agropecuario",
    "Promotora de desarrollo económico",
    "Técnico de presupuesto participativo",
    "Extensionista pecuario",
    "Responsable de programas sociales",
]
TECHNICIANS_PER_MUNICIPALITY = {"0803": 6, "0807": 6, "080704": 4, "080308": 4, "080304": 5}

TRAININGS = [
    ("Plan de desarrollo económico local: diagnóstico", "led_plans", "REMURPE", "Cusco"),
    ("Plan de desarrollo económico local: visión y ejes", "led_plans", "REMURPE", "Anta (Izcuchaca)"),
    ("Instrumentos de gestión municipal: ROF y MOF", "management", "REMURPE", "Cusco"),
    ("Presupuesto participativo por resultados", "management", "REMURPE", "Santo Tomás"),
    ("Competitividad de la cadena de la leche", "competitiveness", "CADEP", "Anta (Izcuchaca)"),
    ("Calidad e inocuidad de quesos", "competitiveness", "CADEP", "Colquemarca"),
    ("Proyectos de inversión pública productivos (SNIP)", "management", "AVSF", "Cusco"),
    ("Crianza tecnificada de cuyes y mercados", "competitiveness", "CADEP", "Chinchaypujio"),
    ("Concertación con organizaciones de productores", "led_plans", "AVSF", "Santo Tomás"),
    ("Manejo de pastos altoandinos y agua", "competitiveness", "CADEP", "Pucyura"),
    ("Plan operativo de la oficina de desarrollo económico", "management", "REMURPE", "Cusco"),
    ("Articulación comercial y ferias locales", "competitiveness", "ARPAC", "Anta (Izcuchaca)"),
]

# (name, scope, start, end, place, organisers, {ubigeo: (women, men, who)})
EVENTS = [
    (
        "Encuentro regional de municipalidades rurales del Cusco",
        Event.Scope.REGIONAL,
        datetime.date(2008, 9, 18),
        datetime.date(2008, 9, 19),
        "Cusco",
        ["REMURPE", "AVSF"],
        {
            "0803": (2, 4, "alcalde, regidores y técnicos"),
            "0807": (1, 3, "alcalde y técnicos"),
            "080704": (1, 2, "teniente alcalde y técnico"),
            "080308": (2, 1, "regidora y técnicos"),
            "080304": (1, 2, "alcalde y técnica"),
        },
    ),
    (
        "Congreso nacional de municipalidades rurales",
        Event.Scope.NATIONAL,
        datetime.date(2009, 6, 4),
        datetime.date(2009, 6, 6),
        "Lima",
        ["REMURPE"],
        {"0803": (1, 2, "alcalde y regidora"), "0807": (0, 2, "alcalde y regidor")},
    ),
    (
        "Foro regional de desarrollo económico local",
        Event.Scope.REGIONAL,
        datetime.date(2010, 5, 21),
        None,
        "Santo Tomás",
        ["AVSF", "CADEP", "ARPAC"],
        {"0807": (4, 5, "técnicos y regidores"), "080704": (3, 2, "técnicos"), "0803": (2, 2, "técnicos")},
    ),
]


# The project's own dates (2007-2010) moved so that 2010 is the current year: the agreements are in force and
# the network's trainings and events fall in the last three years, like the rest of the demo.
STORY_YEAR = 2010


def _now_year(day: datetime.date) -> datetime.date:
    """A date of the project's story, the same number of years before this year as before 2010."""
    years = timezone.localdate().year - STORY_YEAR
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def seed(stdout) -> None:
    if not Province.objects.exists():
        territory_load()
    partners = {}
    for ubigeo, office in PARTNER_MUNICIPALITIES:
        municipality = municipality_ensure(ubigeo=ubigeo, office_name=office, consortium_partner=True)
        partners[ubigeo] = municipality
        if not municipality.publishes_open_data:  # the partners publish their open data
            municipality.publishes_open_data = True
            municipality.save(update_fields=["publishes_open_data"])
        stdout.write(f"Municipality: {municipality} ({municipality.ubigeo})")
    consortium = {o.short_name: o for o in Organisation.objects.filter(short_name__in=CONSORTIUM_SHORT_NAMES)}
    _agreements(partners, consortium)
    _mancomunidades()
    technicians = _technicians(partners)
    _trainings(technicians, consortium)
    _events(consortium)
    stdout.write(
        f"Agreements: {PartnershipAgreement.objects.count()}, mancomunidades: "
        f"{MunicipalAssociation.objects.count()}, technicians: {Technician.objects.count()}, trainings: "
        f"{Training.objects.count()}, events: {Event.objects.count()}"
    )


def _agreements(partners, consortium) -> None:
    for index, municipality in enumerate(partners.values()):
        signed = _now_year(datetime.date(2007, 11, 15)) + datetime.timedelta(days=45 * index)
        agreement, created = PartnershipAgreement.objects.get_or_create(
            municipality=municipality,
            title=f"Convenio de cooperación Kallpanchis – {municipality.organisation.name}",
            defaults={
                "signed_on": signed,
                "valid_from": signed,
                "valid_until": _now_year(datetime.date(STORY_YEAR + 1, 12, 31)),
                "objectives": "Fortalecer la capacidad de la municipalidad para liderar el desarrollo "
                "económico local en concertación con las organizaciones de productores.",
                "consortium_commitments": "Asistencia técnica, capacitación del equipo municipal y "
                "acompañamiento de los espacios de concertación.",
                "municipality_commitments": "Oficina de desarrollo económico con personal y presupuesto; "
                "convocatoria de los espacios de concertación; cofinanciamiento de proyectos productivos.",
            },
        )
        if created:
            agreement.consortium_parties.set(consortium.values())


def _mancomunidades() -> None:
    for name, registration, purpose, members, actions in MANCOMUNIDADES:
        association, created = MunicipalAssociation.objects.get_or_create(
            name=name, defaults={"registration_reference": registration, "purpose": purpose}
        )
        if created:
            association.members.set([municipality_ensure(ubigeo=code) for code in members])
        for year, title in actions:
            SupportedAction.objects.get_or_create(
                association=association,
                title=title,
                defaults={"year": _now_year(datetime.date(year, 1, 1)).year},
            )


def _technicians(partners) -> list[Technician]:
    people = itertools.cycle(itertools.product(range(len(FIRST_NAMES)), range(len(SURNAMES))))
    out = []
    n = 0
    for ubigeo, count in TECHNICIANS_PER_MUNICIPALITY.items():
        for _ in range(count):
            first, last = next(people)
            first_name, gender = FIRST_NAMES[(first + n) % len(FIRST_NAMES)]
            surname = SURNAMES[(last * 3 + n) % len(SURNAMES)]
            second = SURNAMES[(n * 7 + 1) % len(SURNAMES)]
            technician, _ = Technician.objects.get_or_create(
                municipality=partners[ubigeo],
                person_name=f"{first_name} {surname} {second}",
                defaults={
                    "gender": gender,
                    "position": POSITIONS[n % len(POSITIONS)],
                    "since": _now_year(datetime.date(2007 + n % 3, 1 + n % 12, 1)),
                },
            )
            out.append(technician)
            n += 1
    return out


def _trainings(technicians, consortium) -> None:
    for index, (title, topic, trainer, place) in enumerate(TRAININGS):
        held_on = _now_year(datetime.date(2008, 3, 12)) + datetime.timedelta(days=70 * index)
        training, created = Training.objects.get_or_create(
            title=title,
            held_on=held_on,
            defaults={
                "topic": topic,
                "place": place,
                "trainer_organisation": consortium.get(trainer),
                "materials": "Guía del participante (PDF)\nPresentaciones del taller",
            },
        )
        if not created:
            continue
        # About ten members at each training, a different mix each time; a few do not complete it.
        chosen = [t for i, t in enumerate(technicians) if (i + index) % 5 in (0, 1)]
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(
                training=training,
                technician=t,
                person_name=t.person_name,
                municipality_id=t.municipality_id,
                gender=t.gender,
                completed=(i + index) % 7 != 0,
            )
            for i, t in enumerate(chosen)
        )


def _events(consortium) -> None:
    for name, scope, starts, ends, place, organisers, participants in EVENTS:
        starts, ends = _now_year(starts), (_now_year(ends) if ends else None)
        event, created = Event.objects.get_or_create(
            name=name, starts_on=starts, defaults={"scope": scope, "ends_on": ends, "place": place}
        )
        if not created:
            continue
        event.organisers.set([consortium[o] for o in organisers if o in consortium])
        EventParticipation.objects.bulk_create(
            EventParticipation(
                event=event, municipality=municipality_ensure(ubigeo=ubigeo), women=women, men=men, who=who
            )
            for ubigeo, (women, men, who) in participants.items()
        )
