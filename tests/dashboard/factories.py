"""A small data set whose indicators are computed by hand in test_indicators.py, and a generator of many
associations for the query-count tests. Rows are created directly (the source apps' factories are still
moving); the rules of those apps are not what these tests are about."""

import datetime
from decimal import Decimal as D

from django.utils import timezone

from kallpanchis.organisations.models import Organisation


def org(name: str, kind=Organisation.Kind.PRODUCER) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind)


def at(year: int, month: int, day: int = 10, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def association(name: str, ubigeo: str, lines: list[str], families: int = 20):
    from municipalities.models import District
    from producers.models import ProducerAssociation

    return ProducerAssociation.objects.create(
        organisation=org(name),
        district=District.objects.get(ubigeo=ubigeo),
        families=families,
        productive_lines=lines,
    )


def production(assoc, year, month, *, milk, sold, channel, price=None, cheese=0):
    from producers.models import ProductionRecord

    return ProductionRecord.objects.create(
        association=assoc,
        month=datetime.date(year, month, 1),
        milk_produced_l=D(milk),
        milk_sold_l=D(sold),
        cheese_produced_kg=D(cheese),
        milk_price=None if price is None else D(price),
        channel=channel,
    )


def plan(assoc, year, status, submitted=None):
    from producers.models import OperatingPlan

    return OperatingPlan.objects.create(association=assoc, year=year, status=status, submitted_at=submitted)


def space(name, municipality, group=None):
    from spaces.models import ConcertationSpace, ThematicGroup

    level = ConcertationSpace.Level.PROVINCIAL if municipality.level == "provincial" else "district"
    return ConcertationSpace.objects.create(
        name=name,
        municipality=municipality,
        level=level,
        kind=ConcertationSpace.Kind.THEMATIC if group else ConcertationSpace.Kind.DEVELOPMENT,
        thematic_group=ThematicGroup.objects.get_or_create(name=group)[0] if group else None,
    )


def meeting(sp, when, status, attendees=()):
    from spaces.models import Attendance, Meeting

    m = Meeting.objects.create(
        space=sp,
        title=f"Reunión {when:%d/%m/%Y}",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        place="Local comunal",
        status=status,
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=m, position=i, name=f"Persona {i}", gender=g) for i, g in enumerate(attendees, 1)]
    )
    return m


def agreement(m, due, status="pending", done=None):
    from spaces.models import Agreement

    return Agreement.objects.create(meeting=m, what="Acuerdo", due_date=due, status=status, done_on=done)


def small_world(municipalities) -> dict:
    """See test_indicators.py for the figures each indicator must give on this data."""
    from producers.models import OperatingPlan, PlanDeadline
    from spaces.models import Meeting

    m = municipalities
    # Production: Colquemarca (Chumbivilcas) milk + cheese; Pucyura (Anta) milk.
    a = association("Asociación Sumaq Llaqta", "080704", ["milk", "cheese"])
    b = association("Asociación Wayna Qocha", "080308", ["milk"])
    production(a, 2009, 1, milk=1000, sold=800, channel="direct", price="1.00", cheese=50)
    production(a, 2009, 2, milk=1200, sold=900, channel="middleman", price="0.80", cheese=60)
    production(b, 2009, 1, milk=500, sold=500, channel="fair")
    production(b, 2010, 3, milk=700, sold=600, channel="direct", price="1.20")
    # Plans: 2009 deadline 31 March.
    PlanDeadline.objects.create(year=2009, due_on=datetime.date(2009, 3, 31))
    plan(a, 2009, OperatingPlan.Status.VALIDATED, at(2009, 3, 15))
    plan(b, 2009, OperatingPlan.Status.VALIDATED, at(2009, 4, 10))
    plan(a, 2010, OperatingPlan.Status.VALIDATED, at(2010, 5, 2))
    plan(b, 2010, OperatingPlan.Status.DRAFT)
    # Spaces: Chumbivilcas' milk group (province-wide) and Colquemarca's development space.
    s1 = space("Mesa de la leche", m["chumbivilcas"], "Leche")
    s2 = space("Espacio de desarrollo de Colquemarca", m["colquemarca"])
    m1 = meeting(s1, at(2009, 3, 1), Meeting.Status.HELD, ["female", "female", "male"])
    meeting(s1, at(2009, 6, 1), Meeting.Status.HELD, ["female", "unstated"])
    meeting(s1, at(2009, 9, 1), Meeting.Status.CANCELLED, ["female"])
    meeting(s2, at(2009, 4, 1), Meeting.Status.HELD, ["male"])
    meeting(s2, at(2009, 11, 1), Meeting.Status.PLANNED)
    agreement(m1, datetime.date(2009, 6, 30), "done", datetime.date(2009, 6, 20))
    agreement(m1, datetime.date(2009, 7, 31), "done", datetime.date(2009, 8, 15))
    agreement(m1, datetime.date(2009, 9, 30))
    agreement(m1, datetime.date(2009, 10, 1), "dropped")
    # Participatory budget 2010 of Chumbivilcas.
    _budget(m["chumbivilcas"])
    # Technicians' network.
    _trainings(m)
    return {"a": a, "b": b, "s1": s1, "s2": s2}


