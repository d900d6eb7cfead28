"""Demo: ~40 producer associations in Anta and Chumbivilcas with members, three years of plans up to the
current one (this year's and last year's in every state; the demo leader's of this year is a draft), and the
36 months of monthly production up to last month, with Andean smallholder figures:
4-8 litres per cow per day (more in the rainy season), 7-9 litres of milk per kg of fresh cheese, milk at
S/ 1.20-1.60 per litre. Everything is written with bulk_create; running it again adds nothing."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from kallpanchis.accounts.models import User
from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation
from municipalities.models import District

from .models import (
    Activity,
    BudgetLine,
    Contribution,
    ExecutionEvent,
    ExecutionLine,
    ExecutionReport,
    ExecutionSpending,
    Member,
    OperatingPlan,
    PlanComment,
    PlanDeadline,
    PlanEvent,
    ProducerAssociation,
    ProductionRecord,
    ProductiveLine,
    SalesChannel,
    period_bounds,
    period_due,
)
from .validators import ruc_check_digit

LIMA = ZoneInfo("America/Lima")
DEMO_LEADER_ASSOCIATION = "Asociación de Productores Lecheros Virgen de Natividad"
PRODUCTION_MONTHS = 36


def plan_years(today: date) -> tuple[int, int, int]:
    """The plans' years: the year before last, last year and this year (dated from the day it runs)."""
    return today.year - 2, today.year - 1, today.year


