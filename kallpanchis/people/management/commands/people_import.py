"""python manage.py people_import [--dry-run]: bring the rows written before the register in (see
kallpanchis/people/legacy.py and docs/people.md, "Bringing the past in"). Safe to run again."""

from django.core.management.base import BaseCommand

from kallpanchis.people.services import import_run


class Command(BaseCommand):
    help = (
        "Match attendance, member, training and budget rows written before the register to people; register "
        "those whose row carries consent; list the ambiguous ones at /people/matches/. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Do the whole work, report it, and roll it back."
        )

    def handle(self, *args, dry_run=False, **options):
        report = import_run(dry_run=dry_run)
        title = "people_import (dry run: nothing was saved)" if dry_run else "people_import"
        self.stdout.write(title)
        for line in report.lines():
            self.stdout.write(f"  {line}")
