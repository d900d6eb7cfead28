from celery import shared_task


@shared_task(acks_late=True)
def facts_refresh() -> None:
    """Rebuild the dashboard's precomputed figures (periodic, see migration 0002; idempotent)."""
    from .services import facts_refresh as rebuild

    rebuild()


@shared_task(acks_late=True)
def facts_refresh_changed() -> None:
    """Refresh the figures of the measures whose tables were written since (every 10 seconds, see migration
    0005; nothing to do when nothing was written)."""
    from .services import facts_refresh_changed as refresh

    refresh()
