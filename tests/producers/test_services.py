from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from producers import selectors
from producers.models import OperatingPlan, PlanEvent, ProductionRecord
from producers.services import (
    PlanConflict,
    deadline_set,
    member_add,
    plan_return,
    plan_save_draft,
    plan_start,
    plan_submit,
    plan_validate,
    plan_version_new,
    production_record_save,
)
from producers.validators import ruc_check_digit, ruc_is_valid, validate_dni, validate_ruc
from tests.accounts.factories import person_with_role

from .factories import activity, assembly_approved, filled_plan, full_content

pytestmark = pytest.mark.django_db


def test_ruc_check_digit_follows_sunat():
    assert ruc_check_digit("2013131295") == 5  # SUNAT's own RUC: 20131312955
    assert ruc_is_valid("20131312955")
    assert not ruc_is_valid("20131312954")
    assert not ruc_is_valid("30131312955")  # prefix
    assert not ruc_is_valid("2013131295")  # length
    for bad in ("20131312954", "3013131295X", "123"):
        with pytest.raises(ValidationError):
            validate_ruc(bad)


def test_dni_has_eight_digits():
    validate_dni("40123456")
    for bad in ("4012345", "401234567", "4012345a"):
        with pytest.raises(ValidationError):
            validate_dni(bad)


def test_member_dni_checked_and_once_per_association(association, leader):
    member_add(by=leader, association=association, name="Rosa Quispe", gender="female", dni="40123456")
    with pytest.raises(ValidationError):
        member_add(by=leader, association=association, name="Otra", gender="female", dni="40123456")
    with pytest.raises(ValidationError):
        member_add(by=leader, association=association, name="Juan", gender="male", dni="123")
    assert association.members.count() == 1


def test_leader_cannot_add_members_to_another_association(association, other_leader):
    with pytest.raises(PermissionDenied):
        member_add(by=other_leader, association=association, name="Intrusa", gender="female")
    assert association.members.count() == 0


def test_totals_are_summed_by_the_database(association, leader):
    plan = filled_plan(association, by=leader)
    totals = selectors.plan_totals(plan=plan)
    assert [(source, total) for source, _label, total in totals["by_source"]] == [
        ("own", Decimal("1500.50")),
        ("procompite", Decimal("2500.00")),
        ("agroideas", Decimal("3000.00")),
        ("ngo", Decimal("800.00")),
        ("credit", 0),
        ("other", Decimal("100.00")),
    ]
    assert totals["total"] == Decimal("7900.50")
    assert [a.total for a in selectors.plan_activities(plan=plan)] == [
        Decimal("4200.00"),
        Decimal("1100.50"),
        Decimal("2600.00"),
    ]


def test_one_plan_per_association_and_year(association, leader):
    plan_start(by=leader, association=association, year=2010)
    with pytest.raises(ValidationError):
        plan_start(by=leader, association=association, year=2010)
    assert OperatingPlan.objects.filter(association=association).count() == 1


def test_full_review_workflow_is_stamped_and_locks(association, leader, technician_anta, coordinator):
    plan = plan_start(by=leader, association=association, year=2010)
    with pytest.raises(ValidationError):
        plan_submit(by=leader, plan=plan)  # empty: refused
    plan = plan_save_draft(by=leader, plan=plan, revision=plan.revision, content=full_content())
    plan = assembly_approved(plan, by=leader)
    plan = plan_submit(by=leader, plan=plan)
    assert plan.status == "submitted"

    with pytest.raises(ValidationError):
        plan_return(by=technician_anta, plan=plan, comments=[("budget", "  ")])
    plan = plan_return(
        by=technician_anta, plan=plan, comments=[("budget", "Falta el aporte propio de la feria.")]
    )
    assert plan.status == "returned"
    assert list(plan.comments.values_list("section", "text")) == [
        ("budget", "Falta el aporte propio de la feria.")
    ]

    content = full_content()
    content.activities[2] = activity("Feria de quesos", (9, 10), own="400", procompite="2500")
    plan = plan_save_draft(by=leader, plan=plan, revision=plan.revision, content=content)
    plan = plan_submit(by=leader, plan=plan)
    assert plan.status == "resubmitted"

    with pytest.raises(PermissionDenied):
        plan_validate(by=technician_anta, plan=plan)
    assert OperatingPlan.objects.get(pk=plan.pk).status == "resubmitted"
    plan = plan_validate(by=coordinator, plan=plan, comment="Conforme.")
    assert plan.status == "validated"

    with pytest.raises(ValidationError):
        plan_save_draft(by=leader, plan=plan, revision=plan.revision, content=full_content())
    assert OperatingPlan.objects.get(pk=plan.pk).activities.get(position=2).budget_lines.count() == 2

    steps = list(PlanEvent.objects.filter(plan=plan).values_list("action", "from_status", "to_status", "by"))
    assert steps == [
        ("created", "", "draft", leader.pk),
        ("assembly", "draft", "draft", leader.pk),
        ("submitted", "draft", "submitted", leader.pk),
        ("returned", "submitted", "returned", technician_anta.pk),
        ("resubmitted", "returned", "resubmitted", leader.pk),
        ("validated", "resubmitted", "validated", coordinator.pk),
    ]
    assert all(e.at is not None for e in PlanEvent.objects.filter(plan=plan))


