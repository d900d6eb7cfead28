from celery import shared_task


@shared_task(acks_late=True)
def facts_refresh() -> None:
    """Rebuild the dashboard's precomputed figures (periodic, see migration 0002; idempotent)."""
    from .services import facts_refresh as rebuild

    rebuild()
