import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kallpanchis.backups.database import BackupError
from kallpanchis.backups.services import archive_fetch, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive (a file, or a name in the backup storage) into a new, empty database and an "
        "empty media folder, then compare them with its manifest. Refuses a database that holds any table."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="kallpanchis-<time>.tar: a path, or a name in the backup storage")
        parser.add_argument(
            "--database", required=True, help="the database to restore into: a name on this server, or a URL"
        )
        parser.add_argument(
            "--media-root", default=str(settings.MEDIA_ROOT), help="an empty folder (default: MEDIA_ROOT)"
        )

    def handle(self, *args, archive, database, media_root, **options):
        try:
            with tempfile.TemporaryDirectory(prefix="kallpanchis-fetch-") as work:
                comparison = backup_restore(
                    archive=archive_fetch(archive, Path(work)), database=database, media_root=Path(media_root)
                )
        except BackupError as error:
            raise CommandError(str(error)) from error
        report(self.stdout, comparison)
        if comparison.differences:
            raise CommandError(f"{len(comparison.differences)} differences with the manifest.")


def report(out, comparison) -> None:
    out.write(f"{comparison.tables} tables, {comparison.rows} rows, {comparison.files} files compared.")
    for line in comparison.differences:
        out.write(f"  {line}")
    out.write(f"{len(comparison.differences)} differences")