def test_technician_of_another_province_cannot_review(association, leader, technician_chumbivilcas):
    plan = plan_submit(by=leader, plan=filled_plan(association, by=leader))
    with pytest.raises(PermissionDenied):
        plan_return(by=technician_chumbivilcas, plan=plan, comments=[("general", "No")])
    assert OperatingPlan.objects.get(pk=plan.pk).status == "submitted"
    assert not plan.comments.exists()


def test_leader_cannot_review_their_own_plan(association, leader):
    plan = plan_submit(by=leader, plan=filled_plan(association, by=leader))
    with pytest.raises(PermissionDenied):
        plan_return(by=leader, plan=plan, comments=[("general", "ok")])
    with pytest.raises(PermissionDenied):
        plan_validate(by=leader, plan=plan)
    assert OperatingPlan.objects.get(pk=plan.pk).status == "submitted"


def test_stale_save_is_refused_and_nothing_is_lost(association, leader):
    plan = plan_start(by=leader, association=association, year=2010)
    opened_at = plan.revision
    first = plan_save_draft(
        by=leader, plan=plan, revision=opened_at, content=full_content(diagnosis="Versión de la presidenta")
    )
    with pytest.raises(PlanConflict) as conflict:
        plan_save_draft(
            by=leader, plan=plan, revision=opened_at, content=full_content(diagnosis="Versión del secretario")
        )
    assert conflict.value.current.revision == first.revision
    stored = OperatingPlan.objects.get(pk=plan.pk)
    assert stored.diagnosis == "Versión de la presidenta"
    assert stored.revision == opened_at + 1
    assert stored.activities.count() == 3


def test_new_version_from_approved_plan_and_diff(association, leader, coordinator):
    plan = plan_submit(by=leader, plan=filled_plan(association, by=leader))
    plan = plan_validate(by=coordinator, plan=plan)
    new = plan_version_new(by=leader, plan=plan)
    assert (new.version, new.status, new.is_current, new.previous_id) == (2, "draft", True, plan.pk)
    old = OperatingPlan.objects.get(pk=plan.pk)
    assert (old.status, old.is_current) == ("validated", False)
    assert new.activities.count() == 3
    with pytest.raises(ValidationError):
        plan_version_new(by=leader, plan=old)

    content = full_content(diagnosis="Poca leche en época seca.\nHeladas en junio.")
    new = plan_save_draft(by=leader, plan=new, revision=new.revision, content=content)
    sections = selectors.plan_diff(old=old, new=new)
    diagnosis = sections[0]
    assert diagnosis["changed"] is True
    assert [(r["kind"], r["text"]) for r in diagnosis["rows"]] == [
        ("removed", "Poca leche en época seca; pastos naturales degradados."),
        ("added", "Poca leche en época seca."),
        ("added", "Heladas en junio."),
    ]
    assert [s["changed"] for s in sections[1:]] == [False, False, False, False]


def test_deadline_flags_late_plans(association, leader, coordinator):
    with pytest.raises(PermissionDenied):
        deadline_set(by=leader, year=2010, due_on=date(2010, 3, 31))
    today = timezone.localdate()
    deadline_set(by=coordinator, year=today.year, due_on=today - timedelta(days=1))
    late_draft = plan_start(by=leader, association=association, year=today.year)
    assert selectors.plan_get_for_user(user=coordinator, plan_id=late_draft.pk).is_late is True
    draft = plan_save_draft(by=leader, plan=late_draft, revision=1, content=full_content())
    plan_submit(by=leader, plan=assembly_approved(draft, by=leader))
    assert selectors.plan_get_for_user(user=coordinator, plan_id=late_draft.pk).is_late is True

    deadline_set(by=coordinator, year=today.year, due_on=today + timedelta(days=1))
    assert selectors.plan_get_for_user(user=coordinator, plan_id=late_draft.pk).is_late is False


