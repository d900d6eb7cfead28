"""Ten times the seed, in minutes: 30,000 families (member rows), 2,000 associations, 20,000 meetings,
400,000 attendance rows, 1,000,000 monthly production records, with spaces, agreements, plans, budget
cycles and trainings around them; 100,000 people of the register in those 30,000 families, linked to the
members, to three quarters of the attendance rows and to half of the training rows. Big tables go in with
PostgreSQL COPY, the rest with bulk_create.

    DATABASE_URL=... python -m bench.scale [--scale 10] [--force] [--refresh] [--reach-cost]

`--scale N` makes N/10 of that (1 = the seed's size, 30 = three times the set above): associations,
families, meetings, production records and people grow with N; the territory (116 municipalities, their
spaces) and the per-association history (500 months, a plan a year) stay as they are.

Runs once: if the associations are already there it only says so (use --force on an empty database).
`make bench` calls it on its own database; never run it on a database people use.
"""

import argparse
import contextlib
import datetime
import os
import random
import time
from decimal import Decimal

from django.db import connection
from django.utils import timezone

ASSOCIATIONS = 2_000
FAMILIES_PER_ASSOCIATION = 15  # 30,000 families
MEETINGS = 20_000
ATTENDANCE_PER_MEETING = 20  # 400,000
AGREEMENTS_PER_MEETING = 3
MONTHS_PER_ASSOCIATION = 500  # 1,000,000 records: 500 consecutive months each, ending August 2026
FIRST_MONTH = datetime.date(1985, 1, 1)
YEARS = range(2008, 2027)
LINES = [["milk"], ["milk", "cheese"], ["guinea_pigs"], ["milk", "guinea_pigs"], ["gastronomy"], ["cheese"]]

rng = random.Random(8)
SCALE = 10  # times the seed; configure() changes it


def configure(scale: int) -> None:
    """The counts for `scale` times the seed (the constants above are for 10)."""
    global SCALE, ASSOCIATIONS, MEETINGS, PEOPLE, FAMILIES
    SCALE = scale
    ASSOCIATIONS = 200 * scale
    MEETINGS = 2_000 * scale
    PEOPLE = 10_000 * scale
    FAMILIES = ASSOCIATIONS * FAMILIES_PER_ASSOCIATION


def copy(model, columns: list[str], rows) -> int:
    """COPY rows into the model's table; columns are field names, the rest take their defaults."""
    now = timezone.now()
    fields = {f.name: f for f in model._meta.concrete_fields} | {
        f.attname: f for f in model._meta.concrete_fields
    }
    extra = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in columns or field.attname in columns:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            extra.append((field.column, now))
        elif field.get_default() is not None or field.null:
            extra.append((field.column, field.get_default()))
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
    names = [fields[c].column for c in columns] + [c for c, _ in extra]
    constants = tuple(v for _, v in extra)
    count = 0
    connection.ensure_connection()
    sql = f'COPY "{model._meta.db_table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) FROM STDIN'
    with connection.connection.cursor() as cursor:
        with cursor.copy(sql) as pipe:
            for row in rows:
                pipe.write_row(tuple(row) + constants)
                count += 1
    return count


def months(n: int):
    year, month = FIRST_MONTH.year, FIRST_MONTH.month
    for _ in range(n):
        yield datetime.date(year, month, 1)
        month += 1
        if month == 13:
            year, month = year + 1, 1


def step(label: str, started: float) -> float:
    now = time.monotonic()
    print(f"  {label:<48} {now - started:6.1f} s", flush=True)
    return now