def production_months(today: date, *, missing: int = 0) -> list[date]:
    """The first days of the PRODUCTION_MONTHS months before this one (the month under way is not over),
    oldest first; `missing` leaves out that many of the latest (an association late with its records)."""
    index = today.year * 12 + today.month - 1 - missing
    return [date((index - k) // 12, (index - k) % 12 + 1, 1) for k in range(PRODUCTION_MONTHS, 0, -1)]


# District UBIGEO -> communities (real place names of the project's area).
COMMUNITIES = {
    "080301": ["Compone", "Huayllaccocha", "Inquilpata", "Sambor"],
    "080302": ["Ancahuasi", "Chacan", "Pantipata", "Ccollana"],
    "080303": ["Cachimayo", "Ccorimarca", "Ocutuan"],
    "080304": ["Chinchaypujio", "Cotaclla", "Huancancalla", "Pampahuasi"],
    "080305": ["Huarocondo", "Sillque", "Piñancay", "Huayoccari"],
    "080306": ["Limatambo", "Ocobamba", "Ccollpa", "Tambo Real"],
    "080307": ["Mollepata", "Marcahuasi", "Chonta"],
    "080308": ["Pucyura", "Ccasacunca", "Huayanay", "Sunchubamba"],
    "080309": ["Zurite", "Huaylla", "Pampaconga"],
    "080701": ["Santo Tomás", "Ccollpa Ccaccahui", "Uchucarco", "Pulpera"],
    "080702": ["Capacmarca", "Cancahuani", "Huascabamba"],
    "080703": ["Chamaca", "Cconccaccahua", "Huarca"],
    "080704": ["Colquemarca", "Ahuichanta", "Pampahuasi", "Cruzpampa"],
    "080705": ["Livitaca", "Ccollana", "Patahuasi"],
    "080706": ["Llusco", "Tuntuma", "Ccahuapirhua"],
    "080707": ["Quiñota", "Llique", "Tucuyachi"],
    "080708": ["Velille", "Huaylla Huaylla", "Chilloroya"],
}
STEMS = [
    "Sumaq Waka",
    "Allin Kawsay",
    "Virgen del Carmen",
    "Señor de Huanca",
    "Kallpa Warmi",
    "Qori Llaqta",
    "Sumaq Quesos",
    "Wiñay Pacha",
    "Inti Raymi",
    "Santa Rosa",
    "Yuraq Lliclla",
    "Mamacha Asunta",
    "Ayllu Qollana",
    "Pachamama Raymi",
    "Munay Cuy",
    "Los Andes",
    "Hatun Mayu",
    "San Isidro Labrador",
    "Tikariy",
    "Kusi Kawsay",
]
KINDS = [
    ("Asociación de Productores Lecheros", [ProductiveLine.MILK, ProductiveLine.CHEESE]),
    ("Asociación de Productores Agropecuarios", [ProductiveLine.MILK, ProductiveLine.GUINEA_PIGS]),
    ("Asociación de Criadores de Cuyes", [ProductiveLine.GUINEA_PIGS, ProductiveLine.GASTRONOMY]),
    ("Asociación de Queseros", [ProductiveLine.CHEESE, ProductiveLine.MILK]),
    (
        "Asociación de Mujeres Productoras",
        [ProductiveLine.GUINEA_PIGS, ProductiveLine.GASTRONOMY, ProductiveLine.MILK],
    ),
]
FIRST_WOMEN = [
    "Justina",
    "Rosa",
    "Juana",
    "Felícitas",
    "Nicolasa",
    "Marcelina",
    "Basilia",
    "Eulogia",
    "Lucía",
    "Teófila",
]
FIRST_MEN = [
    "Mario",
    "Valentín",
    "Julián",
    "Gregorio",
    "Fortunato",
    "Eusebio",
    "Hilario",
    "Dionisio",
    "Cirilo",
    "Tomás",
]
SURNAMES = [
    "Huamán",
    "Quispe",
    "Mamani",
    "Condori",
    "Ccahuana",
    "Huillca",
    "Choque",
    "Puma",
    "Sullca",
    "Ccallo",
    "Yupanqui",
    "Huaraca",
    "Apaza",
    "Taipe",
    "Chillitupa",
    "Cusihuamán",
]
ACTIVITIES = [
    (
        "Instalación de pastos cultivados (alfalfa y rye grass)",
        "Hectáreas instaladas",
        "ha",
        (2, 3, 4),
        4,
        12,
    ),
    ("Campaña de sanidad animal: dosificación y vacunas", "Vacas atendidas", "vacas", (5, 10), 60, 250),
    ("Inseminación artificial para mejorar el ganado", "Vacas inseminadas", "vacas", (3, 4, 5, 6), 15, 60),
    ("Construcción de cobertizos para el ganado", "Cobertizos construidos", "unidades", (6, 7, 8), 3, 12),
    ("Capacitación en queso fresco y queso andino", "Socios capacitados", "personas", (4, 9), 15, 60),
    ("Participación en la feria agropecuaria provincial", "Ferias", "ferias", (7, 9), 1, 3),
    ("Construcción de galpones para cuyes", "Galpones construidos", "unidades", (5, 6, 7), 4, 20),
    ("Instalación de riego por aspersión", "Hectáreas con riego", "ha", (6, 7, 8, 9), 3, 15),
    (
        "Perfil de proyecto para el presupuesto participativo",
        "Perfiles presentados",
        "perfiles",
        (2, 3),
        1,
        2,
    ),
    ("Registro sanitario de la quesería comunal", "Registros obtenidos", "registros", (8, 9, 10, 11), 1, 1),
    ("Festival gastronómico del cuy", "Visitantes", "personas", (10,), 300, 1500),
]
DIAGNOSIS = (
    "{families} familias con ganado criollo y pastos naturales; poca leche en época seca (mayo a octubre); "
    "venta a intermediarios a bajo precio."
)
GENERAL_OBJECTIVE = (
    "Mejorar los ingresos de las familias socias con más leche, queso de calidad y venta directa."
)
SPECIFIC_OBJECTIVES = (
    "1. Asegurar forraje todo el año.\n2. Mejorar la sanidad y la genética del ganado.\n"
    "3. Vender queso en ferias y circuitos cortos."
)
SOURCES = ["own", "own", "procompite", "agroideas", "ngo", "credit", "other"]  # own contributions the most
# Each association's plan state, cycled so that every state appears this year and last year; the year before
# last is validated.
STATES_THIS_YEAR = [
    "validated",
    "submitted",
    "returned",
    "resubmitted",
    "draft",
    "validated_v2",
    "submitted",
    "validated",
]
STATES_LAST_YEAR = [
    "validated",
    "validated",
    "submitted",
    "returned",
    "validated",
    "resubmitted",
    "validated_v2",
    "draft",
]


def _valid_ruc(rng: random.Random) -> str:
    first_ten = "20" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return first_ten + str(ruc_check_digit(first_ten))


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=LIMA)


def _association_specs(rng: random.Random, districts: dict) -> list[dict]:
    specs = [
        {
            "name": DEMO_LEADER_ASSOCIATION,
            "ubigeo": "080308",
            "lines": [ProductiveLine.MILK, ProductiveLine.CHEESE],
            "families": 64,
            "communities": "Pucyura, Ccasacunca, Huayanay",
        }
    ]
    ubigeos = [u for u in COMMUNITIES if u in districts]
    used = {DEMO_LEADER_ASSOCIATION}
    i = 0
    while len(specs) < 40 and ubigeos:
        ubigeo = ubigeos[i % len(ubigeos)]
        kind, lines = KINDS[i % len(KINDS)]
        community = rng.choice(COMMUNITIES[ubigeo])
        name = f"{kind} {STEMS[(i * 7) % len(STEMS)]} de {community}"
        i += 1
        if name in used:
            continue
        used.add(name)
        specs.append(
            {
                "name": name,
                "ubigeo": ubigeo,
                "lines": lines,
                "families": rng.randint(15, 120),
                "communities": ", ".join(rng.sample(COMMUNITIES[ubigeo], k=min(2, len(COMMUNITIES[ubigeo])))),
            }
        )
    return specs


def _people(rng: random.Random, n: int) -> list[tuple[str, str]]:
    people = []
    for _ in range(n):
        woman = rng.random() < 0.48
        first = rng.choice(FIRST_WOMEN if woman else FIRST_MEN)
        name = f"{first} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        people.append((name, Gender.FEMALE if woman else Gender.MALE))
    return people


def seed(stdout) -> None:
    rng = random.Random(2009)
    districts = {d.ubigeo: d for d in District.objects.filter(ubigeo__in=list(COMMUNITIES))}
    if not districts:
        stdout.write("Producers: no territory loaded, skipped.")
        return
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.kallpanchis.pe")}
    leader = users.get("lider@demo.kallpanchis.pe")
    coordinator = users.get("coordinadora@demo.kallpanchis.pe")
    technicians = {
        "0803": users.get("tecnico.anta@demo.kallpanchis.pe"),
        "0807": users.get("tecnica.chumbivilcas@demo.kallpanchis.pe"),
    }
    today = timezone.localdate()
    for year in plan_years(today):
        PlanDeadline.objects.get_or_create(
            year=year, defaults={"due_on": date(year, 3, 31), "set_by": coordinator}
        )

    specs = _association_specs(rng, districts)
    existing = set(
        ProducerAssociation.objects.filter(organisation__name__in=[s["name"] for s in specs]).values_list(
            "organisation__name", flat=True
        )
    )
    specs = [s for s in specs if s["name"] not in existing]
    if not specs:
        stdout.write(f"Producers: {len(existing)} demo associations already there.")
        return
    known = {o.name: o for o in Organisation.objects.filter(name__in=[s["name"] for s in specs])}
    Organisation.objects.bulk_create(
        [
            Organisation(name=s["name"], kind=Organisation.Kind.PRODUCER)
            for s in specs
            if s["name"] not in known
        ]
    )
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=[s["name"] for s in specs])}
    associations = ProducerAssociation.objects.bulk_create(
        [
            ProducerAssociation(
                organisation=organisations[s["name"]],
                district=districts[s["ubigeo"]],
                families=s["families"],
                communities=s["communities"],
                productive_lines=[str(x) for x in s["lines"]],
                ruc=_valid_ruc(rng) if rng.random() < 0.7 else "",
                founded_on=date(rng.randint(1995, 2007), rng.randint(1, 12), rng.randint(1, 28)),
            )
            for s in specs
        ]
    )
    members, boards = _members(rng, associations)
    Member.objects.bulk_create(members)
    plan_count = _plans(rng, associations, boards, leader, coordinator, technicians, today=today)
    records = _production(rng, associations, today=today)
    ProductionRecord.objects.bulk_create(records)
    months = production_months(today)
    stdout.write(
        f"Producers: {len(associations)} associations, {len(members)} members, {plan_count} plans "
        f"({'-'.join(str(y) for y in plan_years(today)[::2])}), {len(records)} monthly production records "
        f"({months[0]:%m/%Y}-{months[-1]:%m/%Y})."
    )


