"""Demo: the seed's concertation spaces (BRIEF.md) with three years of meetings, attendance and agreements.

Anta's technical space for economic development with thematic groups for milk, guinea pigs and gastronomy;
Chumbivilcas' provincial development space with technical, political and thematic sub-spaces; Colquemarca's
concerted development plan space. Volume goes in with bulk_create; running it again adds nothing.
"""

import datetime
import random

from django.utils import timezone

from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from municipalities.models import Municipality

from .models import (
    AgendaItem,
    Agreement,
    AgreementStatusChange,
    Attendance,
    ConcertationSpace,
    Meeting,
    MeetingEvent,
    SpaceMember,
    ThematicGroup,
)
from .services import space_create, space_member_add
from .services.reminders import agreement_reminders_schedule, meeting_reminders_schedule

Kind, Level = ConcertationSpace.Kind, ConcertationSpace.Level

ANTA_SPACE = "Espacio Técnico de Desarrollo Económico de Anta"
CHUMBI_SPACE = "Espacio de Concertación para el Desarrollo Provincial de Chumbivilcas"
THEMES = ["Leche y derivados lácteos", "Cuyes", "Gastronomía", "Pastos y agua"]

ORGANISATIONS = {
    "anta": [
        ("Asociación de Productores Lecheros Virgen de Natividad", Organisation.Kind.PRODUCER, True),
        ("Asociación de Criadores de Cuyes Sumaq Quwi de Pucyura", Organisation.Kind.PRODUCER, True),
        ("Asociación de Queseros de Chinchaypujio", Organisation.Kind.PRODUCER, True),
        ("Agencia Agraria Anta", Organisation.Kind.PUBLIC, False),
        ("Asociación Gastronómica de Anta", Organisation.Kind.PRIVATE, False),
    ],
    "chumbivilcas": [
        ("Asociación de Productores Agropecuarios de Colquemarca", Organisation.Kind.PRODUCER, True),
        ("Asociación de Ganaderos de Santo Tomás", Organisation.Kind.PRODUCER, True),
        ("Agencia Agraria Chumbivilcas", Organisation.Kind.PUBLIC, False),
        ("Comité de Regantes de Llusco", Organisation.Kind.PRODUCER, True),
    ],
}
NGOS = [
    'Centro de Apoyo al Desarrollo Económico y Productivo "José María Arguedas"',
    "Asociación Regional de Productores Agropecuarios del Cusco",
    "Red de Municipalidades Rurales del Perú",
]

WOMEN = [
    "Justina",
    "Nélida",
    "Rosa",
    "Maribel",
    "Hilda",
    "Yolanda",
    "Felícitas",
    "Marina",
    "Luzmila",
    "Eusebia",
]
MEN = ["Luis", "Jorge", "Édgar", "Valentín", "Celestino", "Mario", "Teófilo", "Hernán", "Wilber", "Saturnino"]
SURNAMES = [
    "Quispe",
    "Mamani",
    "Huamán",
    "Ccahuana",
    "Condori",
    "Huillca",
    "Ccori",
    "Puma",
    "Choque",
    "Sallo",
]
TOPICS = [
    "Precio de la leche fresca en el acopio",
    "Sanidad animal: campaña de dosificación",
    "Instalación de pastos cultivados",
    "Feria agropecuaria provincial",
    "Propuestas para el presupuesto participativo",
    "Plan operativo anual de las asociaciones",
    "Riego tecnificado y cosecha de agua",
    "Calidad del queso y registro sanitario",
]
AGREEMENTS = [
    "Gestionar un tanque de frío para el centro de acopio",
    "Organizar la campaña de dosificación en las comunidades",
    "Presentar el perfil del proyecto de pastos al presupuesto participativo",
    "Coordinar con SENASA la vacunación de vacunos",
    "Convocar a las asociaciones al taller de costos de producción",
    "Elaborar el padrón de productores de cuyes",
    "Gestionar el registro sanitario del queso",
    "Preparar la participación en la feria regional",
    "Informar sobre el avance del canal de riego",
]


def _organisations(names) -> list[Organisation]:
    return [organisation_ensure(name=n, kind=k) for n, k, _producer in names]


def _space(name, municipality, level, kind, *, parent=None, theme=None, public=False):
    existing = ConcertationSpace.objects.filter(name=name, municipality=municipality).first()
    if existing:
        return existing, False
    space = space_create(
        by=None,
        name=name,
        level=level,
        kind=kind,
        municipality=None if parent else municipality,
        parent=parent,
        thematic_group=theme,
        is_public=public,
        purpose="",
    )
    return space, True


def _person(rng: random.Random, woman: bool) -> str:
    first = rng.choice(WOMEN if woman else MEN)
    return f"{first} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"


