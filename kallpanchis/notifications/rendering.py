"""Turning a reminder into words: the recipient's language, Lima time, place and an absolute link."""

from zoneinfo import ZoneInfo

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from . import conf
from .channels import Message
from .registry import ReminderKind, TargetContext

LIMA = ZoneInfo("America/Lima")
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature when the token was not made by us."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    return conf.site_url() + reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)]
    )


def recipient_language(user) -> str:
    settings_row = getattr(user, "reminder_settings", None)
    return settings_row.language if settings_row else "es"


def _when_text(context: TargetContext) -> str:
    if context.when is None:
        return ""
    local = timezone.localtime(context.when, LIMA)
    weekday = formats.date_format(local, "l")
    return (
        f"{weekday} {formats.date_format(local, 'DATE_FORMAT')}, {formats.time_format(local, 'TIME_FORMAT')}"
    )


def _item(kind: ReminderKind, context: TargetContext) -> dict:
    return {
        "intro": kind.intro,
        "title": context.title,
        "when": _when_text(context),
        "place": context.place,
        "details": context.details,
        "link": conf.site_url() + context.path if context.path else conf.site_url() + "/",
    }


def message_render(
    *, kind: ReminderKind, context: TargetContext, recipient, reminder_id: int, language: str | None = None
) -> Message:
    language = language or recipient_language(recipient)
    with translation.override(language):
        item = _item(kind, context)
        unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=kind.name)
        data = {"item": item, "recipient": recipient, "unsubscribe_url": unsubscribe, "kind": kind}
        subject = render_to_string(f"{kind.template_prefix}_subject.txt", data).strip()
        text = render_to_string(f"{kind.template_prefix}_body.txt", data)
        html = render_to_string(f"{kind.template_prefix}_body.html", data)
    return Message(
        to_email=recipient.email,
        to_name=str(recipient),
        language=language,
        kind=kind.name,
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        link=item["link"],
        unsubscribe_url=unsubscribe,
        reminder_ids=[reminder_id],
    )


def digest_render(*, recipient, entries: list[tuple[int, ReminderKind, TargetContext]]) -> Message:
    """One message for many reminders; unsubscribe links per kind at the bottom."""
    language = recipient_language(recipient)
    with translation.override(language):
        items = [_item(kind, context) for _, kind, context in entries]
        kinds = {kind.name: kind for _, kind, _ in entries}
        unsubscribes = [
            {"label": kind.label, "url": unsubscribe_url(user_id=recipient.pk, kind=name)}
            for name, kind in kinds.items()
        ]
        data = {"items": items, "recipient": recipient, "unsubscribes": unsubscribes}
        subject = render_to_string("notifications/emails/digest_subject.txt", data).strip()
        text = render_to_string("notifications/emails/digest_body.txt", data)
        html = render_to_string("notifications/emails/digest_body.html", data)
    return Message(
        to_email=recipient.email,
        to_name=str(recipient),
        language=language,
        kind="digest",
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        link=conf.site_url() + reverse("notifications:my_reminders"),
        unsubscribe_url=unsubscribes[0]["url"] if unsubscribes else "",
        reminder_ids=[reminder_id for reminder_id, _, _ in entries],
    )
