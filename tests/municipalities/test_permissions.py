import pytest
from django.urls import reverse

from municipalities.models import Municipality
from tests.accounts.factories import person_with_role

pytestmark = pytest.mark.django_db


def test_technician_of_anta_cannot_open_chumbivilcas(client, municipalities, technician_anta):
    client.force_login(technician_anta)
    for key in ("chumbivilcas", "colquemarca"):
        response = client.get(reverse("municipalities:municipality_detail", args=[municipalities[key].pk]))
        assert response.status_code == 404


def test_provincial_technician_sees_the_districts_of_their_province(municipalities, technician_anta):
    visible = set(
        Municipality.objects.visible_to(technician_anta).values_list("organisation__name", flat=True)
    )
    assert visible == {
        "Municipalidad Provincial de Anta",
        "Municipalidad Distrital de Pucyura",
        "Municipalidad Distrital de Chinchaypujio",
    }


def test_district_technician_sees_only_their_district(municipalities):
    tech = person_with_role("technician", municipalities["pucyura"].organisation)
    assert list(Municipality.objects.visible_to(tech)) == [municipalities["pucyura"]]
    assert list(Municipality.objects.editable_by(tech)) == [municipalities["pucyura"]]


def test_leader_sees_no_municipality_and_coordinator_sees_all(municipalities, coordinator):
    from kallpanchis.organisations.models import Organisation

    association = Organisation.objects.create(name="Asociación Sumaq Llaqta", kind=Organisation.Kind.PRODUCER)
    leader = person_with_role("leader", association)
    assert Municipality.objects.visible_to(leader).count() == 0
    assert Municipality.objects.visible_to(coordinator).count() == 5


