"""Personal access tokens: stored hashed, shown once, named, last use seen, revoked by their owner or a
coordinator (with a confirmation), read-only."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kallpanchis.api.models import PersonalAccessToken
from kallpanchis.api.services import MAX_ACTIVE_TOKENS, token_create, token_rename, token_revoke

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def test_a_token_is_stored_as_its_sha256_only(technician_anta):
    token, secret = token_create(user=technician_anta, name="Informe")
    assert secret.startswith("kp_") and len(secret) > 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(PersonalAccessToken.objects.filter(pk=token.pk).values().get())
    assert secret.startswith(token.prefix) and len(token.prefix) == 9


def test_a_token_authenticates_stamps_its_use_and_stops_when_revoked(client, world, technician_anta):
    token, secret = token_create(user=technician_anta, name="Informe")
    assert token.last_used_at is None
    assert client.get("/api/v1/associations/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    token_revoke(by=technician_anta, token=token)
    response = client.get("/api/v1/associations/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert client.get("/api/v1/associations/", HTTP_AUTHORIZATION="Bearer kp_made-up").status_code == 401


def test_a_deactivated_person_s_token_stops_working(client, world, technician_anta):
    _token, secret = token_create(user=technician_anta, name="Informe")
    technician_anta.is_active = False
    technician_anta.save(update_fields=["is_active"])
    assert client.get("/api/v1/associations/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_rules_of_the_services(technician_anta, technician_chumbivilcas, coordinator):
    with pytest.raises(ValidationError):
        token_create(user=technician_anta, name="  ")
    token, _secret = token_create(user=technician_anta, name="Informe")
    with pytest.raises(PermissionDenied):
        token_revoke(by=technician_chumbivilcas, token=token)
    with pytest.raises(PermissionDenied):
        token_rename(by=technician_chumbivilcas, token=token, name="Mío")
    token.refresh_from_db()
    assert token.revoked_at is None and token.name == "Informe"
    assert token_rename(by=technician_anta, token=token, name="Web municipal").name == "Web municipal"
    revoked = token_revoke(by=coordinator, token=token)
    assert revoked.revoked_at is not None and revoked.revoked_by == coordinator
    for i in range(MAX_ACTIVE_TOKENS):
        token_create(user=technician_chumbivilcas, name=f"t{i}")
    with pytest.raises(ValidationError):
        token_create(user=technician_chumbivilcas, name="one too many")
    assert PersonalAccessToken.objects.filter(user=technician_chumbivilcas).count() == MAX_ACTIVE_TOKENS


def test_the_page_shows_the_secret_once(client, technician_anta):
    client.force_login(technician_anta)
    page = client.get("/api/tokens/")
    assert page.status_code == 200 and 'name="name"' in page.content.decode()
    made = client.post("/api/tokens/", {"name": "Informe para donantes"})
    token = PersonalAccessToken.objects.get(user=technician_anta)
    body = made.content.decode()
    secret_start = body.index('value="kp_') + len('value="')
    secret = body[secret_start : body.index('"', secret_start)]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.token_hash
    assert made["Cache-Control"] == "no-store"
    again = client.get("/api/tokens/").content.decode()
    assert secret not in again and token.prefix in again and "Informe para donantes" in again


def test_revoking_asks_first_and_others_get_404(client, technician_anta, technician_chumbivilcas):
    token, _secret = token_create(user=technician_anta, name="Informe")
    client.force_login(technician_chumbivilcas)
    assert client.get(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(technician_anta)
    confirm = client.get(f"/api/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200 and token.prefix in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # the confirmation page changes nothing
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_coordinators_list_and_revoke_anyone_s_tokens(client, technician_anta, coordinator):
    token, _secret = token_create(user=technician_anta, name="Informe")
    client.force_login(technician_anta)
    assert client.get("/api/tokens/all/").status_code == 404
    client.force_login(coordinator)
    listing = client.get("/api/tokens/all/").content.decode()
    assert technician_anta.email in listing and token.prefix in listing
    response = client.post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"].endswith("/api/tokens/all/")
    token.refresh_from_db()
    assert token.revoked_by == coordinator


def test_the_menu_links_the_tokens_page(client, technician_anta, coordinator):
    client.force_login(technician_anta)
    home = client.get("/").content.decode()
    assert 'href="/api/tokens/"' in home and 'href="/api/tokens/all/"' not in home
    client.force_login(coordinator)
    assert 'href="/api/tokens/all/"' in client.get("/").content.decode()
