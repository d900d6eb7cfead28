"""A backup restores: round trip on the test database with a few rows and an uploaded file, 0 differences;
a changed file or row after the restore is named; refusals; the drill; rotation; the staff's alert."""

from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kallpanchis.backups import database as pg
from kallpanchis.backups.database import BackupError
from kallpanchis.backups.models import Backup
from kallpanchis.backups.rotation import archive_name
from kallpanchis.backups.services import (
    backup_check,
    backup_create,
    backup_drill,
    backup_restore,
    backup_verify,
    backups_rotate,
)
from kallpanchis.organisations.models import Organisation
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def backup_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups"},
        },
    }
    (tmp_path / "media/agreements").mkdir(parents=True)
    (tmp_path / "media/agreements/convenio-anta.pdf").write_bytes(b"%PDF-1.4 signed agreement\n" * 100)
    return tmp_path


@pytest.fixture
def restore_db():
    """A database for the restore on the same server (test_<name>_restore), dropped afterwards."""
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_restore"
    pg.database_drop(pg.params(name))
    yield name
    pg.database_drop(pg.params(name))


def run_sql(database: str, statement: str) -> None:
    with psycopg.connect(pg._conninfo(pg.params(database)), autocommit=True) as conn:
        conn.execute(statement)


@pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed
def test_backup_restores_with_0_differences_and_a_changed_file_or_row_is_named(backup_dirs, restore_db):
    Organisation.objects.create(name="Asociación Lechera Ñawpa", kind=Organisation.Kind.PRODUCER)
    UserFactory(email="rosa@example.pe", first_name="Rosa")

    backup = backup_create()

    assert backup.status == Backup.Status.SUCCEEDED and backup.files == 1 and backup.rows >= 3
    archive = backup_dirs / "backups" / backup.name
    assert archive.stat().st_size == backup.size_bytes

    media = backup_dirs / "restored-media"
    comparison = backup_restore(archive=archive, database=restore_db, media_root=media)
    assert comparison.differences == []
    assert comparison.files == 1 and comparison.tables == backup.tables and comparison.rows == backup.rows
    assert (media / "agreements/convenio-anta.pdf").read_bytes().startswith(b"%PDF-1.4 signed agreement")

    from kallpanchis.backups.services import archive_manifest

    manifest = archive_manifest(archive)
    assert manifest["app"]["version"] and manifest["database"]["sha256"]
    assert manifest["database"]["tables"]["public.organisations_organisation"]["rows"] == 1

    (media / "agreements/convenio-anta.pdf").write_bytes(b"%PDF-1.4 forged\n")
    run_sql(restore_db, "UPDATE organisations_organisation SET name = 'Otra'")
    differences = backup_verify(manifest=manifest, database=restore_db, media_root=media).differences
    assert "table public.organisations_organisation: same 1 rows but their content differs" in differences
    assert any(d.startswith("file agreements/convenio-anta.pdf: sha256 ") for d in differences)
    # The update also bumped the list cache's data version, was recorded in the history of changes and
    # noted for the dashboard's incremental figures (triggers): true differences too, and no other.
    assert {d.split(":")[0] for d in differences} <= {
        "table public.organisations_organisation",
        "table public.kallpanchis_data_version",
        "table public.history_change",
        "table public.dashboard_factchange",
        "file agreements/convenio-anta.pdf",
    }

    (media / "extra.txt").write_text("not from the backup")
    run_sql(restore_db, "DELETE FROM organisations_organisation")
    differences = backup_verify(manifest=manifest, database=restore_db, media_root=media).differences
    assert "table public.organisations_organisation: 0 rows, the manifest says 1" in differences
    assert "file extra.txt: not in the manifest" in differences


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_or_a_media_folder_that_is_not_empty(backup_dirs, restore_db):
    from django.db import connection

    backup = backup_create()
    archive = backup_dirs / "backups" / backup.name
    with pytest.raises(BackupError, match="is not empty"):
        own = connection.settings_dict["NAME"]
        backup_restore(archive=archive, database=own, media_root=backup_dirs / "m1")
    assert not (backup_dirs / "m1").exists()
    busy = backup_dirs / "m2"
    busy.mkdir()
    (busy / "keep.txt").write_text("x")
    with pytest.raises(BackupError, match="media folder"):
        backup_restore(archive=archive, database=restore_db, media_root=busy)
    assert not pg.database_exists(pg.params(restore_db))


@pytest.mark.django_db(transaction=True)
def test_the_drill_records_its_result_on_the_backup(backup_dirs, capsys):
    Organisation.objects.create(name="CADEP", kind=Organisation.Kind.NGO)
    call_command("backup_drill")
    out = capsys.readouterr().out
    assert out.rstrip().endswith("\n0 differences")
    backup = Backup.objects.get()
    assert backup.trigger == Backup.Trigger.DRILL
    assert backup.drill == Backup.Drill.PASSED and backup.drill_differences == 0
    assert not pg.database_exists(pg.params(f"{pg.dbname(pg.params())}_drill"))


@pytest.mark.django_db(transaction=True)
def test_the_drill_reports_a_damaged_archive(backup_dirs):
    backup = backup_create()
    archive = backup_dirs / "backups" / backup.name
    # Flip bytes inside the uploaded file's copy in the archive: the tar stays readable, the file is not
    # what the manifest says.
    data = archive.read_bytes()
    at = data.index(b"%PDF-1.4 signed agreement")
    archive.write_bytes(data[:at] + b"%PDF-1.4 SIGNED agreement" + data[at + 25 :])
    _, comparison = backup_drill(backup=backup)
    assert len(comparison.differences) == 1
    assert comparison.differences[0].startswith("file agreements/convenio-anta.pdf: sha256")
    backup.refresh_from_db()
    assert backup.drill == Backup.Drill.FAILED and "convenio-anta.pdf" in backup.drill_report


@pytest.mark.django_db
def test_rotation_deletes_what_it_does_not_keep_and_leaves_other_files(backup_dirs):
    folder = Path(backup_dirs / "backups")
    folder.mkdir()
    now = timezone.now()
    names = [archive_name(now - timedelta(days=n)) for n in range(40)]
    for name in names:
        (folder / name).write_bytes(b"x")
    (folder / "README.txt").write_text("not an archive")
    removed = backups_rotate()
    kept = sorted(p.name for p in folder.iterdir())
    assert "README.txt" in kept
    assert set(names[:7]) <= set(kept)  # the last seven nights
    assert len(kept) - 1 <= 7 + 4 + 12 and len(removed) == 40 - (len(kept) - 1)


@pytest.mark.django_db
def test_the_staff_are_emailed_once_when_the_last_backup_failed_or_is_too_old(
    settings, django_capture_on_commit_callbacks, tasks_in_process
):
    staff = UserFactory(email="ops@example.pe", is_staff=True)
    UserFactory(email="nobody@example.pe")
    now = timezone.now()
    Backup.objects.create(
        name="b1",
        trigger="scheduled",
        status="succeeded",
        started_at=now - timedelta(hours=3),
        finished_at=now,
    )
    assert backup_check() == ""

    failed = Backup.objects.create(
        name="b2", trigger="scheduled", status="failed", started_at=now, error="disk full"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert backup_check() == "failed"
        assert backup_check() == "failed"  # the same problem: no second e-mail today
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "disk full" in mail.outbox[0].body and "/backups/" in mail.outbox[0].body

    failed.delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert backup_check(now=now + timedelta(hours=27)) == "old"
    assert len(mail.outbox) == 2