def generate() -> None:
    from budgets.models import BudgetCycle, ParticipatingAgent, Proposal
    from kallpanchis.core.models import Gender
    from kallpanchis.organisations.models import Organisation
    from municipalities.models import District, Municipality, Province, Training, TrainingAttendance
    from municipalities.services import municipality_ensure, territory_load
    from producers.models import Member, OperatingPlan, PlanDeadline, ProducerAssociation, ProductionRecord
    from spaces.models import Agreement, Attendance, ConcertationSpace, Meeting, ThematicGroup

    t = time.monotonic()
    if not District.objects.exists():
        territory_load()
    municipalities = [municipality_ensure(ubigeo=p.code) for p in Province.objects.all()]
    municipalities += [
        municipality_ensure(ubigeo=d.ubigeo)
        for d in District.objects.exclude(ubigeo__endswith="01").select_related("province")
    ]
    districts = list(District.objects.all())
    t = step(f"territory and {len(municipalities)} municipalities", t)

    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Asociación de productores {i:04d}", kind="producer")
            for i in range(ASSOCIATIONS)
        ],
        batch_size=2000,
    )
    associations = ProducerAssociation.objects.bulk_create(
        [
            ProducerAssociation(
                organisation=org,
                district=districts[i % len(districts)],
                families=FAMILIES_PER_ASSOCIATION,
                productive_lines=LINES[i % len(LINES)],
            )
            for i, org in enumerate(orgs)
        ],
        batch_size=2000,
    )
    t = step(f"{len(associations)} associations", t)
    n = copy(
        Member,
        ["association_id", "name", "gender", "board_role"],
        (
            (a.pk, f"Socio {a.pk}-{k}", Gender.FEMALE if rng.random() < 0.45 else Gender.MALE, "")
            for a in associations
            for k in range(FAMILIES_PER_ASSOCIATION)
        ),
    )
    t = step(f"{n} members (one per family)", t)

    channels = ["direct", "fair", "middleman", "dairy_plant"]

    def production_rows():
        for a in associations:
            base = rng.randint(500, 6000)
            for month in months(MONTHS_PER_ASSOCIATION):
                milk = base + rng.randint(-300, 300)
                sold = milk * rng.randint(40, 90) // 100
                price = Decimal(rng.randint(70, 160)) / 100 if rng.random() < 0.9 else None
                yield (
                    a.pk,
                    month,
                    milk,
                    sold,
                    milk // 20,
                    milk // 25,
                    rng.randint(0, 30),
                    price,
                    channels[rng.randint(0, 3)],
                    False,
                )

    n = copy(
        ProductionRecord,
        [
            "association_id",
            "month",
            "milk_produced_l",
            "milk_sold_l",
            "cheese_produced_kg",
            "cheese_sold_kg",
            "guinea_pigs_sold",
            "milk_price",
            "channel",
            "confirmed_unusual",
        ],
        production_rows(),
    )
    t = step(f"{n} monthly production records", t)

    for year in YEARS:
        PlanDeadline.objects.get_or_create(year=year, defaults={"due_on": datetime.date(year, 3, 31)})
    statuses = ["validated"] * 7 + ["submitted", "resubmitted", "returned", "draft"]

    def plan_rows():
        for a in associations:
            for year in YEARS:
                status = statuses[rng.randint(0, len(statuses) - 1)]
                submitted = (
                    None
                    if status == "draft"
                    else timezone.make_aware(
                        datetime.datetime(year, rng.randint(2, 5), rng.randint(1, 28), 10)
                    )
                )
                yield (a.pk, year, 1, True, status, submitted, "Mejorar la producción de leche.")

    n = copy(
        OperatingPlan,
        ["association", "year", "version", "is_current", "status", "submitted_at", "general_objective"],
        ((*r,) for r in plan_rows()),
    )
    t = step(f"{n} operating plans", t)

    groups = [
        ThematicGroup.objects.get_or_create(name=name)[0]
        for name in ("Leche", "Cuyes", "Gastronomía", "Queso")
    ]
    spaces = ConcertationSpace.objects.bulk_create(
        [
            ConcertationSpace(
                name=f"{kind_name} de {m.pk}",
                municipality=m,
                level=m.level,
                kind="thematic" if thematic else "development",
                thematic_group=groups[i % len(groups)] if thematic else None,
            )
            for i, m in enumerate(municipalities)
            for kind_name, thematic in (("Espacio de desarrollo", False), ("Mesa temática", True))
        ]
    )
    meetings = []
    for i in range(MEETINGS):
        year = 2007 + i % 20
        start = timezone.make_aware(datetime.datetime(year, rng.randint(1, 12), rng.randint(1, 28), 9))
        roll = rng.random()
        status = "held" if roll < 0.85 else ("cancelled" if roll < 0.9 else "planned")
        meetings.append(
            Meeting(
                space=spaces[i % len(spaces)],
                title=f"Reunión ordinaria {i}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=3),
                place="Local comunal",
                status=status,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=5000)
    t = step(f"{len(spaces)} spaces, {len(meetings)} meetings", t)
    genders = [Gender.FEMALE] * 9 + [Gender.MALE] * 10 + [Gender.UNSTATED]
    n = copy(
        Attendance,
        ["meeting", "position", "name", "organisation_name", "role", "gender", "is_producer"],
        (
            (m.pk, k, f"Participante {k}", "Comunidad", "", genders[rng.randint(0, 19)], k % 2 == 0)
            for m in meetings
            for k in range(1, ATTENDANCE_PER_MEETING + 1)
        ),
    )
    t = step(f"{n} attendance rows", t)

    def agreement_rows():
        for m in meetings:
            for k in range(AGREEMENTS_PER_MEETING):
                due = m.starts_at.date() + datetime.timedelta(days=30 * (k + 1))
                roll = rng.random()
                if roll < 0.5:
                    yield (
                        m.pk,
                        f"Acuerdo {k + 1}",
                        "done",
                        due,
                        due + datetime.timedelta(days=rng.randint(-20, 20)),
                    )
                elif roll < 0.6:
                    yield (m.pk, f"Acuerdo {k + 1}", "dropped", due, None)
                else:
                    yield (m.pk, f"Acuerdo {k + 1}", "pending" if roll < 0.8 else "in_progress", due, None)

    n = copy(Agreement, ["meeting", "what", "status", "due_date", "done_on"], agreement_rows())
    t = step(f"{n} agreements", t)

    public = Organisation.objects.get_or_create(name="Agencia Agraria (bench)", defaults={"kind": "public"})[
        0
    ]
    cycles = BudgetCycle.objects.bulk_create(
        [
            BudgetCycle(municipality=m, fiscal_year=year, envelope=Decimal(rng.randint(5, 40) * 100_000))
            for m in municipalities
            for year in YEARS
        ]
    )
    agents = ParticipatingAgent.objects.bulk_create(
        [
            ParticipatingAgent(cycle=c, organisation=org, status="accredited")
            for i, c in enumerate(cycles)
            for org in (orgs[(i * 3) % ASSOCIATIONS], orgs[(i * 3 + 1) % ASSOCIATIONS], public)
        ],
        batch_size=5000,
    )

    def proposal_rows():
        for agent in agents:
            cycle = agent.cycle
            for k in range(3):
                cost = Decimal(rng.randint(50, 400) * 1000)
                allocated = cost if rng.random() < 0.4 else None
                yield (
                    cycle.pk,
                    agent.pk,
                    f"Proyecto {k}",
                    "Producción",
                    cycle.municipality.district_id,
                    cost,
                    30,
                    10,
                    allocated,
                    "admissible",
                )

    n = copy(
        Proposal,
        ["cycle", "agent", "title", "result", "district", "cost", "families", "women", "allocated", "status"],
        proposal_rows(),
    )
    t = step(f"{len(cycles)} budget cycles, {n} proposals", t)

    trainings = Training.objects.bulk_create(
        [
            Training(
                title=f"Capacitación {year}-{k}",
                topic="led_plans",
                held_on=datetime.date(year, k + 1, 15),
                place="Cusco",
            )
            for year in YEARS
            for k in range(10)
        ]
    )
    district_munis = [m for m in municipalities if m.level == Municipality.Level.DISTRICT]
    n = copy(
        TrainingAttendance,
        ["training", "person_name", "municipality", "gender", "completed"],
        (
            (
                tr.pk,
                f"Técnico {k}",
                district_munis[(tr.pk + k) % len(district_munis)].pk,
                Gender.FEMALE if k % 2 else Gender.MALE,
                True,
            )
            for tr in trainings
            for k in range(20)
        ),
    )
    t = step(f"{len(trainings)} trainings, {n} participants", t)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step("ANALYZE", t)


# --- the register of people: 100,000 people in 30,000 families, linked to the members and attendance -------
PEOPLE = 100_000
FAMILIES = ASSOCIATIONS * FAMILIES_PER_ASSOCIATION  # one family per member row: 30,000
LINKED_PER_MEETING = 15  # of the 20 attendance rows; the other 5 stay anonymous (no consent)
WOMEN = (
    "Hilaria Justina Rosa Nélida Yolanda Gregoria Santusa Juana María Felícitas Valentina Eulogia "
    "Marcelina Alejandrina Paulina Teodora Agripina Benedicta Celestina Dionisia Epifania Florencia Genoveva "
    "Hermelinda Isidora Leonarda Martina Natividad Petronila Rufina Sabina Tomasa Victoria Zenobia Luzmila "
    "Edelmira"
).split()
MEN = (
    "Julián Fortunato Teodoro Justo Mariano Faustino Hilario Celestino Gregorio Santos Eusebio Valentín "
    "Marcelino Paulino Isidro Leonardo Martín Pedro Tomás Víctor Zenón Alejandro Benito Cirilo Dionisio "
    "Eleuterio Florencio Gumercindo Hipólito Inocencio Lucio Nazario Pascual Saturnino Vicente Wilfredo"
).split()
SURNAMES = (
    "Quispe Mamani Huamán Ccori Ccahua Puma Ttito Cjuro Huillca Alccahuaman Condori Choque Apaza Chambi "
    "Flores Layme Yupanqui Sutta Ccana Huarca Quispi Pumayalli Ccallo Hancco Laura Mendoza Paucar Rojas "
    "Soncco Tupa Usca Vargas Yucra Zamalloa Auccapuma Bustinza Challco Cusihuaman Delgado Enríquez Huaman "
    "Illa Jancco Kana Llacta Mayta Nina Ochoa Pacco Qori"
).split()


def update_from(model, columns: list[str], rows) -> int:
    """UPDATE many rows at once: COPY (id, values…) into a temporary table, then one UPDATE … FROM."""
    table = model._meta.db_table
    cols = [model._meta.get_field(c).column for c in columns]
    names = ", ".join(f'"{c}"' for c in ["id", *cols])
    with connection.cursor() as cursor:  # the columns' types, none of the table's constraints
        cursor.execute(f'CREATE TEMP TABLE bench_update AS SELECT {names} FROM "{table}" WITH NO DATA')  # noqa: S608
    count = 0
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY bench_update ({names}) FROM STDIN") as pipe:
            for row in rows:
                pipe.write_row(row)
                count += 1
    sets = ", ".join(f'"{c}" = u."{c}"' for c in cols)
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" t SET {sets} FROM bench_update u WHERE t.id = u.id')  # noqa: S608
        cursor.execute("DROP TABLE bench_update")
    return count


def generate_people() -> None:
    """100,000 people with consent in 30,000 families where the associations are (a family per member row,
    the member its reference person); three quarters of every attendance list ticked from the people of the
    meeting's territory (the rest stays anonymous), half of the training lists."""
    import json

    from django.db import transaction

    from kallpanchis.core.models import Gender
    from kallpanchis.people.models import Consent, Family, Person
    from kallpanchis.people.text import normalise
    from municipalities.models import Municipality, TrainingAttendance
    from producers.models import Member
    from spaces.models import Attendance

    t = time.monotonic()
    members = list(
        Member.objects.order_by("pk").values_list("pk", "association__district__ubigeo", "association_id")
    )[:FAMILIES]
    with transaction.atomic():
        copy(
            Family,
            ["community", "district_ubigeo"],
            ((f"Comunidad {association % 97}", ubigeo) for _pk, ubigeo, association in members),
        )
    families = list(Family.objects.order_by("pk").values_list("pk", "district_ubigeo", "community"))
    t = step(f"{len(families)} families", t)

    def people_rows():
        for i in range(PEOPLE):
            family, ubigeo, community = (
                families[i] if i < len(families) else families[rng.randrange(len(families))]
            )
            woman = rng.random() < 0.52
            given = rng.choice(WOMEN if woman else MEN)
            first, second = rng.choice(SURNAMES), rng.choice(SURNAMES)
            dni = f"{40_000_000 + i:08d}" if rng.random() < 0.6 else ""
            phone = f"+519{84_000_000 + i:08d}" if rng.random() < 0.4 else ""
            yield (
                given,
                first,
                second,
                Gender.FEMALE if woman else Gender.MALE,
                rng.randint(1945, 2008),
                dni,
                phone,
                json.dumps(["quechua", "spanish"] if rng.random() < 0.5 else ["quechua"]),
                community,
                ubigeo,
                family,
                normalise(f"{given} {first} {second}"),
            )

    with transaction.atomic():
        n = copy(
            Person,
            [
                "given_names",
                "first_surname",
                "second_surname",
                "gender",
                "birth_year",
                "dni",
                "phone",
                "languages",
                "community",
                "district_ubigeo",
                "family",
                "search_name",
            ],
            people_rows(),
        )
    t = step(f"{n} people", t)
    people = list(
        Person.objects.order_by("pk").values_list(
            "pk", "district_ubigeo", "gender", "given_names", "first_surname", "second_surname", "dni"
        )
    )
    with transaction.atomic():
        copy(
            Consent,
            ["person", "kind", "purpose", "given_on", "method"],
            (
                (pk, "registration", "Registro de participantes (bench)", datetime.date(2026, 3, 2), "paper")
                for pk, *_rest in people
            ),
        )
        # Each family's first person is its reference person, and the member of the association.
        update_from(
            Family, ["reference_person"], ((families[i][0], people[i][0]) for i in range(len(families)))
        )
        update_from(
            Member,
            ["person", "name", "gender", "dni"],
            (
                (
                    member_pk,
                    people[i][0],
                    f"{people[i][3]} {people[i][4]} {people[i][5]}",
                    people[i][2],
                    people[i][6],
                )
                for i, (member_pk, _ubigeo, _association) in enumerate(members)
            ),
        )
    t = step("consents, reference persons, members linked", t)

    by_place: dict[str, list] = {}
    for row in people:
        by_place.setdefault(row[1], []).append(row)
        by_place.setdefault(row[1][:4], []).append(row)
    meetings = meeting_places()
    rows_by_meeting: dict[int, list[int]] = {}
    for pk, meeting in Attendance.objects.order_by("meeting_id", "position").values_list("pk", "meeting_id"):
        rows_by_meeting.setdefault(meeting, []).append(pk)

    def attendance_rows():
        for meeting, rows in rows_by_meeting.items():
            pool = by_place.get(meetings.get(meeting, ""), [])
            if len(pool) < LINKED_PER_MEETING:
                continue
            for row_pk, person in zip(
                rows[:LINKED_PER_MEETING], rng.sample(pool, LINKED_PER_MEETING), strict=False
            ):
                yield (row_pk, person[0], f"{person[3]} {person[4]} {person[5]}", person[2])

    with transaction.atomic():
        n = update_from(Attendance, ["person", "name", "gender"], attendance_rows())
    t = step(f"{n} attendance rows ticked from the register", t)

    training_rows = list(
        TrainingAttendance.objects.order_by("pk").values_list(
            "pk", "municipality__level", "municipality__district__ubigeo", "municipality__province__code"
        )
    )

    def trainings():
        for k, (pk, level, ubigeo, province) in enumerate(training_rows):
            pool = by_place.get(ubigeo if level == Municipality.Level.DISTRICT else province, [])
            if k % 2 or not pool:
                continue
            person = pool[k % len(pool)]
            yield (pk, person[0], f"{person[3]} {person[4]}", person[2])

    with transaction.atomic():
        n = update_from(TrainingAttendance, ["person", "person_name", "gender"], trainings())
    t = step(f"{n} training rows linked", t)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step("ANALYZE", t)


def meeting_places() -> dict[int, str]:
    """Each meeting's territory: its district municipality's UBIGEO, or its province's 4 digits."""
    from municipalities.models import Municipality
    from spaces.models import Meeting

    out = {}
    for pk, level, ubigeo, province in Meeting.objects.values_list(
        "pk",
        "space__municipality__level",
        "space__municipality__district__ubigeo",
        "space__municipality__province__code",
    ):
        out[pk] = ubigeo if level == Municipality.Level.DISTRICT else (province or "")
    return out


@contextlib.contextmanager
def triggers_off():
    """Load without triggers (session_replication_role = replica; the bench connects as a superuser): the
    row-change history of a million generated records is nobody's and made the load four times slower, the
    foreign keys hold by construction, and the data versions matter only to caches, cleared afterwards."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def generate_scale(*, force: bool = False, refresh: bool = False) -> float:
    """Generates the data set unless it is there, then the dashboard's figures; returns the seconds taken."""
    from kallpanchis.dashboard.demo import indicators_ensure
    from kallpanchis.dashboard.models import Refresh
    from kallpanchis.dashboard.services import facts_refresh
    from producers.models import ProducerAssociation

    started = time.monotonic()
    fresh = False
    if ProducerAssociation.objects.count() >= ASSOCIATIONS and not force:
        print(f"scale: the data set is already there ({ProducerAssociation.objects.count()} associations).")
    else:
        print(f"scale: generating {SCALE}× the seed …", flush=True)
        with triggers_off():
            generate()
        fresh = True
    from kallpanchis.people.models import Person

    if Person.objects.count() < PEOPLE:
        print(f"scale: registering {PEOPLE:,} people …", flush=True)
        with triggers_off():
            generate_people()
        fresh = True
    if fresh:
        from django.core.cache import cache

        cache.clear()  # the bench's own cache database: blocks of an earlier data set must not be served
    indicators_ensure()
    if fresh or refresh or not Refresh.objects.exists():
        t = time.monotonic()
        refresh = facts_refresh()  # what the Celery beat task does every 15 minutes
        step(f"dashboard figures rebuilt ({refresh.facts} facts)", t)
    seconds = time.monotonic() - started
    print(f"scale: data ready in {seconds:.0f} s")
    return seconds


def reach_cost(rounds: int = 3) -> dict:
    """The facts rebuild with and without the reach measures (people, families, age groups, kinds, repeat:
    kallpanchis/people/reach.py), alternated `rounds` times so that load from elsewhere falls on both alike
    (median of each), and the reach measures' own time, computed as in a rebuild (one transaction). The
    target: the reach measures lengthen the rebuild by no more than 30 %."""
    import statistics

    from django.db import transaction

    from kallpanchis.core import indicators as registry
    from kallpanchis.dashboard.services import facts_refresh

    reach = {name: fn for name, fn in registry.MEASURES.items() if name.startswith("reach_")}
    times = {"without": [], "with": [], "reach alone": []}
    try:
        for _ in range(rounds):
            for label in ("without", "with"):
                for name in reach:
                    registry.MEASURES.pop(name, None)
                if label == "with":
                    registry.MEASURES.update(reach)
                started = time.monotonic()
                refresh = facts_refresh()
                times[label].append(time.monotonic() - started)
                print(
                    f"  facts rebuild {label} reach: {times[label][-1]:.1f} s ({refresh.facts} facts)",
                    flush=True,
                )
            started = time.monotonic()
            with transaction.atomic():
                rows = sum(len(compute()) for compute in reach.values())
            times["reach alone"].append(time.monotonic() - started)
            print(f"  the {len(reach)} reach measures alone: {times['reach alone'][-1]:.1f} s ({rows} rows)")
    finally:
        registry.MEASURES.update(reach)
    median = {label: statistics.median(found) for label, found in times.items()}
    extra = (median["with"] / median["without"] - 1) * 100
    alone = median["reach alone"] / median["without"] * 100
    print(
        f"scale: facts rebuild (median of {rounds}) {median['without']:.1f} s without the {len(reach)} reach "
        f"measures, {median['with']:.1f} s with them: {extra:+.0f} %; the reach measures alone "
        f"{median['reach alone']:.1f} s = {alone:.0f} % of the rebuild without them (target ≤ +30 %)"
    )
    return {**median, "extra_pct": extra, "alone_pct": alone}


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Generate a synthetic data set at 10× the seed (30,000 families, 2,000 associations, "
        "20,000 meetings, 400,000 attendance rows, 1,000,000 monthly production records) and the "
        "dashboard's figures. Only on an empty database: it does nothing if the associations are there."
    )
    parser.add_argument("--scale", type=int, default=10, help="times the seed (1, 10, 30 …)")
    parser.add_argument("--force", action="store_true", help="generate even if associations exist")
    parser.add_argument("--refresh", action="store_true", help="recompute the dashboard's figures")
    parser.add_argument(
        "--reach-cost",
        action="store_true",
        help="then time the facts rebuild with and without the reach measures (people counted once)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    configure(args.scale)
    generate_scale(force=args.force, refresh=args.refresh)
    if args.reach_cost:
        reach_cost()


if __name__ == "__main__":
    main()