def _members(rng, associations):
    members, boards = [], {}
    roles = [Member.BoardRole.PRESIDENT, Member.BoardRole.SECRETARY, Member.BoardRole.TREASURER]
    for association in associations:
        n = min(association.families, rng.randint(8, 16))
        people = _people(rng, n)
        if association.organisation.name == DEMO_LEADER_ASSOCIATION:
            people[0] = ("Justina Huillca Quispe", Gender.FEMALE)
        dnis = rng.sample(range(10_000_000, 79_999_999), n)
        for i, (name, gender) in enumerate(people):
            members.append(
                Member(
                    association=association,
                    name=name,
                    gender=gender,
                    dni=str(dnis[i]) if rng.random() < 0.8 else "",
                    board_role=roles[i] if i < len(roles) else "",
                )
            )
        boards[association.pk] = [p[0] for p in people[:3]]
    return members, boards


def _plans(rng, associations, boards, leader, coordinator, technicians, *, today: date) -> int:
    plans = _plan_versions(associations, leader, today=today)
    _plan_activities(rng, plans, boards)
    _plan_history(rng, plans, leader=leader, coordinator=coordinator, technicians=technicians, today=today)
    _execution(rng, plans, leader=leader, technicians=technicians, today=today)
    return len(plans)


def _plan_versions(associations, leader, *, today: date) -> list[OperatingPlan]:
    """Each association's plans of the three years in the states the lists show (the leader's association:
    validated the two earlier years, this year's a draft to finish); 'validated_v2' is a validated version 1
    and the current draft of a version 2 started from it."""
    plans = []
    before_last, last, this = plan_years(today)
    for index, association in enumerate(associations):
        is_demo = association.organisation.name == DEMO_LEADER_ASSOCIATION
        for year, states in (
            (before_last, ["validated"]),
            (last, STATES_LAST_YEAR),
            (this, STATES_THIS_YEAR),
        ):
            state = states[index % len(states)]
            if is_demo:
                state = "draft" if year == this else "validated"
            versions = [("validated", False), ("draft", True)] if state == "validated_v2" else [(state, True)]
            for version, (status, current) in enumerate(versions, start=1):
                plans.append(
                    OperatingPlan(
                        association=association,
                        year=year,
                        version=version,
                        is_current=current,
                        status=status,
                        diagnosis=DIAGNOSIS.format(families=association.families),
                        general_objective=GENERAL_OBJECTIVE,
                        specific_objectives=SPECIFIC_OBJECTIVES,
                        lines_of_action="Pastos y agua; sanidad animal; transformación y venta.",
                        created_by=leader if is_demo else None,
                        updated_by=leader if is_demo else None,
                    )
                )
    created = OperatingPlan.objects.bulk_create(plans)
    by_key = {(p.association_id, p.year, p.version): p for p in created}
    for plan in created:
        if plan.version == 2:
            plan.previous = by_key[(plan.association_id, plan.year, 1)]
    OperatingPlan.objects.bulk_update([p for p in created if p.version == 2], ["previous"])
    return created


