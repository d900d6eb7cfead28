"""How names, DNIs and phone numbers are written down once, the same way for storing and for searching.

Search and duplicate checks compare a normalised form of the name (lower case, accents and punctuation
removed, single spaces), kept in `Person.search_name` by the services, so "María Quíspe" and "maria quispe"
are one text on PostgreSQL and on SQLite alike.
"""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "PE"
DNI_RE = re.compile(r"^[0-9]{8}$")
MASK = "•"


def normalise(text: str) -> str:
    """Lower case, no accents (ñ becomes n), letters and digits only, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def phone_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """A phone number as typed ("987 654 321", "+51 987-654-321") in E.164 ("+51987654321"); '' stays ''."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a valid phone number. Write it as on the phone, e.g. 987 654 321."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_or_none(raw: str) -> str | None:
    """The E.164 form of what someone typed in a search box, or None when it is not a phone number."""
    try:
        return phone_e164(raw) or None
    except ValidationError:
        return None


def phone_masked(e164: str) -> str:
    """+51 9•• ••• 321: enough to tell two people apart in a list, not enough to call them."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return MASK * 6
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    prefix = f"+{number.country_code}"
    national = shown[len(prefix) :]
    digits = [i for i, c in enumerate(national) if c.isdigit()]
    keep = set(digits[:1] + digits[-3:])
    masked = "".join(c if (not c.isdigit() or i in keep) else MASK for i, c in enumerate(national))
    return prefix + masked


def phone_display(e164: str) -> str:
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def dni_clean(raw: str) -> str:
    """Eight digits, spaces and dots removed; '' when not given."""
    value = re.sub(r"[\s.\-]", "", raw or "")
    if value and not DNI_RE.match(value):
        raise ValidationError(_("A DNI has exactly 8 digits."), code="invalid_dni")
    return value


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a text (each word padded with two spaces before and one after)."""
    found = set()
    for word in normalise(text).split():
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(), for SQLite where the extension does not exist."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)
