"""manage.py generate_scale: ten times the seed, for `make bench` (kallpanchis/dashboard/scale.py)."""

from django.core.management.base import BaseCommand

from kallpanchis.dashboard.scale import generate_scale


class Command(BaseCommand):
    help = (
        "Generate a synthetic data set at 10× the seed (30,000 families, 2,000 associations, 20,000 "
        "meetings, 400,000 attendance rows, 1,000,000 monthly production records) and the dashboard's "
        "figures. Only on an empty database: it does nothing if the associations are already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="generate even if associations exist")
        parser.add_argument("--refresh", action="store_true", help="recompute the dashboard's figures")

    def handle(self, *args, force: bool, refresh: bool, **options):
        generate_scale(force=force, refresh=refresh)
