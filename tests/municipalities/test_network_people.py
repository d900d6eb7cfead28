"""Network members and training participants linked to the register of people."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kallpanchis.people.models import Person
from kallpanchis.people.services import NewPerson, person_merge
from municipalities.models import Technician, TrainingAttendance
from municipalities.services import technician_create, training_attendance_add
from tests.accounts.factories import person_with_role
from tests.municipalities.factories import make_technician, make_training
from tests.people.factories import ANTA, COLQUEMARCA, consent, register

pytestmark = pytest.mark.django_db


def test_a_network_member_picked_or_registered_with_consent(municipalities, technician_anta):
    nelida = register(given_names="Nélida", first_surname="Quispe", district_ubigeo=ANTA)
    member = technician_create(
        by=technician_anta, municipality=municipalities["anta"], person=nelida, person_name="", gender=""
    )
    assert (member.person, member.person_name, member.gender) == (nelida, "Nélida Quispe", "female")
    new = NewPerson(
        consent=consent(),
        fields={"given_names": "Fredy", "first_surname": "Tito", "gender": "male", "district_ubigeo": ANTA},
    )
    other = technician_create(by=technician_anta, municipality=municipalities["anta"], new_person=new)
    assert other.person.display_name == "Fredy Tito" and other.person_name == "Fredy Tito"
    stranger = register(given_names="Yolanda", first_surname="Cjuro", district_ubigeo=COLQUEMARCA)
    with pytest.raises(PermissionDenied):
        technician_create(by=technician_anta, municipality=municipalities["anta"], person=stranger)
    assert Technician.objects.count() == 2


def test_a_training_row_takes_the_network_members_person(municipalities, coordinator):
    nelida = register(given_names="Nélida", first_surname="Quispe", district_ubigeo=ANTA)
    member = make_technician(municipalities["anta"], name="Nélida Quispe", person=nelida)
    training = make_training()
    partner = person_with_role("partner_staff", coordinator.role_assignments.first().organisation)
    # Partner staff see no person, yet the member's own person comes with the member.
    row = training_attendance_add(by=partner, training=training, technician=member)
    assert row.person == nelida


def test_merge_moves_training_rows_and_memberships(municipalities, coordinator):
    kept = register(given_names="Nélida", first_surname="Quispe", district_ubigeo=ANTA)
    twin = register(given_names="Nelida", first_surname="Quispe", district_ubigeo=ANTA)
    member = make_technician(municipalities["anta"], name="Nelida Quispe", person=twin)
    row = training_attendance_add(by=coordinator, training=make_training(), person=twin)
    person_merge(by=None, kept=kept, merged=twin)
    member.refresh_from_db()
    row.refresh_from_db()
    assert member.person == kept and row.person == kept
    assert not Person.objects.filter(pk=twin.pk).exists()


def test_the_training_form_picks_a_person_without_javascript(client, municipalities, coordinator):
    nelida = register(given_names="Nélida", first_surname="Quispe", district_ubigeo=ANTA)
    training = make_training()
    client.force_login(coordinator)
    url = reverse("municipalities:attendance_add", args=[training.pk])
    base = {"technician": "", "person_name": "", "municipality": "", "gender": "", "completed": "on"}
    page = client.post(url, {**base, "person-q": "nelida", "person-search": "1"})
    assert page.status_code == 200 and f'value="{nelida.pk}"' in page.content.decode()
    assert not TrainingAttendance.objects.exists()
    assert client.post(url, {**base, "person-pick": str(nelida.pk)}).status_code == 302
    row = TrainingAttendance.objects.get()
    assert (row.person, row.person_name, row.gender) == (nelida, "Nélida Quispe", "female")