def _budget(municipality):
    from budgets.models import BudgetCycle, ParticipatingAgent, Proposal

    cycle = BudgetCycle.objects.create(municipality=municipality, fiscal_year=2010, envelope=D("1000000"))
    producer = ParticipatingAgent.objects.create(cycle=cycle, organisation=org("Asociación Llamkay"))
    public = ParticipatingAgent.objects.create(
        cycle=cycle, organisation=org("Agencia Agraria", Organisation.Kind.PUBLIC)
    )
    common = {"cycle": cycle, "result": "Producción", "district": municipality.district, "families": 10}
    Proposal.objects.create(
        agent=producer, title="Cobertizos", cost=D("160000"), allocated=D("150000"), **common
    )
    Proposal.objects.create(agent=public, title="Trocha", cost=D("200000"), allocated=D("200000"), **common)
    Proposal.objects.create(agent=producer, title="Pastos", cost=D("50000"), **common)


def _trainings(m):
    from municipalities.models import Technician, Training, TrainingAttendance

    t1 = Technician.objects.create(municipality=m["anta"], person_name="Luz Quispe", gender="female")
    first = Training.objects.create(
        title="Planes DEL", topic="led_plans", held_on=datetime.date(2009, 5, 10), place="Anta"
    )
    second = Training.objects.create(
        title="Competitividad", topic="competitiveness", held_on=datetime.date(2009, 8, 10), place="Cusco"
    )
    row = {"training": first}
    TrainingAttendance.objects.create(
        technician=t1, person_name=t1.person_name, municipality=m["anta"], gender="female", **row
    )
    TrainingAttendance.objects.create(
        training=second, technician=t1, person_name=t1.person_name, municipality=m["anta"], gender="female"
    )
    TrainingAttendance.objects.create(
        person_name="Juan Huamán", municipality=m["pucyura"], gender="male", **row
    )
    TrainingAttendance.objects.create(
        person_name="Rosa Ccama", municipality=m["pucyura"], gender="female", completed=False, **row
    )


def many_associations(n: int, ubigeo: str = "080704") -> None:
    """n associations with a year of production each, in bulk."""
    from municipalities.models import District
    from producers.models import ProducerAssociation, ProductionRecord

    district = District.objects.get(ubigeo=ubigeo)
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Asociación {ubigeo} número {i}", kind=Organisation.Kind.PRODUCER)
            for i in range(n)
        ]
    )
    assocs = ProducerAssociation.objects.bulk_create(
        [
            ProducerAssociation(organisation=o, district=district, families=10, productive_lines=["milk"])
            for o in orgs
        ]
    )
    ProductionRecord.objects.bulk_create(
        [
            ProductionRecord(
                association=a, month=datetime.date(2009, month, 1), milk_produced_l=100, channel="direct"
            )
            for a in assocs
            for month in (1, 2, 3)
        ]
    )