def _plan_activities(rng, plans, boards) -> None:
    """Three to five activities per plan, each paid by one to three sources; a board member answers."""
    activities, lines_for = [], []
    for plan in plans:
        pool = rng.sample(ACTIVITIES, k=rng.randint(3, 5))
        board = boards[plan.association_id]
        for position, (title, indicator, unit, months, low, high) in enumerate(pool):
            activities.append(
                Activity(
                    plan=plan,
                    position=position,
                    title=title,
                    indicator=indicator,
                    unit=unit,
                    quantity=Decimal(rng.randint(low, high)),
                    responsible=rng.choice(board),
                    months=sum(1 << (m - 1) for m in months),
                )
            )
            lines_for.append(sorted(set(rng.sample(SOURCES, k=rng.randint(1, 3)))))
    created_activities = Activity.objects.bulk_create(activities)
    lines = []
    for activity, sources in zip(created_activities, lines_for, strict=True):
        for source in sources:
            # Quantity × unit cost: whole units, costs in half soles (exact in SQLite's floats too). The
            # members' own share is often in kind: days of work (jornales at S/ 30-50), local materials.
            in_kind = source == "own" and rng.random() < 0.6
            units = Decimal(rng.randint(5, 60) if in_kind else rng.randint(1, 20))
            cost = (
                Decimal(rng.randrange(60, 100, 20)) / 2
                if in_kind
                else Decimal(rng.randrange(100, 1500, 5)) / 2
            )
            lines.append(
                BudgetLine(
                    activity=activity,
                    source=source,
                    contribution=Contribution.IN_KIND if in_kind else Contribution.CASH,
                    units=units,
                    unit_cost=cost,
                    amount=units * cost,
                )
            )
    BudgetLine.objects.bulk_create(lines)


