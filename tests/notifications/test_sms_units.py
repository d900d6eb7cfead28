"""The SMS arithmetic and words: GSM 03.38 lengths, template checks, quiet hours, reply words, numbers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kallpanchis.notifications.sms.gsm import BASIC, EXTENSION, GSM7, UCS2, encode, measure
from kallpanchis.notifications.sms.limits import quiet_until
from kallpanchis.notifications.sms.replies import first_word, phone_normalise
from kallpanchis.notifications.sms.texts import fold, template_check

LIMA = ZoneInfo("America/Lima")


def test_the_default_alphabet_has_its_128_codes_in_order():
    assert len(BASIC) == 128
    assert encode("@") == b"\x00" and encode("A") == b"\x41" and encode("a") == b"\x61"
    assert (
        encode("ñ") == b"\x7d"
        and encode("Ñ") == b"\x5d"
        and encode("¿") == b"\x60"
        and encode("¡") == b"\x40"
    )
    assert encode("é") == b"\x05" and encode("€") == b"\x1b\x65" and encode("[") == b"\x1b\x3c"
    assert len(EXTENSION) == 10
    with pytest.raises(ValueError):
        encode("á")


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),
        ("a" * 306, GSM7, 306, 2),
        ("a" * 307, GSM7, 307, 3),
        ("€" * 80, GSM7, 160, 1),  # an extension character is two septets
        ("€" * 81, GSM7, 162, 2),
        ("Mañana, señor: ¿asistir", GSM7, 23, 1),  # ñ, ¿ are GSM-7
        ("reunión", UCS2, 7, 1),  # ó is not
        ("Ari’" + "a" * 66, UCS2, 70, 1),  # the typographic apostrophe forces UCS-2: 70 a segment
        ("Ari’" + "a" * 67, UCS2, 71, 2),
        ("ʼ" * 134, UCS2, 134, 2),  # 67 a part once concatenated
        ("ʼ" * 135, UCS2, 135, 3),
        ("😀" * 35, UCS2, 70, 1),  # outside the BMP: two UTF-16 units each
    ],
)
def test_length_encoding_and_segments(text, encoding, units, segments):
    length = measure(text)
    assert (length.encoding, length.units, length.segments) == (encoding, units, segments)


def test_what_forces_ucs2_is_named_once_each():
    assert measure("Ari’ ari’ reunión").not_gsm == "’ó"
    assert measure("apostrophe ' is fine").not_gsm == ""


def test_typed_values_are_folded_to_gsm():
    assert fold("Reunión de Ñuñoa – qhapaq’ñan") == "Reunion de Ñuñoa - qhapaq'ñan"
    assert measure(fold("Reunión en Sicuani")).encoding == GSM7


def test_a_template_beyond_two_sms_or_with_an_unknown_placeholder_is_refused():
    assert template_check("Reunion {title} el {when} en {place}").segments == 1
    with pytest.raises(ValidationError, match="3 SMS"):
        template_check("x" * 300 + " {title}")
    with pytest.raises(ValidationError):
        template_check("Hola {nombre}")
    with pytest.raises(ValidationError):
        template_check("Hola {title")


@pytest.mark.parametrize(
    ("local", "held_until"),
    [
        (datetime(2026, 12, 1, 20, 59, tzinfo=LIMA), None),
        (datetime(2026, 12, 1, 21, 0, tzinfo=LIMA), datetime(2026, 12, 2, 7, 0, tzinfo=LIMA)),
        (datetime(2026, 12, 2, 3, 30, tzinfo=LIMA), datetime(2026, 12, 2, 7, 0, tzinfo=LIMA)),
        (datetime(2026, 12, 2, 7, 0, tzinfo=LIMA), None),
    ],
)
def test_quiet_hours_in_lima(local, held_until):
    assert quiet_until(local) == held_until


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("si", "SI"),
        ("Sí, ahí estaré", "SI"),
        ("  ARI!", "ARI"),
        ("manan", "MANAN"),
        ("Baja", "BAJA"),
        ("", ""),
    ],
)
def test_first_word_of_a_reply(text, word):
    assert first_word(text) == word


def test_numbers_normalised_to_e164():
    assert phone_normalise("987 654 321") == "+51987654321"
    assert phone_normalise("51987654321") == "+51987654321"
    assert phone_normalise("+51 987-654-321") == "+51987654321"
