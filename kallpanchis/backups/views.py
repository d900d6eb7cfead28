from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .selectors import backups_for_coordinator
from .services import backup_problem


class BackupStatusView(LoginRequiredMixin, TemplateView):
    """Coordinators: the last backup, its size, its restore drill, and the ones before it."""

    template_name = "backups/backup_status.html"

    def get_context_data(self, **kwargs):
        backups = backups_for_coordinator(user=self.request.user)
        last_good = next((b for b in backups if b.status == b.Status.SUCCEEDED), None)
        return super().get_context_data(
            backups=backups,
            newest=backups[0] if backups else None,
            last_good=last_good,
            problem=backup_problem(),
            max_age=settings.BACKUP_MAX_AGE_HOURS,
            **kwargs,
        )