def _plan_steps(rng, plan, *, owner, technician, coordinator, today: date) -> tuple[list[tuple], int | None]:
    """The steps of a plan's life up to its state, as (action, from, to, by, day, comment), and which of
    them returned it with comments (None if none did). A plan that was sent gets its submitted_at. This
    year's steps that would fall after today are moved back, in order, to end today at the latest."""
    start = date(plan.year - 1, 12, 1) + timedelta(days=rng.randint(0, 45))
    steps = [("created", "", "draft", owner, start, "")]
    returned = None
    if plan.version == 2:
        steps = [
            (
                "new_version",
                "",
                "draft",
                owner,
                date(plan.year, 6, 1) + timedelta(days=rng.randint(0, 30)),
                "",
            )
        ]
    elif plan.status != "draft":
        sent = date(plan.year, 2, 10) + timedelta(days=rng.randint(0, 70))  # some after 31 March: late
        _assembly(rng, plan, sent - timedelta(days=rng.randint(3, 20)))
        steps.append(("assembly", "draft", "draft", owner, plan.assembly_date, _assembly_text(plan)))
        steps.append(("submitted", "draft", "submitted", owner, sent, ""))
        plan.submitted_at = _at(sent, rng)
        if plan.status in ("returned", "resubmitted") or (plan.status == "validated" and rng.random() < 0.4):
            back = sent + timedelta(days=rng.randint(5, 15))
            steps.append(("returned", "submitted", "returned", technician, back, ""))
            returned = len(steps) - 1
            if plan.status != "returned":
                again = back + timedelta(days=rng.randint(3, 12))
                steps.append(("resubmitted", "returned", "resubmitted", owner, again, ""))
        if plan.status == "validated":
            ok = steps[-1][4] + timedelta(days=rng.randint(5, 20))
            if rng.random() < 0.7:
                municipal = steps[-1][4] + timedelta(days=rng.randint(1, 4))
                state = steps[-1][2]
                steps.append(
                    ("municipality", state, state, technician, municipal, "Conforme para la municipalidad.")
                )
                plan.municipality_validated_at = _at(municipal, rng)
                plan.municipality_validated_by = technician
            steps.append(("validated", steps[-1][2], "validated", coordinator, ok, "Conforme. Buen trabajo."))
    late = (steps[-1][4] - today).days
    if late > 0:
        steps = [(*step[:4], step[4] - timedelta(days=late), step[5]) for step in steps]
        if plan.submitted_at is not None:
            plan.submitted_at -= timedelta(days=late)
        if plan.assembly_date is not None:
            plan.assembly_date -= timedelta(days=late)
        if plan.municipality_validated_at is not None:
            plan.municipality_validated_at -= timedelta(days=late)
    return steps, returned


