"""Every e-mail the platform sends leaves through the task queue, never from inside a request.

A page that sends mail (a password link, an e-mail verification, an invitation) renders the message where
it has the request and the person's language, turns it into plain data and queues `core.mail_send`, which
talks to the SMTP server and retries with a growing wait while the server is unreachable. So a mail
provider's outage never turns a page into an error, and the message leaves once the server answers again.
Reminders use the same queue through their own outbox (kallpanchis/notifications).
"""

import logging
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

log = logging.getLogger(__name__)


def message_to_data(message: EmailMessage, *, message_id: str) -> dict:
    """What a task may carry: strings only. Attachments are refused (none of our e-mails has one, and a
    file in the broker would be the wrong place for it)."""
    if message.attachments:
        raise ValueError("Queued e-mails carry no attachments.")
    return {
        "id": message_id,
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "bcc": [str(a) for a in message.bcc],
        "reply_to": [str(a) for a in message.reply_to],
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def message_from_data(data: dict) -> EmailMultiAlternatives:
    # The Message-ID comes from the queued id: a message sent again after a lost acknowledgement carries
    # the same one, which many servers and mail readers fold into one.
    headers = {"Message-ID": f"<mail-{data['id']}@kallpanchis>", **data["headers"]}
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=headers,
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def mail_queue(message: EmailMessage) -> str:
    """Send `message` from a worker once the current transaction commits; return its queue id.

    The task is published by our own on-commit callback rather than `delay_on_commit` so that a broker
    outage is caught here: the message is then sent from this process as a last resort, and a failure of
    that too is logged, never raised into the page."""
    data = message_to_data(message, message_id=uuid.uuid4().hex)
    transaction.on_commit(lambda: _publish(data))
    return data["id"]


def _publish(data: dict) -> None:
    from .tasks import mail_send

    try:
        mail_send.apply_async((data,))
    except Exception:
        log.exception("mail %s: the task queue is unreachable; sending it from this process", data["id"])
        try:
            message_from_data(data).send()
        except (OSError, smtplib.SMTPException):
            log.exception(
                "mail %s to %s is lost: neither the queue nor the mail server answered",
                data["id"],
                data["to"],
            )


def retry_delay(retries: int) -> float:
    """Seconds before attempt `retries + 2`: MAIL_RETRY_SECONDS, doubled each time, at most 15 minutes.
    The cap stays under Redis's visibility timeout (1 h), past which the broker would hand a waiting
    message to a second worker and the e-mail would leave twice."""
    return min(settings.MAIL_RETRY_SECONDS * 2**retries, 900)


def is_permanent(error: Exception) -> bool:
    """A 5xx answer (unknown recipient, refused sender) will not get better by waiting."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def mail_deliver(data: dict) -> None:
    """Hand one queued message to the mail server (EMAIL_BACKEND)."""
    message_from_data(data).send(fail_silently=False)