def test_municipality_list_shows_only_the_scope(client, municipalities, technician_chumbivilcas):
    client.force_login(technician_chumbivilcas)
    response = client.get(reverse("municipalities:municipality_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chumbivilcas" in content and "Colquemarca" in content
    assert "Anta" not in content and "Pucyura" not in content


def test_municipality_list_query_count_does_not_grow(
    client, territory, coordinator, django_assert_max_num_queries
):
    from municipalities.services import municipality_ensure

    client.force_login(coordinator)
    municipality_ensure(ubigeo="080101")
    with django_assert_max_num_queries(99) as one:
        client.get(reverse("municipalities:municipality_list"))
    for district in [
        "080102",
        "080103",
        "080104",
        "080105",
        "080106",
        "080107",
        "080108",
        "080201",
        "080202",
        "080203",
        "080204",
        "080205",
        "080206",
        "080207",
        "080301",
        "080302",
        "080303",
        "080304",
        "080305",
        "080306",
        "080307",
        "080308",
        "080309",
        "080401",
    ]:
        municipality_ensure(ubigeo=district)
    assert Municipality.objects.count() == 25
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("municipalities:municipality_list"))


# Every scoped model answers 404 outside the scope; refused writes change nothing.

import datetime  # noqa: E402

from municipalities.models import (  # noqa: E402
    EventParticipation,
    MunicipalAssociation,
    PartnershipAgreement,
    Technician,
    Training,
    TrainingAttendance,
)
from tests.municipalities.factories import (  # noqa: E402
    PDF_BYTES,
    make_agreement,
    make_association,
    make_event,
    make_technician,
    make_training,
)


@pytest.fixture
def technician_pucyura(municipalities):
    return person_with_role(
        "technician", municipalities["pucyura"].organisation, email="tec.pucyura@example.pe"
    )


@pytest.fixture
def leader(db):
    from kallpanchis.organisations.models import Organisation

    association = Organisation.objects.create(name="Asociación Sumaq Llaqta", kind=Organisation.Kind.PRODUCER)
    return person_with_role("leader", association, email="lider@example.pe")


def test_pucyura_technician_cannot_edit_antas_agreement(client, municipalities, technician_pucyura):
    agreement = make_agreement(municipalities["anta"], title="Convenio Anta")
    before = PartnershipAgreement.objects.values().get(pk=agreement.pk)
    client.force_login(technician_pucyura)
    edit = reverse("municipalities:agreement_edit", args=[agreement.pk])
    assert client.get(edit).status_code == 404
    response = client.post(edit, {"municipality": municipalities["pucyura"].pk, "title": "Robado"})
    assert response.status_code == 404
    assert PartnershipAgreement.objects.values().get(pk=agreement.pk) == before
    assert client.get(reverse("municipalities:agreement_detail", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("municipalities:agreement_document", args=[agreement.pk])).status_code == 404


def test_anta_technician_reads_but_does_not_edit_antas_agreement(client, municipalities, technician_anta):
    agreement = make_agreement(municipalities["anta"], title="Convenio Anta")
    client.force_login(technician_anta)
    assert client.get(reverse("municipalities:agreement_detail", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("municipalities:agreement_edit", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("municipalities:agreement_create")).status_code == 403
    response = client.post(
        reverse("municipalities:agreement_create"), {"municipality": municipalities["anta"].pk}
    )
    assert response.status_code == 403 and PartnershipAgreement.objects.count() == 1


def test_signed_document_is_served_only_inside_the_scope(
    client, municipalities, coordinator, technician_anta, technician_chumbivilcas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.base import ContentFile

    agreement = make_agreement(municipalities["pucyura"])
    agreement.document.save("x.pdf", ContentFile(PDF_BYTES))
    url = reverse("municipalities:agreement_document", args=[agreement.pk])
    client.force_login(technician_chumbivilcas)
    assert client.get(url).status_code == 404
    client.force_login(technician_anta)  # Anta is Pucyura's province
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_technicians_of_other_municipalities_are_404(client, municipalities, technician_pucyura):
    member = make_technician(municipalities["chumbivilcas"], name="Wilber Choque", gender="male")
    before = Technician.objects.values().get(pk=member.pk)
    client.force_login(technician_pucyura)
    assert client.get(reverse("municipalities:technician_detail", args=[member.pk])).status_code == 404
    edit = reverse("municipalities:technician_edit", args=[member.pk])
    assert client.get(edit).status_code == 404
    client.post(edit, {"municipality": municipalities["pucyura"].pk, "person_name": "x", "gender": "male"})
    assert Technician.objects.values().get(pk=member.pk) == before


def test_provincial_technician_reads_but_cannot_edit_a_district_member(
    client, municipalities, technician_anta
):
    member = make_technician(municipalities["pucyura"])
    client.force_login(technician_anta)
    assert client.get(reverse("municipalities:technician_detail", args=[member.pk])).status_code == 200
    assert client.get(reverse("municipalities:technician_edit", args=[member.pk])).status_code == 404


def test_profile_edit_is_for_the_municipality_itself(client, municipalities, technician_pucyura):
    client.force_login(technician_pucyura)
    anta = municipalities["anta"]
    response = client.post(reverse("municipalities:municipality_edit", args=[anta.pk]), {"office_name": "x"})
    assert response.status_code == 404
    anta.refresh_from_db()
    assert anta.office_name == ""


def test_leaders_read_public_profiles_only(client, municipalities, leader):
    anta = municipalities["anta"]
    make_agreement(anta)
    client.force_login(leader)
    assert client.get(reverse("municipalities:municipality_public", args=[anta.pk])).status_code == 200
    assert client.get(reverse("municipalities:municipality_detail", args=[anta.pk])).status_code == 404
    for name in ("agreement_list", "technician_list", "training_list", "association_list", "event_list"):
        response = client.get(reverse(f"municipalities:{name}"))
        assert response.status_code == 200 and len(response.context["object_list"]) == 0, name


def test_network_trainings_and_events_are_hidden_from_leaders(client, municipalities, leader, coordinator):
    training = make_training()
    event = make_event()
    association = make_association(members=[municipalities["anta"]])
    client.force_login(leader)
    for name, pk in (
        ("training_detail", training.pk),
        ("event_detail", event.pk),
        ("association_detail", association.pk),
    ):
        assert client.get(reverse(f"municipalities:{name}", args=[pk])).status_code == 404, name


def test_mancomunidades_outside_the_scope_are_404(client, municipalities, technician_pucyura):
    santo_tomas = make_association(name="Santo Tomás", members=[municipalities["chumbivilcas"]])
    client.force_login(technician_pucyura)
    assert client.get(reverse("municipalities:association_detail", args=[santo_tomas.pk])).status_code == 404


def test_technicians_only_read_trainings_events_and_mancomunidades(client, municipalities, technician_anta):
    training = make_training()
    event = make_event()
    association = make_association(members=[municipalities["anta"]])
    member = make_technician(municipalities["anta"])
    client.force_login(technician_anta)
    assert client.get(reverse("municipalities:training_detail", args=[training.pk])).status_code == 200
    refused = [
        ("post", reverse("municipalities:training_edit", args=[training.pk]), {"title": "x"}),
        ("post", reverse("municipalities:attendance_add", args=[training.pk]), {"technician": member.pk}),
        ("post", reverse("municipalities:event_edit", args=[event.pk]), {"name": "x"}),
        (
            "post",
            reverse("municipalities:participation_set", args=[event.pk]),
            {"municipality": municipalities["anta"].pk, "women": 1, "men": 1},
        ),
        ("post", reverse("municipalities:association_edit", args=[association.pk]), {"name": "x"}),
        ("post", reverse("municipalities:action_add", args=[association.pk]), {"title": "x"}),
    ]
    for method, url, data in refused:
        assert getattr(client, method)(url, data).status_code == 404, url
    for name in ("training_create", "event_create", "association_create"):
        assert client.post(reverse(f"municipalities:{name}"), {"name": "x", "title": "x"}).status_code == 403
    assert (
        Training.objects.get().title,
        TrainingAttendance.objects.count(),
        EventParticipation.objects.count(),
    ) == (
        "Plan de desarrollo económico local",
        0,
        0,
    )
    assert MunicipalAssociation.objects.get().name == "Mancomunidad Hatun Mayu"
    assert not MunicipalAssociation.objects.get().actions.exists()


def test_exports_are_scoped(client, municipalities, technician_pucyura):
    make_technician(municipalities["pucyura"], name="Rocío Tito")
    make_technician(municipalities["chumbivilcas"], name="Hilario Puma", gender="male")
    make_agreement(municipalities["anta"], title="Convenio Anta")
    make_agreement(municipalities["pucyura"], title="Convenio Pucyura")
    client.force_login(technician_pucyura)
    technicians = b"".join(
        client.get(reverse("municipalities:technician_export", args=["csv"])).streaming_content
    ).decode()
    agreements = b"".join(
        client.get(reverse("municipalities:agreement_export", args=["csv"])).streaming_content
    ).decode()
    assert "Rocío Tito" in technicians and "Hilario Puma" not in technicians
    assert "Convenio Pucyura" in agreements and "Convenio Anta" not in agreements


# Each list page: the query count with 1 row equals the count with 25 rows.


def _count_queries(client, url, django_assert_max_num_queries, grow):
    with django_assert_max_num_queries(99) as one:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        response = client.get(url)
        assert response.status_code == 200
    assert len(response.context["object_list"]) == 25
    return len(one.captured_queries), len(many.captured_queries)


def test_agreement_list_query_count(client, municipalities, coordinator, django_assert_max_num_queries):
    from tests.municipalities.factories import consortium

    parties = list(consortium().values())
    client.force_login(coordinator)
    make_agreement(municipalities["anta"], title="A0").consortium_parties.set(parties)

    def grow():
        for i in range(1, 25):
            make_agreement(municipalities["pucyura"], title=f"A{i}").consortium_parties.set(parties)

    one, many = _count_queries(
        client, reverse("municipalities:agreement_list"), django_assert_max_num_queries, grow
    )
    assert one == many


def test_technician_list_query_count(client, municipalities, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    make_technician(municipalities["anta"], name="T0")

    def grow():
        for i in range(1, 25):
            make_technician(municipalities["colquemarca"], name=f"T{i:02}")

    one, many = _count_queries(
        client, reverse("municipalities:technician_list"), django_assert_max_num_queries, grow
    )
    assert one == many


def test_training_list_query_count(client, municipalities, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    from tests.municipalities.factories import consortium

    cadep = consortium()["CADEP"]
    make_training("T0", trainer_organisation=cadep)

    def grow():
        for i in range(1, 25):
            training = make_training(f"T{i}", held_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i))
            TrainingAttendance.objects.create(training=training, person_name="Ana", gender="female")

    one, many = _count_queries(
        client, reverse("municipalities:training_list"), django_assert_max_num_queries, grow
    )
    assert one == many


def test_association_list_query_count(client, municipalities, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    members = list(municipalities.values())
    make_association("M0", members)

    def grow():
        for i in range(1, 25):
            make_association(f"M{i:02}", members)

    one, many = _count_queries(
        client, reverse("municipalities:association_list"), django_assert_max_num_queries, grow
    )
    assert one == many


def test_event_list_query_count(client, municipalities, coordinator, django_assert_max_num_queries):
    from tests.municipalities.factories import consortium

    organisers = list(consortium().values())
    client.force_login(coordinator)
    make_event("E0").organisers.set(organisers)

    def grow():
        for i in range(1, 25):
            event = make_event(f"E{i}")
            event.organisers.set(organisers)
            EventParticipation.objects.create(
                event=event, municipality=municipalities["anta"], women=1, men=2
            )

    one, many = _count_queries(
        client, reverse("municipalities:event_list"), django_assert_max_num_queries, grow
    )
    assert one == many


@pytest.mark.parametrize("where", ["anta", None])
def test_viewers_read_public_profiles_only(client, municipalities, where):
    """Viewers, of a municipality or consortium-wide, read public profiles only in this app."""
    organisation = municipalities[where].organisation if where else None
    viewer = person_with_role("viewer", organisation, email="visor@example.pe")
    anta = municipalities["anta"]
    agreement = make_agreement(anta)
    member = make_technician(anta)
    association = make_association(members=[anta])
    client.force_login(viewer)
    assert client.get(reverse("municipalities:municipality_public", args=[anta.pk])).status_code == 200
    for name, pk in (
        ("municipality_detail", anta.pk),
        ("agreement_detail", agreement.pk),
        ("technician_detail", member.pk),
        ("association_detail", association.pk),
        ("training_detail", make_training().pk),
        ("event_detail", make_event().pk),
    ):
        assert client.get(reverse(f"municipalities:{name}", args=[pk])).status_code == 404, name
    listed = client.get(reverse("municipalities:municipality_list"))
    assert listed.context["full_profiles"] is False and len(listed.context["municipalities"]) == 5
