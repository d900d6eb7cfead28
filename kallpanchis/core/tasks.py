"""The platform's own tasks: the e-mail queue (see mail.py)."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings

log = logging.getLogger(__name__)


@shared_task(name="core.mail_send", bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def mail_send(self, message: dict) -> str:
    """One queued e-mail (plain data from mail.message_to_data). While the mail server is unreachable the
    task waits and tries again (mail.retry_delay) for MAIL_RETRY_ATTEMPTS attempts; a permanent refusal
    (5xx) is logged and not retried."""
    from .mail import is_permanent, mail_deliver, retry_delay

    try:
        mail_deliver(message)
    except (OSError, smtplib.SMTPException) as error:
        if is_permanent(error):
            log.error("mail %s to %s refused for good: %s", message["id"], message["to"], error)
            return "refused"
        if self.request.is_eager:
            # No queue to wait in (a machine without Redis): say so in the log, the page goes on.
            log.error(
                "mail %s to %s not sent (no task queue to retry from): %s",
                message["id"],
                message["to"],
                error,
            )
            return "not sent"
        if self.request.retries + 1 >= settings.MAIL_RETRY_ATTEMPTS:
            log.error(
                "mail %s to %s given up after %s attempts: %s",
                message["id"],
                message["to"],
                self.request.retries + 1,
                error,
            )
            return "given up"
        log.warning("mail %s: the mail server did not take it (%s); trying again", message["id"], error)
        raise self.retry(
            exc=error, countdown=retry_delay(self.request.retries), max_retries=settings.MAIL_RETRY_ATTEMPTS
        ) from error
    return "sent"
