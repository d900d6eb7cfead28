from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from kallpanchis.backups.database import BackupError
from kallpanchis.backups.models import Backup
from kallpanchis.backups.services import backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files now (as the nightly task does), then rotate."

    def handle(self, *args, **options):
        try:
            backup = backup_create(trigger=Backup.Trigger.MANUAL)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{backup.location}/{backup.name}: {filesizeformat(backup.size_bytes)}, {backup.tables} tables, "
            f"{backup.rows} rows, {backup.files} files"
        )
