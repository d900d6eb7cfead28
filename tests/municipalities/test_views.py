import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipalities.models import EventParticipation, PartnershipAgreement, Technician, TrainingAttendance
from tests.accounts.factories import person_with_role
from tests.municipalities.factories import (
    PDF_BYTES,
    consortium,
    make_agreement,
    make_association,
    make_event,
    make_technician,
    make_training,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def text(response) -> str:
    return response.content.decode()


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_profile_shows_place_office_technicians_agreements_and_mancomunidades(
    client, municipalities, technician_anta
):
    pucyura = municipalities["pucyura"]
    pucyura.office_name = "Oficina de Desarrollo Económico"
    pucyura.phone = "084 204050"
    pucyura.save()
    yeny = make_technician(pucyura, name="Yeny Huillca", position="Promotora")
    for title in ("Plan DEL", "Competitividad"):
        TrainingAttendance.objects.create(
            training=make_training(title), technician=yeny, person_name=yeny.person_name, gender="female"
        )
    make_agreement(pucyura, title="Convenio Pucyura", valid_until=datetime.date(2099, 1, 1))
    make_association("Mancomunidad Hatun Mayu", [pucyura])
    client.force_login(technician_anta)
    page = text(client.get(reverse("municipalities:municipality_detail", args=[pucyura.pk])))
    for expected in (
        "080308",
        "Pucyura",
        "4,190",  # 2020 estimate, Peru's format
        "24.26 %",
        "3,384 m",
        "Oficina de Desarrollo Económico",
        "084 204050",
        "Yeny Huillca",
        "2 capacitaciones completadas",  # Spanish has three plural forms: the third must be there too
        "Convenio Pucyura",
        "Vigente",
        "Mancomunidad Hatun Mayu",
    ):
        assert expected in page, expected
    # Anta's technician reads Pucyura (their province) but edits only Anta.
    assert reverse("municipalities:municipality_edit", args=[pucyura.pk]) not in page


def test_profile_shows_what_other_apps_register(client, municipalities, coordinator, monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(
        apps.get_app_config("organisations"),
        "municipality_sections",
        lambda municipality, user: [("Asociaciones de productores", "/producers/?m=1", 7)],
        raising=False,
    )
    client.force_login(coordinator)
    page = text(client.get(reverse("municipalities:municipality_detail", args=[municipalities["anta"].pk])))
    assert "Asociaciones de productores" in page and "/producers/?m=1" in page and ">7<" in page


def test_public_profile_has_no_technicians(client, municipalities, coordinator):
    make_technician(municipalities["anta"], name="Nombre Privado")
    client.force_login(coordinator)
    page = text(client.get(reverse("municipalities:municipality_public", args=[municipalities["anta"].pk])))
    assert "Municipalidad Provincial de Anta" in page and "Nombre Privado" not in page


def test_technician_edits_their_office_and_contacts(client, municipalities):
    tech = person_with_role("technician", municipalities["colquemarca"].organisation)
    client.force_login(tech)
    url = reverse("municipalities:municipality_edit", args=[municipalities["colquemarca"].pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"office_name": "ODE Colquemarca", "address": "Plaza de Armas s/n", "phone": "", "email": "ode@x.pe"},
    )
    assert response.status_code == 302
    municipalities["colquemarca"].refresh_from_db()
    assert (municipalities["colquemarca"].office_name, municipalities["colquemarca"].email) == (
        "ODE Colquemarca",
        "ode@x.pe",
    )


# Agreements: the form, uploads, filters, export


def agreement_post(municipality, parties, document=None, **extra):
    data = {
        "municipality": municipality.pk,
        "title": "Convenio Chinchaypujio",
        "consortium_parties": [p.pk for p in parties],
        "signed_on": "2025-03-01",
        "valid_from": "2025-03-01",
        "valid_until": "2027-02-28",
        "objectives": "Plan concertado",
        "consortium_commitments": "Asistencia técnica",
        "municipality_commitments": "Personal de la oficina",
    }
    if document is not None:
        data["document"] = document
    data.update(extra)
    return data


def test_coordinator_creates_an_agreement_with_a_signed_pdf(client, municipalities, coordinator, media):
    partners = consortium()
    client.force_login(coordinator)
    response = client.post(
        reverse("municipalities:agreement_create"),
        agreement_post(
            municipalities["chinchaypujio"],
            [partners["AVSF"], partners["CADEP"]],
            SimpleUploadedFile("firmado.pdf", PDF_BYTES, content_type="application/pdf"),
        ),
    )
    agreement = PartnershipAgreement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "municipalities:agreement_detail", args=[agreement.pk]
    )
    assert sorted(p.short_name for p in agreement.consortium_parties.all()) == ["AVSF", "CADEP"]
    assert stored_files(media) == [media / agreement.document.name]
    download = client.get(reverse("municipalities:agreement_document", args=[agreement.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_an_exe_renamed_pdf_is_refused_with_a_clear_message(client, municipalities, coordinator, media):
    client.force_login(coordinator)
    exe = SimpleUploadedFile("convenio.pdf", b"MZ\x90\x00" + b"\x00" * 4000, content_type="application/pdf")
    response = client.post(
        reverse("municipalities:agreement_create"), agreement_post(municipalities["anta"], [], exe)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [
        "No es un archivo PDF, JPEG, PNG válido. Guárdelo o escanéelo como PDF, JPEG, PNG "
        "e inténtelo de nuevo."
    ]
    assert "No es un archivo PDF, JPEG, PNG válido" in text(response)
    assert PartnershipAgreement.objects.count() == 0
    assert stored_files(media) == []


def test_a_50_mb_file_is_refused_with_a_clear_message(client, municipalities, coordinator, media):
    client.force_login(coordinator)
    big = SimpleUploadedFile(
        "convenio.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024), content_type="application/pdf"
    )
    response = client.post(
        reverse("municipalities:agreement_create"), agreement_post(municipalities["anta"], [], big)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [
        "El archivo es demasiado grande (50.0 MB). El límite es 10 MB."
    ]
    assert PartnershipAgreement.objects.count() == 0
    assert stored_files(media) == []


def test_editing_without_a_new_file_keeps_the_stored_document(client, municipalities, coordinator, media):
    from django.core.files.base import ContentFile

    agreement = make_agreement(municipalities["anta"])
    agreement.document.save("a.pdf", ContentFile(PDF_BYTES))
    name = agreement.document.name
    client.force_login(coordinator)
    response = client.post(
        reverse("municipalities:agreement_edit", args=[agreement.pk]),
        agreement_post(municipalities["anta"], [], title="Convenio Anta (adenda)"),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.document.name) == ("Convenio Anta (adenda)", name)


def test_agreement_list_filters_by_status_and_search(client, municipalities, coordinator):
    make_agreement(municipalities["anta"], title="Convenio vigente", valid_until=datetime.date(2099, 1, 1))
    make_agreement(
        municipalities["pucyura"],
        title="Convenio vencido",
        signed_on=datetime.date(2008, 1, 1),
        valid_from=datetime.date(2008, 1, 1),
        valid_until=datetime.date(2010, 12, 31),
    )
    make_agreement(municipalities["colquemarca"], title="Borrador", signed_on=None, valid_until=None)
    client.force_login(coordinator)
    url = reverse("municipalities:agreement_list")

    def titles(params):
        return [a.title for a in client.get(url, params).context["agreements"]]

    assert titles({"status": "expired"}) == ["Convenio vencido"]
    assert titles({"status": "draft"}) == ["Borrador"]
    assert titles({"q": "vigente"}) == ["Convenio vigente"]
    assert titles({"municipality": municipalities["pucyura"].pk}) == ["Convenio vencido"]
    export = csv_text(
        client.get(reverse("municipalities:agreement_export", args=["csv"]), {"status": "expired"})
    )
    lines = export.strip().splitlines()
    assert lines[0].startswith("Título,Municipalidad,UBIGEO")
    assert len(lines) == 2 and "Convenio vencido,Municipalidad Distrital de Pucyura,080308" in lines[1]
    assert lines[1].endswith(",Vencido,no")


def test_csv_cells_that_look_like_formulas_are_neutralised(client, municipalities, coordinator):
    make_technician(municipalities["anta"], name='=HYPERLINK("http://x")')
    client.force_login(coordinator)
    export = csv_text(client.get(reverse("municipalities:technician_export", args=["csv"])))
    assert "'=HYPERLINK" in export


# Network: technicians, trainings, attendance


def test_technician_adds_a_colleague_and_only_their_municipality_is_offered(client, municipalities):
    tech = person_with_role("technician", municipalities["colquemarca"].organisation)
    client.force_login(tech)
    url = reverse("municipalities:technician_create")
    form = client.get(url).context["form"]
    assert list(form.fields["municipality"].queryset) == [municipalities["colquemarca"]]
    response = client.post(
        url,
        {
            "municipality": municipalities["colquemarca"].pk,
            "person_name": "Lourdes Yupanqui",
            "gender": "female",
            "position": "Técnica agropecuaria",
            "since": "2025-02-01",
        },
    )
    member = Technician.objects.get()
    assert response["Location"] == reverse("municipalities:technician_detail", args=[member.pk])
    assert (member.person_name, member.municipality, member.since) == (
        "Lourdes Yupanqui",
        municipalities["colquemarca"],
        datetime.date(2025, 2, 1),
    )


def test_technician_list_filters_by_gender_and_municipality(client, municipalities, coordinator):
    make_technician(municipalities["anta"], name="Ana", gender="female")
    make_technician(municipalities["anta"], name="Beto", gender="male")
    make_technician(municipalities["pucyura"], name="Carla", gender="female")
    client.force_login(coordinator)
    url = reverse("municipalities:technician_list")
    names = [t.person_name for t in client.get(url, {"gender": "female"}).context["technicians"]]
    assert names == ["Ana", "Carla"]
    names = [
        t.person_name
        for t in client.get(url, {"municipality": municipalities["anta"].pk}).context["technicians"]
    ]
    assert names == ["Ana", "Beto"]


def test_attendance_is_added_and_removed_after_confirmation(client, municipalities, coordinator):
    member = make_technician(municipalities["pucyura"], name="Fredy Tito", gender="male")
    training = make_training()
    client.force_login(coordinator)
    response = client.post(
        reverse("municipalities:attendance_add", args=[training.pk]),
        {"technician": member.pk, "completed": "on"},
    )
    assert response.status_code == 302
    row = TrainingAttendance.objects.get()
    assert (row.person_name, row.gender, row.municipality) == (
        "Fredy Tito",
        "male",
        municipalities["pucyura"],
    )
    detail = text(client.get(reverse("municipalities:training_detail", args=[training.pk])))
    assert "Fredy Tito" in detail and "1 personas: 0 mujeres, 1 varones." in detail
    remove = reverse("municipalities:attendance_remove", args=[training.pk, row.pk])
    confirm = client.get(remove)
    assert confirm.status_code == 200 and TrainingAttendance.objects.count() == 1
    assert client.post(remove).status_code == 302
    assert TrainingAttendance.objects.count() == 0


def test_attendance_without_member_needs_a_name_and_gender(client, municipalities, coordinator):
    training = make_training()
    client.force_login(coordinator)
    response = client.post(reverse("municipalities:attendance_add", args=[training.pk]), {"person_name": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"person_name", "gender"}
    assert TrainingAttendance.objects.count() == 0


def test_technician_page_lists_completed_trainings(client, municipalities, coordinator):
    member = make_technician(municipalities["anta"], name="Rocío Condori")
    training = make_training("Competitividad de la leche", topic="competitiveness")
    TrainingAttendance.objects.create(
        training=training, technician=member, person_name="Rocío Condori", gender="female"
    )
    client.force_login(coordinator)
    page = text(client.get(reverse("municipalities:technician_detail", args=[member.pk])))
    assert "Competitividad de la leche" in page and "Completada" in page


def test_training_export_counts_by_gender(client, municipalities, coordinator):
    training = make_training("Plan DEL", trainer_organisation=consortium()["REMURPE"])
    for name, gender in (("A", "female"), ("B", "female"), ("C", "male")):
        TrainingAttendance.objects.create(training=training, person_name=name, gender=gender)
    client.force_login(coordinator)
    lines = csv_text(client.get(reverse("municipalities:training_export", args=["csv"]))).strip().splitlines()
    assert lines[1] == "Plan DEL,Planes de desarrollo económico local,2025-05-20,Cusco,REMURPE,2,1,3"


# Mancomunidades and events


def test_mancomunidad_is_created_and_an_action_added(client, municipalities, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("municipalities:association_create"),
        {
            "name": "Mancomunidad Wilcamayu",
            "members": [municipalities["anta"].pk, municipalities["chumbivilcas"].pk],
            "registration_reference": "RMM-014",
            "purpose": "Valle",
        },
    )
    assert response.status_code == 302
    association = municipalities["anta"].associations.get()
    client.post(
        reverse("municipalities:action_add", args=[association.pk]),
        {"title": "Estudio de mercado", "year": 2025},
    )
    assert list(association.actions.values_list("title", "year")) == [("Estudio de mercado", 2025)]
    export = csv_text(client.get(reverse("municipalities:association_export", args=["csv"]), {"q": "wilca"}))
    members = "Municipalidad Provincial de Anta; Municipalidad Provincial de Chumbivilcas"
    assert f"Mancomunidad Wilcamayu,RMM-014,{members},Valle,1" in export


def test_event_participation_by_municipality_and_gender(client, municipalities, coordinator):
    event = make_event()
    client.force_login(coordinator)
    url = reverse("municipalities:participation_set", args=[event.pk])
    client.post(url, {"municipality": municipalities["anta"].pk, "women": 3, "men": 2, "who": "alcalde"})
    client.post(url, {"municipality": municipalities["colquemarca"].pk, "women": 1, "men": 1})
    response = client.post(url, {"municipality": municipalities["colquemarca"].pk, "women": 0, "men": 0})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert EventParticipation.objects.count() == 2
    detail = client.get(reverse("municipalities:event_detail", args=[event.pk]))
    assert (detail.context["women"], detail.context["men"]) == (4, 3)
    export = csv_text(client.get(reverse("municipalities:event_export", args=["csv"]))).strip().splitlines()
    assert export[1] == "Encuentro regional,Regional,2025-09-18,,Cusco,,4,3"


# Map


def test_map_page_lists_the_project_municipalities_with_their_links(
    client, municipalities, technician_pucyura_map
):
    client.force_login(technician_pucyura_map)
    response = client.get(reverse("municipalities:map"))
    page = text(response)
    assert "<script>" not in page and "style=" not in page
    features = {f["ubigeo"]: f for f in json.loads(response.context["highlighted_json"])}
    assert set(features) == {"0803", "0807", "080704", "080308", "080304"}
    assert features["080308"]["url"] == reverse(
        "municipalities:municipality_detail", args=[municipalities["pucyura"].pk]
    )
    assert features["0803"]["url"] == reverse(
        "municipalities:municipality_public", args=[municipalities["anta"].pk]
    )
    assert 'data-tile-url=""' in page


@pytest.fixture
def technician_pucyura_map(municipalities):
    return person_with_role("technician", municipalities["pucyura"].organisation)


def test_map_highlights_partners_and_agreement_holders_only(client, municipalities, coordinator):
    from municipalities.services import municipality_ensure

    make_association(members=[municipality_ensure(ubigeo="080305")])  # Huarocondo: a mancomunidad member only
    make_agreement(municipality_ensure(ubigeo="080306"))  # Limatambo: signed an agreement
    client.force_login(coordinator)
    response = client.get(reverse("municipalities:map"))
    ubigeos = {f["ubigeo"] for f in json.loads(response.context["highlighted_json"])}
    assert ubigeos == {"0803", "0807", "080704", "080308", "080304", "080306"}


def test_map_uses_tiles_only_when_configured(client, municipalities, coordinator, settings):
    settings.MAP_TILE_URL = "https://tiles.example.pe/{z}/{x}/{y}.png"
    client.force_login(coordinator)
    page = text(client.get(reverse("municipalities:map")))
    assert 'data-tile-url="https://tiles.example.pe/{z}/{x}/{y}.png"' in page


def test_boundaries_are_served_with_their_licence(client, coordinator):
    client.force_login(coordinator)
    districts = client.get(reverse("municipalities:boundaries", args=["districts"]))
    data = json.loads(b"".join(districts.streaming_content))
    assert districts["Content-Type"] == "application/geo+json"
    assert len(data["features"]) == 108
    assert {"080308", "080304", "080704"} <= {f["properties"]["IDDIST"] for f in data["features"]}
    provinces = json.loads(
        b"".join(client.get(reverse("municipalities:boundaries", args=["provinces"])).streaming_content)
    )
    assert len(provinces["features"]) == 13
    licence = b"".join(client.get(reverse("municipalities:boundaries_licence")).streaming_content)
    assert licence.startswith(b"Mozilla Public License")


def test_boundaries_are_compressed_for_slow_links(client, coordinator):
    import gzip

    client.force_login(coordinator)
    response = client.get(
        reverse("municipalities:boundaries", args=["districts"]), HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert len(response.content) < 30_000
    assert len(json.loads(gzip.decompress(response.content))["features"]) == 108


def test_map_needs_signing_in(client):
    response = client.get(reverse("municipalities:boundaries", args=["districts"]))
    assert response.status_code == 302


def test_leader_sees_every_municipality_as_a_public_profile(client, municipalities):
    from kallpanchis.organisations.models import Organisation

    leader = person_with_role("leader", Organisation.objects.create(name="Asoc.", kind="producer"))
    client.force_login(leader)
    page = text(client.get(reverse("municipalities:municipality_list")))
    assert page.count("/public/") == 5


def test_municipality_list_search_filters_and_export(client, municipalities, coordinator):
    client.force_login(coordinator)
    url = reverse("municipalities:municipality_list")

    def names(params):
        return [m.organisation.name for m in client.get(url, params).context["municipalities"]]

    assert names({"level": "provincial"}) == [
        "Municipalidad Provincial de Anta",
        "Municipalidad Provincial de Chumbivilcas",
    ]
    assert names({"q": "080704"}) == ["Municipalidad Distrital de Colquemarca"]
    assert names({"province": municipalities["anta"].province_id, "level": "district"}) == [
        "Municipalidad Distrital de Chinchaypujio",
        "Municipalidad Distrital de Pucyura",
    ]
    lines = (
        csv_text(client.get(reverse("municipalities:municipality_export", args=["csv"]), {"q": "Pucyura"}))
        .strip()
        .splitlines()
    )
    assert lines[0].startswith("Municipalidad,Nivel,UBIGEO,Provincia,Distrito,Capital")
    assert (
        lines[1]
        == "Municipalidad Distrital de Pucyura,Distrital,080308,Anta,Pucyura,Pucyura,4190,24.26,3.72,,,"
    )


def test_municipality_filter_offers_only_the_provinces_in_scope(
    client, municipalities, technician_chumbivilcas
):
    client.force_login(technician_chumbivilcas)
    form = client.get(reverse("municipalities:municipality_list")).context["filterset"].form
    assert [p.name for p in form.fields["province"].queryset] == ["Chumbivilcas"]
