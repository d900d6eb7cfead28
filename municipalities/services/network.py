from django.db import transaction

from ..models import Municipality, Technician, Training, TrainingAttendance, manages_all
from .common import refuse_unless, save_checked


def _may_edit_members_of(user, municipality: Municipality) -> bool:
    return Municipality.objects.profile_editable_by(user).filter(pk=municipality.pk).exists()


@transaction.atomic
def technician_create(*, by, municipality: Municipality, **fields) -> Technician:
    """A municipality's own technicians and administrators add members for it; coordinators and partner
    staff for any municipality."""
    refuse_unless(_may_edit_members_of(by, municipality))
    return save_checked(Technician(municipality=municipality), fields)


@transaction.atomic
def technician_update(*, by, technician: Technician, **fields) -> Technician:
    """Same rule, for the member's current municipality and for the one they move to."""
    technician = Technician.objects.select_for_update().get(pk=technician.pk)
    refuse_unless(_may_edit_members_of(by, technician.municipality))
    if "municipality" in fields:
        refuse_unless(_may_edit_members_of(by, fields["municipality"]))
    return save_checked(technician, fields)


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
    person_name: str = "",
    municipality: Municipality | None = None,
    gender: str = "",
    completed: bool = True,
) -> TrainingAttendance:
    """One row per person and training, with their gender. A network member brings their own name,
    municipality and gender unless others are given; a member is listed once per training."""
    refuse_unless(manages_all(by))
    if technician is not None:
        person_name = person_name or technician.person_name
        municipality = municipality or technician.municipality
        gender = gender or technician.gender
    row = TrainingAttendance(
        training=training,
        technician=technician,
        person_name=person_name,
        municipality=municipality,
        gender=gender,
        completed=completed,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def training_attendance_remove(*, by, attendance: TrainingAttendance) -> None:
    refuse_unless(manages_all(by))
    attendance.delete()
