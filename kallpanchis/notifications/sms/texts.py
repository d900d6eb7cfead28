"""The words of an SMS: one text per kind and language (Spanish `es`, Quechua `qu`), kept in the database
when a coordinator edits it, else read from the file `notifications/sms/<kind>.<language>.txt` that the
kind's app ships in its templates folder (`notifications/sms/default.<language>.txt` when it has none).

Placeholders: {title} {when} {place} {details}. The values typed by people (titles, places) are folded
to the GSM alphabet where a plain equivalent exists (á → a, ’ → '), so that one accent in a meeting's
title does not turn the message into UCS-2 and halve its length; the template itself is measured as
written, and the edit page says which of its characters are not GSM-7.
"""

import re
import string
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from ..registry import TargetContext
from .gsm import MAX_SEGMENTS, Length, measure

LANGUAGES = ("es", "qu")
PLACEHOLDERS = ("title", "when", "place", "details")
_FOLD = str.maketrans(
    {
        "á": "a", "í": "i", "ó": "o", "ú": "u", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U", "È": "E",
        "ê": "e", "â": "a", "ô": "o", "î": "i", "û": "u", "ç": "c", "ï": "i",
        "’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"',
        "–": "-", "—": "-", "…": "...", "\u00a0": " ", "\t": " ",
    }
)  # fmt: skip
_MAX_FIELD = {"title": 60, "place": 40, "details": 40}


def fold(text: str) -> str:
    return (text or "").translate(_FOLD)


def sms_language(person_languages, account_language: str | None = None) -> str:
    """Quechua for a person whose first language in the register is Quechua (or whose account reads
    Quechua), else Spanish."""
    if account_language in LANGUAGES:
        return account_language
    return "qu" if person_languages and person_languages[0] == "quechua" else "es"


def default_text(kind: str, language: str) -> str:
    for name in (f"notifications/sms/{kind}.{language}.txt", f"notifications/sms/default.{language}.txt"):
        try:
            return get_template(name).template.source.strip()
        except TemplateDoesNotExist:
            continue
    return "Kallpanchis: {title} {when} {place}"


def template_text(kind: str, language: str, cache: dict | None = None) -> str:
    from .models import SmsTemplate

    if cache is not None and (kind, language) in cache:
        return cache[(kind, language)]
    stored = SmsTemplate.objects.filter(kind=kind, language=language).values_list("text", flat=True).first()
    text = stored or default_text(kind, language)
    if cache is not None:
        cache[(kind, language)] = text
    return text


def placeholders_of(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise ValidationError(_("The text has an unmatched brace: %(error)s") % {"error": error}) from None


def template_check(text: str) -> Length:
    """Refuses a text with an unknown placeholder or one that, with typical values, needs more than two
    SMS; returns its measure with typical values."""
    unknown = [name for name in placeholders_of(text) if name not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s; use %(known)s.")
            % {
                "names": ", ".join(f"{{{n}}}" for n in unknown),
                "known": " ".join(f"{{{p}}}" for p in PLACEHOLDERS),
            }
        )
    length = measure(render_values(text, SAMPLE))
    if length.segments > MAX_SEGMENTS:
        raise ValidationError(
            _("This text needs %(n)d SMS (%(units)d %(encoding)s characters); at most %(max)d are allowed.")
            % {"n": length.segments, "units": length.units, "encoding": length.encoding, "max": MAX_SEGMENTS}
        )
    return length


@dataclass(frozen=True)
class Values:
    title: str
    when: str
    place: str
    details: str


SAMPLE = Values(
    title="Mesa de concertacion agraria: sesion ordinaria",
    when="12/03 10:30",
    place="Local comunal",
    details="",
)


def values_of(context: TargetContext) -> Values:
    when = ""
    if context.when is not None:
        from ..rendering import LIMA

        when = timezone.localtime(context.when, LIMA).strftime("%d/%m %H:%M")
    title = fold(context.title)
    if len(title) > _MAX_FIELD["title"] and ": " in title:
        # "Space: meeting title": the meeting's own title is what a person recognises; the space goes first.
        title = title.split(": ", 1)[1]
    return Values(
        title=title[: _MAX_FIELD["title"]],
        when=when,
        place=fold(context.place)[: _MAX_FIELD["place"]],
        details=fold(str(context.details or ""))[: _MAX_FIELD["details"]],
    )


def render_values(text: str, values: Values) -> str:
    """The text with its values; an empty value leaves no stray space or doubled punctuation."""
    rendered = " ".join(text.format_map(vars(values)).split())
    rendered = re.sub(r"\s+([.,;:])", r"\1", rendered)
    return re.sub(r"([.,;:])[.,;:]+", r"\1", rendered)


def sms_render(kind: str, language: str, context: TargetContext, cache: dict | None = None) -> str:
    """The SMS for this kind and target in this language, shortened to fit two SMS if need be."""
    text = template_text(kind, language, cache)
    values = values_of(context)
    try:
        rendered = render_values(text, values)
    except (KeyError, ValueError, IndexError):  # a stored template broken by hand: the file's default
        rendered = render_values(default_text(kind, language), values)
    if measure(rendered).segments > 1:
        short = Values(values.title[:40], values.when, values.place[:25], values.details[:20])
        shorter = render_values(text, short)
        if measure(shorter).segments < measure(rendered).segments:
            rendered = shorter
    return rendered
