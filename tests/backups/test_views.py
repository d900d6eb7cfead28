import pytest
from django.urls import reverse
from django.utils import timezone

from kallpanchis.backups.models import Backup

pytestmark = pytest.mark.django_db


def test_coordinators_see_the_last_backup_its_size_and_drill(client, coordinator):
    now = timezone.now()
    Backup.objects.create(
        name="kallpanchis-20261206T073000Z.tar",
        trigger="scheduled",
        status="succeeded",
        started_at=now,
        finished_at=now,
        size_bytes=5 * 1024 * 1024,
        tables=86,
        rows=120_000,
        files=12,
        location="/srv/backups",
        drill="passed",
        drill_at=now,
        drill_differences=0,
    )
    client.force_login(coordinator)
    page = client.get(reverse("backups:status"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "5.0\xa0MB" in text  # Peru writes a decimal point
    assert "Restaurada: 0 diferencias" in text
    assert "/srv/backups/kallpanchis-20261206T073000Z.tar" in text


def test_others_get_404_and_anonymous_is_sent_to_sign_in(client, technician_anta):
    client.force_login(technician_anta)
    assert client.get(reverse("backups:status")).status_code == 404
    client.logout()
    assert client.get(reverse("backups:status")).status_code == 302


def test_a_failed_backup_shows_a_warning(client, coordinator):
    now = timezone.now()
    Backup.objects.create(name="b", trigger="scheduled", status="failed", started_at=now, error="x")
    client.force_login(coordinator)
    assert "La última copia de seguridad falló" in client.get(reverse("backups:status")).content.decode()