def _assembly(rng, plan, held_on: date) -> None:
    """The asamblea general that approved the plan: first call with a majority of the members (second call,
    fewer, now and then), most of those present voting for it."""
    total = plan.association.families
    second = rng.random() < 0.2
    present = rng.randint(max(1, total // 3), total // 2) if second else rng.randint(total // 2 + 1, total)
    plan.assembly_date = held_on
    plan.assembly_call = OperatingPlan.AssemblyCall.SECOND if second else OperatingPlan.AssemblyCall.FIRST
    plan.assembly_members_total = total
    plan.assembly_members_present = present
    plan.assembly_votes_for = rng.randint(present // 2 + 1, present)
    plan.assembly_minutes_ref = f"Libro de actas {rng.randint(1, 4)}, folio {rng.randint(2, 180)}"


def _assembly_text(plan) -> str:
    return (
        f"{plan.assembly_date:%d/%m/%Y} · acta {plan.assembly_minutes_ref} · {plan.assembly_members_present} "
        f"de {plan.assembly_members_total} socios presentes, {plan.assembly_votes_for} votos a favor."
    )


def _plan_history(rng, plans, *, leader, coordinator, technicians, today: date) -> None:
    """Every plan's steps, stamped; the technician of its province returns it, the coordinator approves."""
    events, comments_for, submitted = [], [], []
    for plan in plans:
        technician = technicians.get(plan.association.district.ubigeo[:4])
        owner = leader if plan.association.organisation.name == DEMO_LEADER_ASSOCIATION else None
        steps, returned = _plan_steps(
            rng, plan, owner=owner, technician=technician, coordinator=coordinator, today=today
        )
        if plan.submitted_at is not None:
            submitted.append(plan)
        if returned is not None:
            comments_for.append((plan, len(events) + returned))
        for action, before, after, by, day, comment in steps:
            events.append(
                PlanEvent(
                    plan=plan,
                    action=action,
                    from_status=before,
                    to_status=after,
                    by=by,
                    at=_at(day, rng),
                    comment=comment,
                )
            )
    OperatingPlan.objects.bulk_update(
        submitted,
        [
            "submitted_at",
            "assembly_date",
            "assembly_call",
            "assembly_minutes_ref",
            "assembly_members_present",
            "assembly_members_total",
            "assembly_votes_for",
            "municipality_validated_at",
            "municipality_validated_by",
        ],
    )
    _review_comments(rng, comments_for, PlanEvent.objects.bulk_create(events))


RETURN_NOTE = "Las hectáreas no coinciden con el padrón de socios beneficiarios: revise y corrija."


def _execution(rng, plans, *, leader, technicians, today: date) -> None:
    """Quarterly reports on the current validated plans of last year and this one, for each quarter that has
    ended: most sent on time and validated by the technician of the province; now and then one sent late,
    one returned with a comment, one still waiting for review, or one missing (late once due). The demo
    leader's association has last year's four: validated, validated, returned, and the fourth sent late."""
    _before_last, last, _this = plan_years(today)
    validated = [p for p in plans if p.status == "validated" and p.is_current and p.year >= last]
    activities: dict[int, list] = {}
    for activity in Activity.objects.filter(plan__in=validated).order_by("position", "pk"):
        activities.setdefault(activity.plan_id, []).append(activity)
    budget: dict[int, dict] = {}
    for line in BudgetLine.objects.filter(activity__plan__in=validated):
        budget.setdefault(line.activity_id, {}).setdefault(line.source, Decimal(0))
        budget[line.activity_id][line.source] += line.amount
    reports, contents = [], []
    for plan in validated:
        is_demo = plan.association.organisation.name == DEMO_LEADER_ASSOCIATION
        technician = technicians.get(plan.association.district.ubigeo[:4])
        owner = leader if is_demo else None
        for quarter in range(1, 5):
            ends = period_bounds(plan.year, "quarter", quarter)[1]
            if ends >= today:
                break
            due = period_due(plan.year, "quarter", quarter)
            roll = rng.random()
            if is_demo:
                fate = {1: "validated", 2: "validated", 3: "returned", 4: "late"}[quarter]
            elif roll < 0.1 and due < today:
                continue  # missing: the plan page flags it late
            else:
                fate = (
                    "late"
                    if roll < 0.2
                    else "returned"
                    if roll < 0.27
                    else "waiting"
                    if roll < 0.35
                    else "validated"
                )
            sent = (
                due + timedelta(days=rng.randint(3, 25))
                if fate == "late"
                else due - timedelta(days=rng.randint(1, 14))
            )
            sent = min(sent, today)
            status = {"validated": "validated", "returned": "returned"}.get(fate, "submitted")
            if fate == "late" and not is_demo and rng.random() < 0.5:
                status = "validated"
            reports.append(
                ExecutionReport(
                    plan=plan,
                    periodicity="quarter",
                    period=quarter,
                    status=status,
                    note=rng.choice(
                        [
                            "Se avanzó según lo previsto.",
                            "La helada retrasó la siembra de avena en dos comunidades.",
                            "Las socias aportaron jornales para el cerco del bofedal.",
                            "Falta comprar parte de la semilla; se hará el próximo trimestre.",
                        ]
                    ),
                    submitted_at=_at(sent, rng),
                    submitted_by=owner,
                )
            )
            contents.append((plan, quarter, sent, status, technician, owner))
    created = ExecutionReport.objects.bulk_create(reports)
    lines, spending, events = [], [], []
    for report, (plan, quarter, sent, status, technician, owner) in zip(created, contents, strict=True):
        for activity in activities.get(plan.pk, []):
            done_in_quarter = any(
                activity.months & (1 << (m - 1)) for m in range(3 * quarter - 2, 3 * quarter + 1)
            )
            if not done_in_quarter:
                continue
            share = Decimal(rng.randint(20, 45)) / 100
            lines.append(
                ExecutionLine(
                    report=report,
                    activity=activity,
                    quantity_done=(activity.quantity * share).quantize(Decimal("1")),
                )
            )
            for source, amount in budget.get(activity.pk, {}).items():
                spending.append(
                    ExecutionSpending(
                        report=report,
                        activity=activity,
                        source=source,
                        amount=(amount * share * Decimal(rng.randint(80, 110)) / 100).quantize(Decimal("1")),
                    )
                )
        events.append(
            ExecutionEvent(
                report=report,
                action="submitted",
                from_status="",
                to_status="submitted",
                by=owner,
                at=report.submitted_at,
            )
        )
        answered = _at(min(sent + timedelta(days=rng.randint(2, 10)), today), rng)
        if status == "validated":
            events.append(
                ExecutionEvent(
                    report=report,
                    action="validated",
                    from_status="submitted",
                    to_status="validated",
                    by=technician,
                    at=answered,
                )
            )
        elif status == "returned":
            events.append(
                ExecutionEvent(
                    report=report,
                    action="returned",
                    from_status="submitted",
                    to_status="returned",
                    by=technician,
                    at=answered,
                    comment=RETURN_NOTE,
                )
            )
    ExecutionLine.objects.bulk_create(lines)
    ExecutionSpending.objects.bulk_create(spending)
    ExecutionEvent.objects.bulk_create(events)


def _review_comments(rng, comments_for, events) -> None:
    """Two comments on sections of each plan returned, given with the step that returned it."""
    PlanComment.objects.bulk_create(
        [
            PlanComment(
                plan=plan,
                event=events[i],
                section=section,
                text=text,
                by=events[i].by,
                at=events[i].at,
            )
            for plan, i in comments_for
            for section, text in rng.sample(
                [
                    ("budget", "Indique el aporte propio de cada actividad."),
                    ("activities", "Precise la meta de la capacitación: cuántas mujeres participarán."),
                    ("diagnosis", "Agregue cuántas vacas en ordeño tiene la asociación."),
                    ("objectives", "El objetivo general es muy amplio: enfóquelo en la leche."),
                ],
                k=2,
            )
        ]
    )


def _production(rng, associations, *, today: date) -> list[ProductionRecord]:
    """36 months per association up to last month; the demo leader's association has not recorded last month
    yet (its home page asks for it), so its 36 end the month before."""
    records = []
    channels = [SalesChannel.DIRECT, SalesChannel.FAIR, SalesChannel.MIDDLEMAN, SalesChannel.DAIRY_PLANT]
    for association in associations:
        lines = set(association.productive_lines)
        dairy = bool(lines & {ProductiveLine.MILK, ProductiveLine.CHEESE})
        cows = max(4, round(association.families * rng.uniform(1.2, 2.5))) if dairy else 0
        base_yield = rng.uniform(4.5, 6.5)
        litres_per_kg = rng.uniform(7.0, 9.0)
        fresh_share = rng.uniform(0.25, 0.6)
        channel = rng.choice(channels if dairy else channels[:3])
        late = 1 if association.organisation.name == DEMO_LEADER_ASSOCIATION else 0
        months = production_months(today, missing=late)
        for first in months:
            year, month = first.year, first.month
            days = (date(year + (month == 12), month % 12 + 1, 1) - first).days
            rainy = month in (12, 1, 2, 3, 4)
            per_cow = min(8.0, max(4.0, base_yield + (1.0 if rainy else -0.8) + rng.uniform(-0.4, 0.4)))
            milk = round(cows * per_cow * days, 1)
            sold = round(milk * fresh_share, 1)
            cheese = round((milk - sold) / litres_per_kg, 1)
            price = (
                Decimal("1.20")
                + Decimal("0.10") * (year - months[0].year)
                + Decimal(rng.randint(0, 10)) / 100
            )
            records.append(
                ProductionRecord(
                    association=association,
                    month=date(year, month, 1),
                    cows_milked=cows or None,
                    milk_produced_l=Decimal(str(milk)),
                    milk_sold_l=Decimal(str(sold)),
                    cheese_produced_kg=Decimal(str(cheese)),
                    cheese_sold_kg=Decimal(str(round(cheese * rng.uniform(0.85, 0.98), 1))),
                    guinea_pigs_sold=rng.randint(10, association.families * 2)
                    if ProductiveLine.GUINEA_PIGS in lines
                    else 0,
                    milk_price=min(price, Decimal("1.60")) if dairy else None,
                    cheese_price=Decimal(rng.randint(100, 140)) / 10 if dairy else None,
                    channel=channel if rng.random() < 0.8 or not dairy else rng.choice(channels),
                )
            )
    return records
