from django.http import Http404

from kallpanchis.accounts.access import access_for

from .models import Backup


def backups_for_coordinator(*, user, limit: int = 30) -> list[Backup]:
    """The newest backups, for coordinators only (anyone else: 404, the page does not exist for them)."""
    if not access_for(user).is_coordinator:
        raise Http404
    return list(Backup.objects.order_by("-started_at")[:limit])