def _meeting_plan(*, every_days: int, today: datetime.date, rng: random.Random) -> list[tuple]:
    """(start, status) of each meeting from three years back to two months ahead, one every `every_days`
    days or so; past meetings are mostly held, some cancelled or postponed."""
    start = today - datetime.timedelta(days=3 * 365)
    day = start + datetime.timedelta(days=rng.randrange(every_days))
    plan = []
    while day <= today + datetime.timedelta(days=60):
        hour = rng.choice([9, 10, 14])
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        if day < today:
            status = rng.choices(
                [Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.POSTPONED],
                [88, 5, 7],
            )[0]
        else:
            status = Meeting.Status.PLANNED
        plan.append((starts, status))
        day += datetime.timedelta(days=every_days + rng.randrange(-5, 6))
    # And one two days ago that is not logged yet: the technician's home page asks for its log.
    two_days_ago = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=2), datetime.time(10))
    )
    plan.append((two_days_ago, Meeting.Status.PLANNED))
    return sorted(plan, key=lambda entry: entry[0])


def _meetings_create(space, plan, *, places, rng: random.Random) -> list[Meeting]:
    """The meetings themselves; a postponed one was held at its new date."""
    return Meeting.objects.bulk_create(
        [
            Meeting(
                space=space,
                title=f"Reunión {'ordinaria' if i % 4 else 'extraordinaria'} n.º {i + 1}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                place=rng.choice(places),
                convened_by=str(space.convener),
                status=Meeting.Status.HELD if status == Meeting.Status.POSTPONED else status,
                minutes=(
                    "Se dio lectura al acta anterior y se revisaron los acuerdos. "
                    "Los participantes debatieron cada punto de la agenda."
                )
                if status in (Meeting.Status.HELD, Meeting.Status.POSTPONED)
                else "",
            )
            for i, (starts, status) in enumerate(plan)
        ]
    )


def _agenda(meeting, rng: random.Random) -> list[AgendaItem]:
    """The follow-up of agreements first, then two topics."""
    agenda = [AgendaItem(meeting=meeting, position=0, title="Seguimiento de acuerdos", is_follow_up=True)]
    for position, topic in enumerate(rng.sample(TOPICS, 2), start=1):
        agenda.append(AgendaItem(meeting=meeting, position=position, title=topic, duration_minutes=45))
    return agenda


def _meeting_history(meeting, status) -> list[MeetingEvent]:
    """Scheduled, then cancelled, or postponed and held a week later, or held."""
    events = [
        MeetingEvent(meeting=meeting, kind=MeetingEvent.Kind.SCHEDULED, new_starts_at=meeting.starts_at)
    ]
    if status == Meeting.Status.CANCELLED:
        events.append(
            MeetingEvent(
                meeting=meeting,
                kind=MeetingEvent.Kind.CANCELLED,
                old_starts_at=meeting.starts_at,
                reason="Paro agrario",
            )
        )
        return events
    if status == Meeting.Status.POSTPONED:
        # Held a week after the date first planned: the history keeps the old date.
        events.append(
            MeetingEvent(
                meeting=meeting,
                kind=MeetingEvent.Kind.POSTPONED,
                old_starts_at=meeting.starts_at - datetime.timedelta(days=7),
                new_starts_at=meeting.starts_at,
                reason="Coincidía con la feria dominical",
            )
        )
    if meeting.status == Meeting.Status.HELD:
        events.append(MeetingEvent(meeting=meeting, kind=MeetingEvent.Kind.HELD))
    return events


def _attendance(meeting, *, organisations, rng: random.Random) -> list[Attendance]:
    """8 to 24 people from the space's organisations, four in ten of them women."""
    rows = []
    for position in range(1, rng.randint(8, 24) + 1):
        woman = rng.random() < 0.4
        organisation = rng.choice(organisations)
        rows.append(
            Attendance(
                meeting=meeting,
                position=position,
                name=_person(rng, woman),
                organisation=organisation,
                organisation_name=organisation.name,
                role=rng.choice(["Presidente(a)", "Socio(a)", "Técnico(a)", "Delegado(a)", ""]),
                gender=Gender.FEMALE if woman else Gender.MALE,
                is_producer=organisation.kind == Organisation.Kind.PRODUCER,
            )
        )
    return rows


def _agreements(meeting, *, organisations, rng: random.Random) -> list[Agreement]:
    """One to three agreements due 15 to 90 days after the meeting."""
    meeting_day = timezone.localdate(meeting.starts_at)
    rows = []
    for what in rng.sample(AGREEMENTS, rng.randint(1, 3)):
        due = meeting_day + datetime.timedelta(days=rng.choice([15, 30, 45, 60, 90]))
        rows.append(
            Agreement(
                meeting=meeting,
                what=what,
                responsible_organisation=rng.choice(organisations),
                responsible_person=_person(rng, rng.random() < 0.4),
                due_date=due,
            )
        )
    return rows


