"""Thin tasks run by beat (schedules in settings: CELERY_BEAT_SCHEDULE, synced into the database
scheduler when beat starts)."""

from celery import shared_task


@shared_task(name="backups.backup_nightly", acks_late=False, ignore_result=True)
def backup_nightly() -> str:
    """The nightly backup, then (BACKUP_DRILL) its restore drill. Not acknowledged late: a backup cut short
    by a lost worker is recorded as failed and tomorrow's runs, rather than two dumps running at once."""
    from django.conf import settings

    from .models import Backup
    from .services import backup_create, backup_drill

    backup = backup_create(trigger=Backup.Trigger.SCHEDULED)
    if settings.BACKUP_DRILL:
        backup, comparison = backup_drill(backup=backup)
        return f"{backup.name}: {len(comparison.differences)} differences"
    return backup.name


@shared_task(name="backups.backup_check", ignore_result=True)
def backup_check() -> str:
    """Hourly: e-mail the staff when the newest backup failed or the last good one is too old."""
    from .services import backup_check as check

    return check()
