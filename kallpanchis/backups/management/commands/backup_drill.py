from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from kallpanchis.backups.database import BackupError
from kallpanchis.backups.services import backup_drill

from .backup_restore import report


class Command(BaseCommand):
    help = (
        "The restore drill: back up this database and its uploaded files, restore the archive into a fresh "
        "database (<name>_drill) and media folder, compare every table's row count and checksum and every "
        "file's sha256 with the manifest, print the differences. Fails unless there are 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--keep", action="store_true", help="keep the <name>_drill database afterwards")

    def handle(self, *args, keep, **options):
        try:
            backup, comparison = backup_drill(keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup {backup.location}/{backup.name}: {filesizeformat(backup.size_bytes)}")
        report(self.stdout, comparison)
        if comparison.differences:
            raise CommandError(f"{len(comparison.differences)} differences with the manifest.")