def _agreements_follow_up(agreements, *, today: datetime.date, rng: random.Random) -> None:
    """Older agreements are mostly closed, recent ones still open, some fall overdue; each change of
    status leaves its history row."""
    history = []
    for agreement in agreements:
        age = (today - agreement.due_date).days
        if age < -30:
            continue
        roll = rng.random()
        when = timezone.make_aware(
            datetime.datetime.combine(min(agreement.due_date, today), datetime.time(11))
        )
        if roll < 0.55:
            late = rng.random() < 0.3
            done_on = agreement.due_date + datetime.timedelta(
                days=rng.randint(1, 20) if late else -rng.randint(0, 10)
            )
            done_on = min(done_on, today)
            agreement.status, agreement.done_on = Agreement.Status.DONE, done_on
            agreement.closed_at = timezone.make_aware(datetime.datetime.combine(done_on, datetime.time(11)))
            history.append(
                AgreementStatusChange(
                    agreement=agreement,
                    from_status="pending",
                    to_status="in_progress",
                    note="Se inició la gestión.",
                )
            )
            history.append(
                AgreementStatusChange(
                    agreement=agreement, from_status="in_progress", to_status="done", note="Cumplido."
                )
            )
        elif roll < 0.65:
            agreement.status, agreement.closed_at = Agreement.Status.DROPPED, when
            history.append(
                AgreementStatusChange(
                    agreement=agreement,
                    from_status="pending",
                    to_status="dropped",
                    note="Ya no es necesario.",
                )
            )
        elif roll < 0.85:
            agreement.status = Agreement.Status.IN_PROGRESS
            history.append(
                AgreementStatusChange(
                    agreement=agreement, from_status="pending", to_status="in_progress", note="En gestión."
                )
            )
    Agreement.objects.bulk_update(agreements, ["status", "done_on", "closed_at"], batch_size=500)
    AgreementStatusChange.objects.bulk_create(history)


def _reminders_schedule(space, meetings, plan, agreements, *, today: datetime.date) -> None:
    """What the meeting and agreement services do for each, so that `make run`'s worker has reminders to
    send: upcoming meetings invite the space's members and remind them; open agreements not yet due
    remind their responsible people (older ones would all fall due at once on the first dispatch)."""
    members = list(space.members.values_list("organisation_id", flat=True))
    for meeting, (_starts, status) in zip(meetings, plan, strict=True):
        if status == Meeting.Status.PLANNED:
            meeting.invited.set(members)
            meeting_reminders_schedule(meeting=meeting)
    for agreement in agreements:
        if agreement.is_open and agreement.due_date >= today:
            agreement_reminders_schedule(agreement=agreement)


def _meetings_for(space, *, organisations, places, every_days: int, rng: random.Random, counts: dict) -> None:
    """Three years back and two months ahead, one meeting every `every_days` days: agenda, history, and for
    those held, attendance and agreements followed up since."""
    today = timezone.localdate()
    plan = _meeting_plan(every_days=every_days, today=today, rng=rng)
    meetings = _meetings_create(space, plan, places=places, rng=rng)
    events, agenda, attendance, agreements = [], [], [], []
    for meeting, (_starts, status) in zip(meetings, plan, strict=True):
        agenda += _agenda(meeting, rng)
        events += _meeting_history(meeting, status)
        if meeting.status == Meeting.Status.HELD:
            attendance += _attendance(meeting, organisations=organisations, rng=rng)
            agreements += _agreements(meeting, organisations=organisations, rng=rng)
    MeetingEvent.objects.bulk_create(events)
    AgendaItem.objects.bulk_create(agenda)
    Attendance.objects.bulk_create(attendance)
    created = Agreement.objects.bulk_create(agreements)
    _agreements_follow_up(created, today=today, rng=rng)
    _reminders_schedule(space, meetings, plan, created, today=today)
    counts["meetings"] += len(meetings)
    counts["attendance"] += len(attendance)
    counts["agreements"] += len(created)


