"""How a message leaves. A channel is anything with `send(message=..., key=...)` and `confirm(key)`;
SMS or WhatsApp add a class here and a name in CHANNELS.

`key` identifies one attempt to send (the reminder's claim). `confirm(key)` answers whether a message
with that key already left: True/False when the channel can tell (the file channel can), None when it
cannot (SMTP cannot). It is asked only when a worker died in the middle of a send.
"""

import json
import os
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from . import conf


@dataclass
class Message:
    to_email: str
    to_name: str
    language: str
    kind: str
    subject: str
    text: str
    html: str
    link: str = ""
    unsubscribe_url: str = ""
    reminder_ids: list[int] = field(default_factory=list)


class Channel:
    name = ""
    # Whether `confirm` answers exactly. If it does, a worker may record a whole chunk's sends as 'sent' in
    # one statement (a crash in between is resolved by asking); if not, each send is recorded at once.
    confirms = False

    def send(self, *, message: Message, key: str) -> None:
        raise NotImplementedError

    def confirm(self, key: str) -> bool | None:
        return None


class EmailChannel(Channel):
    """Django's send_mail machinery: plain text with an HTML alternative. The Message-ID is derived from the
    key, so the rare resend after a worker died mid-SMTP carries the same Message-ID (many servers and
    clients fold such copies into one)."""

    name = "email"

    def send(self, *, message: Message, key: str) -> None:
        headers = {"Message-ID": f"<reminder-{key}@kallpanchis>"}
        if message.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_email],
            headers=headers,
        )
        email.attach_alternative(message.html, "text/html")
        email.send(fail_silently=False)


class FileChannel(Channel):
    """Development and tests: one JSON file per send in REMINDER_FILE_DIR, named after the key. The file
    appears atomically (written aside, then hard-linked), so `confirm` is exact."""

    name = "file"
    confirms = True

    def __init__(self):
        self._made: set[str] = set()

    def _path(self, key: str) -> str:
        return os.path.join(conf.file_dir(), f"{key}.json")

    def send(self, *, message: Message, key: str) -> None:
        directory = conf.file_dir()
        if directory not in self._made:  # once per folder and process, not once per message
            os.makedirs(directory, exist_ok=True)
            self._made.add(directory)
        tmp = os.path.join(directory, f".{key}.{uuid.uuid4().hex}.tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump({"key": key, **vars(message)}, handle, ensure_ascii=False)  # asdict() deep-copies
        try:
            os.link(tmp, self._path(key))  # fails if a message with this key already left
        finally:
            os.unlink(tmp)

    def confirm(self, key: str) -> bool | None:
        return os.path.exists(self._path(key))


class ConsoleChannel(Channel):
    name = "console"

    def send(self, *, message: Message, key: str) -> None:
        print(f"[reminder {key}] to {message.to_email}: {message.subject}\n{message.text}\n")  # noqa: T201


CHANNELS: dict[str, Channel] = {c.name: c for c in (EmailChannel(), FileChannel(), ConsoleChannel())}


def channel_get(name: str) -> Channel:
    return CHANNELS[name]
