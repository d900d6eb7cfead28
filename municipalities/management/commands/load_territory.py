from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from municipalities.models import District, Province
from municipalities.services import territory_load


class Command(BaseCommand):
    help = "Load Cusco's 13 provinces and 116 districts (INEI UBIGEO) from municipalities/data. Idempotent."

    def handle(self, *args, **options):
        counts = territory_load()
        self.stdout.write(
            _("Territory: %(p)d provinces, %(d)d districts (created %(c)d, updated %(u)d, unchanged %(n)d).")
            % {
                "p": Province.objects.count(),
                "d": District.objects.count(),
                "c": counts.created,
                "u": counts.updated,
                "n": counts.unchanged,
            }
        )