def _anta_spaces(themes, orgs) -> list[tuple]:
    """Anta's technical space for economic development and its thematic groups."""
    anta = Municipality.objects.get(level=Municipality.Level.PROVINCIAL, province__code="0803")
    # (name, municipality, level, kind, parent name, theme, public, organisations, places, every_days)
    return [
        (
            ANTA_SPACE,
            anta,
            Level.PROVINCIAL,
            Kind.TECHNICAL,
            None,
            None,
            True,
            orgs,
            ["Municipalidad Provincial de Anta, Izcuchaca", "Local comunal de Ancahuasi"],
            45,
        ),
        (
            "Grupo temático de leche",
            anta,
            Level.PROVINCIAL,
            Kind.THEMATIC,
            ANTA_SPACE,
            themes["Leche y derivados lácteos"],
            True,
            orgs[:3] + orgs[3:4],
            ["Centro de acopio de Zurite", "Local comunal de Huarocondo"],
            60,
        ),
        (
            "Grupo temático de cuyes",
            anta,
            Level.PROVINCIAL,
            Kind.THEMATIC,
            ANTA_SPACE,
            themes["Cuyes"],
            False,
            orgs[1:4],
            ["Local comunal de Pucyura"],
            75,
        ),
        (
            "Grupo temático de gastronomía",
            anta,
            Level.PROVINCIAL,
            Kind.THEMATIC,
            ANTA_SPACE,
            themes["Gastronomía"],
            False,
            orgs[3:5] + orgs[2:3],
            ["Municipalidad Provincial de Anta, Izcuchaca"],
            90,
        ),
    ]


def _chumbivilcas_spaces(themes, orgs, ngos) -> list[tuple]:
    """Chumbivilcas' provincial development space with its sub-spaces, and Colquemarca's concerted
    development plan space."""
    chumbivilcas = Municipality.objects.get(level=Municipality.Level.PROVINCIAL, province__code="0807")
    colquemarca = Municipality.objects.get(level=Municipality.Level.DISTRICT, district__ubigeo="080704")
    # (name, municipality, level, kind, parent name, theme, public, organisations, places, every_days)
    return [
        (
            CHUMBI_SPACE,
            chumbivilcas,
            Level.PROVINCIAL,
            Kind.DEVELOPMENT,
            None,
            None,
            True,
            orgs,
            ["Municipalidad Provincial de Chumbivilcas, Santo Tomás"],
            60,
        ),
        (
            "Subespacio técnico de Chumbivilcas",
            chumbivilcas,
            Level.PROVINCIAL,
            Kind.TECHNICAL,
            CHUMBI_SPACE,
            None,
            False,
            orgs,
            ["Santo Tomás"],
            45,
        ),
        (
            "Subespacio político de Chumbivilcas",
            chumbivilcas,
            Level.PROVINCIAL,
            Kind.POLITICAL,
            CHUMBI_SPACE,
            None,
            False,
            orgs[2:],
            ["Santo Tomás"],
            90,
        ),
        (
            "Subespacio temático de pastos y agua de Chumbivilcas",
            chumbivilcas,
            Level.PROVINCIAL,
            Kind.THEMATIC,
            CHUMBI_SPACE,
            themes["Pastos y agua"],
            False,
            orgs[:2] + orgs[3:4],
            ["Local comunal de Llusco", "Velille"],
            75,
        ),
        (
            "Espacio del Plan de Desarrollo Concertado de Colquemarca",
            colquemarca,
            Level.DISTRICT,
            Kind.DEVELOPMENT,
            None,
            None,
            True,
            orgs[:1] + orgs[2:3] + ngos,
            ["Municipalidad Distrital de Colquemarca"],
            60,
        ),
    ]


def _members_add(space, organisations, convener, rng: random.Random) -> None:
    """The organisations that sit in the space, each with a representative; the convener as such."""
    for organisation in organisations:
        space_member_add(
            space=space,
            by=None,
            organisation=organisation,
            representatives=_person(rng, rng.random() < 0.4),
        )
    if not SpaceMember.objects.filter(space=space, organisation=convener.organisation).exists():
        space_member_add(
            space=space, by=None, organisation=convener.organisation, role=SpaceMember.Role.CONVENER
        )


def seed(stdout) -> None:
    rng = random.Random(2007)
    themes = {name: ThematicGroup.objects.get_or_create(name=name)[0] for name in THEMES}
    ngos = list(Organisation.objects.filter(name__in=NGOS))
    anta_orgs = _organisations(ORGANISATIONS["anta"]) + ngos
    chumbi_orgs = _organisations(ORGANISATIONS["chumbivilcas"]) + ngos
    layout = _anta_spaces(themes, anta_orgs) + _chumbivilcas_spaces(themes, chumbi_orgs, ngos)
    counts = {"meetings": 0, "attendance": 0, "agreements": 0}
    spaces = {}
    for name, municipality, level, kind, parent, theme, public, organisations, places, every in layout:
        space, created = _space(
            name, municipality, level, kind, parent=spaces.get(parent), theme=theme, public=public
        )
        spaces[name] = space
        if not created:
            continue
        _members_add(space, organisations, municipality, rng)
        _meetings_for(
            space,
            organisations=[municipality.organisation, *organisations],
            places=places,
            every_days=every,
            rng=rng,
            counts=counts,
        )
    stdout.write(
        f"Concertation spaces: {len(spaces)}; new meetings {counts['meetings']}, "
        f"attendance rows {counts['attendance']}, agreements {counts['agreements']}"
    )