def test_production_negative_refused_unusual_needs_confirmation(association, leader):
    values = dict(
        cows_milked=40,
        milk_produced_l=Decimal("7200"),
        milk_sold_l=Decimal("3000"),
        cheese_produced_kg=Decimal("520"),
        cheese_sold_kg=Decimal("500"),
        guinea_pigs_sold=20,
        milk_price=Decimal("1.40"),
        cheese_price=Decimal("12.00"),
        channel="direct",
    )
    with pytest.raises(ValidationError):
        production_record_save(
            by=leader, association=association, month=date(2010, 1, 1), values={**values, "milk_sold_l": -1}
        )
    unusual = {**values, "milk_price": Decimal("14.00")}
    with pytest.raises(ValidationError) as error, translation.override("en"):
        production_record_save(by=leader, association=association, month=date(2010, 1, 1), values=unusual)
    assert error.value.messages == ["Milk price outside S/ 0.50 – 3.00."]
    assert ProductionRecord.objects.count() == 0
    record = production_record_save(
        by=leader, association=association, month=date(2010, 1, 15), values=unusual, confirmed=True
    )
    assert (record.month, record.confirmed_unusual) == (date(2010, 1, 1), True)
    normal = production_record_save(by=leader, association=association, month=date(2010, 2, 1), values=values)
    assert normal.confirmed_unusual is False


def test_technician_cannot_record_production(association, technician_anta):
    with pytest.raises(PermissionDenied):
        production_record_save(
            by=technician_anta, association=association, month=date(2010, 1, 1), values={"channel": "fair"}
        )
    assert ProductionRecord.objects.count() == 0


def test_partner_staff_sees_but_does_not_review(association, leader):
    from kallpanchis.organisations.models import Organisation

    cadep = Organisation.objects.create(name="CADEP", kind="ngo", consortium_role="production")
    staff = person_with_role("partner_staff", cadep)
    plan = plan_submit(by=leader, plan=filled_plan(association, by=leader))
    assert OperatingPlan.objects.visible_to(staff).filter(pk=plan.pk).exists()
    with pytest.raises(PermissionDenied):
        plan_return(by=staff, plan=plan, comments=[("general", "x")])


def test_production_totals_add_up_the_association_s_months_of_the_year(association, other_association):
    from datetime import date

    from django.db.models import Sum

    from producers.models import ProductionRecord
    from producers.services import production_record_save

    assert selectors.production_year_totals(association=association) == {
        "milk": 0,
        "milk_sold": 0,
        "cheese": 0,
        "cheese_sold": 0,
        "guinea_pigs": 0,
    }
    months = [(association, date(2008, 1, 1), "310.5"), (association, date(2008, 2, 1), "290.0")]
    months += [(association, date(2009, 1, 1), "400.0"), (other_association, date(2008, 1, 1), "999.9")]
    for place, month, milk in months:
        values = {"milk_produced_l": Decimal(milk), "milk_sold_l": Decimal("100.5")}
        values |= {"cheese_produced_kg": Decimal("12.5"), "cheese_sold_kg": Decimal(10)}
        values |= {"guinea_pigs_sold": 3, "channel": "fair"}
        production_record_save(by=None, association=place, month=month, values=values)
    totals = selectors.production_year_totals(association=association, year=2008)
    assert totals == {
        "milk": Decimal("600.5"),
        "milk_sold": Decimal("201.0"),
        "cheese": Decimal("25.0"),
        "cheese_sold": Decimal("20.0"),
        "guinea_pigs": 6,
    }
    # what the table lists, added up by the ORM: the same for every year and for all years
    for year in (None, 2008, 2009, 2010):
        records = selectors.production_for_association(association=association, year=year)
        summed = records.aggregate(milk=Sum("milk_produced_l"), pigs=Sum("guinea_pigs_sold"))
        totals = selectors.production_year_totals(association=association, year=year)
        assert (totals["milk"], totals["guinea_pigs"]) == (summed["milk"] or 0, summed["pigs"] or 0)
    assert ProductionRecord.objects.count() == 4
