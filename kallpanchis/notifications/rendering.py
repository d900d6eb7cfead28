"""Turning a reminder into words: the recipient's language, Lima time, place and an absolute link."""

from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from . import conf
from .channels import Message
from .registry import ReminderKind, TargetContext

LIMA = ZoneInfo("America/Lima")
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return _token(user_id, kind, settings.SECRET_KEY)


@lru_cache(maxsize=20_000)
def _token(user_id: int, kind: str, secret: str) -> str:
    # Signed once per person and kind in a worker process, not once per message: the token never expires
    # (unsubscribe_read checks no age), so one made earlier is as good. The key follows SECRET_KEY.
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature when the token was not made by us."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return conf.site_url() + _unsubscribe_path(get_script_prefix(), get_urlconf()).replace("TOKEN", token)


@lru_cache(maxsize=8)
def _unsubscribe_path(script_prefix: str, urlconf) -> str:
    # reverse() once per URL configuration, not once per message (tokens need no quoting: base64 and ':').
    return reverse("notifications:unsubscribe", args=["TOKEN"])


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


# What differs between two recipients of the same reminder: these fields and the unsubscribe link. Each
# is rendered as a marker of private-use characters around "&", so the output shows whether the template
# escaped it there ("&amp;") or not ("&"), and the real value is put back the same way.
_PERSONAL = ("first_name", "last_name", "email", "unsubscribe_url")
_MARKS = {name: f"\ue000{i}&\ue001" for i, name in enumerate(_PERSONAL)}


class MessageCache:
    """Renders a kind's three templates once per (target, language, which name fields are empty) instead
    of once per recipient: a delivery chunk of 200 reminders about one target renders them once or a few
    times. A template that transforms a personal field (a filter other than escaping) cannot be filled in
    afterwards; such a kind is rendered per recipient as before. Lives for one delivery chunk."""

    def __init__(self):
        self._parts: dict[tuple, tuple | None] = {}

    def render(self, *, kind, target_key, context, recipient, reminder_id: int, language: str) -> Message:
        shape = tuple(bool(getattr(recipient, name, "")) for name in _PERSONAL[:3])
        key = (kind.name, target_key, language, shape)
        if key not in self._parts:
            self._parts[key] = self._render_marked(kind, context, language, shape)
        parts = self._parts[key]
        if parts is None:
            return message_render(
                kind=kind, context=context, recipient=recipient, reminder_id=reminder_id, language=language
            )
        with translation.override(language):
            unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=kind.name)
        values = {name: getattr(recipient, name, "") or "" for name in _PERSONAL[:3]}
        values["unsubscribe_url"] = unsubscribe
        subject, text, html, link = parts
        return Message(
            to_email=recipient.email,
            to_name=str(recipient),
            language=language,
            kind=kind.name,
            subject=" ".join(_fill(subject, values).split()),
            text=_fill(text, values),
            html=_fill(html, values),
            link=link,
            unsubscribe_url=unsubscribe,
            reminder_ids=[reminder_id],
        )

    def _render_marked(self, kind, context, language, shape) -> tuple | None:
        stand_in = get_user_model()(
            **{name: _MARKS[name] if present else "" for name, present in zip(_PERSONAL, shape, strict=False)}
        )
        with translation.override(language):
            item = _item(kind, context)
            data = {
                "item": item,
                "recipient": stand_in,
                "unsubscribe_url": _MARKS["unsubscribe_url"],
                "kind": kind,
            }
            rendered = [
                render_to_string(f"{kind.template_prefix}_{part}", data)
                for part in ("subject.txt", "body.txt", "body.html")
            ]
        empty = dict.fromkeys(_PERSONAL, "")
        if any("\ue000" in _fill(part, empty) for part in rendered):
            return None  # a marker was changed by a filter: cannot fill in afterwards
        subject, text, html = rendered
        return subject.strip(), text, html, item["link"]


def _fill(rendered: str, values: dict[str, str]) -> str:
    for name, mark in _MARKS.items():
        if mark[:2] in rendered:
            value = values.get(name, "")
            rendered = rendered.replace(escape(mark), escape(value)).replace(mark, value)
    return rendered


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
