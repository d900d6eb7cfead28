from django.db import transaction

from kallpanchis.people.services import NewPerson, person_check_linkable, person_register_and_link

from ..models import Municipality, Technician, Training, TrainingAttendance, manages_all
from .common import refuse_unless, save_checked


def _may_edit_members_of(user, municipality: Municipality) -> bool:
    return Municipality.objects.profile_editable_by(user).filter(pk=municipality.pk).exists()


def _with_person(fields: dict, person, *, name_field: str = "person_name") -> dict:
    """A row about a person of the register takes its name and gender from them unless others are given."""
    if person is None:
        return fields
    fields = {**fields, "person": person}
    fields[name_field] = fields.get(name_field) or person.display_name
    if "gender" not in fields or not fields["gender"] or fields["gender"] == "unstated":
        fields["gender"] = person.gender
    return fields


@transaction.atomic
def technician_create(
    *, by, municipality: Municipality, new_person: NewPerson | None = None, **fields
) -> Technician:
    """A municipality's own technicians and administrators add members for it; coordinators and partner
    staff for any municipality. The member may be a person of the register the caller sees (`person`) or
    be registered there now with their consent (`new_person`); the name and gender default to theirs."""
    refuse_unless(_may_edit_members_of(by, municipality))
    if fields.get("person") is not None:
        person_check_linkable(by=by, person=fields["person"])
        fields = _with_person(fields, fields["person"])
    technician = Technician(municipality=municipality)
    if new_person is not None:
        person_register_and_link(
            by=by, new=new_person, link=lambda p: save_checked(technician, _with_person(fields, p))
        )
        return technician
    return save_checked(technician, fields)


@transaction.atomic
def technician_update(
    *, by, technician: Technician, new_person: NewPerson | None = None, **fields
) -> Technician:
    """Same rule, for the member's current municipality and for the one they move to; a person linked
    anew must be one the caller sees, or be registered now with their consent (`new_person`)."""
    technician = Technician.objects.select_for_update().get(pk=technician.pk)
    refuse_unless(_may_edit_members_of(by, technician.municipality))
    if "municipality" in fields:
        refuse_unless(_may_edit_members_of(by, fields["municipality"]))
    person = fields.get("person")
    if person is not None and person.pk != technician.person_id:
        person_check_linkable(by=by, person=person)
    if new_person is not None:
        fields.pop("person", None)
        person_register_and_link(
            by=by, new=new_person, link=lambda p: save_checked(technician, _with_person(fields, p))
        )
        return technician
    return save_checked(technician, _with_person(fields, person))


@transaction.atomic
def training_create(*, by, **fields) -> Training:
    """Trainings of the network are recorded by coordinators and partner staff."""
    refuse_unless(manages_all(by))
    return save_checked(Training(), fields)


@transaction.atomic
def training_update(*, by, training: Training, **fields) -> Training:
    refuse_unless(manages_all(by))
    training = Training.objects.select_for_update().get(pk=training.pk)
    return save_checked(training, fields)


@transaction.atomic
def training_attendance_add(
    *,
    by,
    training: Training,
    technician: Technician | None = None,
    person=None,
    new_person: NewPerson | None = None,
    person_name: str = "",
    municipality: Municipality | None = None,
    gender: str = "",
    completed: bool = True,
) -> TrainingAttendance:
    """One row per person and training, with their gender. A network member brings their own name,
    municipality, gender and person of the register unless others are given; a member and a person are
    listed once per training. `person` (someone the caller sees) or `new_person` (registered now with their
    consent) makes the row count once among the people reached; without either it counts in totals only."""
    refuse_unless(manages_all(by))
    if technician is not None:
        person_name = person_name or technician.person_name
        municipality = municipality or technician.municipality
        gender = gender or technician.gender
        if person is None and new_person is None:
            person = technician.person
        elif person is not None:
            person_check_linkable(by=by, person=person)
    elif person is not None:
        person_check_linkable(by=by, person=person)
    if person is not None:
        person_name = person_name or person.display_name
        gender = gender or person.gender
    row = TrainingAttendance(
        training=training,
        technician=technician,
        person=person,
        person_name=person_name,
        municipality=municipality,
        gender=gender,
        completed=completed,
    )
    if new_person is not None:

        def link(p):
            row.person = p
            row.person_name = row.person_name or p.display_name
            row.gender = row.gender or p.gender
            row.full_clean()
            row.save()

        person_register_and_link(by=by, new=new_person, link=link)
        return row
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def training_attendance_remove(*, by, attendance: TrainingAttendance) -> None:
    refuse_unless(manages_all(by))
    attendance.delete()
