"""How long an SMS is: GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table.

A text made only of the default alphabet travels as GSM-7 (160 septets in one SMS; 153 per part of a
longer one, the rest is the concatenation header); an extension character (€, [, ] …) costs two septets.
Anything else (’ the typographic apostrophe, ʼ the modifier letter often written in Quechua, á, í, ó, ú,
emoji) turns the whole message into UCS-2: 70 UTF-16 units in one SMS, 67 per part. "ñ", "é", "ü" are in
the default alphabet; "á", "í", "ó", "ú" are not (only "à", "ì", "ò", "ù" are).
"""

import math
from dataclasses import dataclass

# The 128 characters of the default alphabet, in code order (0x1B, the escape to the extension, as \x1b).
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "\f^{}\\[~]|€"
_BASIC_SET = frozenset(BASIC) - {"\x1b"}
_EXTENSION_SET = frozenset(EXTENSION)

GSM7 = "GSM-7"
UCS2 = "UCS-2"
MAX_SEGMENTS = 2


@dataclass(frozen=True)
class Length:
    encoding: str
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int
    not_gsm: str  # the characters that forced UCS-2, in order of appearance, once each

    @property
    def single(self) -> bool:
        return self.segments <= 1


def septets(text: str) -> int | None:
    """Septets the text takes in GSM-7, or None if a character is outside the alphabet and its extension."""
    count = 0
    for char in text:
        if char in _BASIC_SET:
            count += 1
        elif char in _EXTENSION_SET:
            count += 2
        else:
            return None
    return count


def measure(text: str) -> Length:
    gsm = septets(text)
    if gsm is not None:
        return Length(GSM7, gsm, 1 if gsm <= 160 else math.ceil(gsm / 153), "")
    units = len(text.encode("utf-16-le")) // 2
    outside = "".join(dict.fromkeys(c for c in text if c not in _BASIC_SET and c not in _EXTENSION_SET))
    return Length(UCS2, units, 1 if units <= 70 else math.ceil(units / 67), outside)


def encode(text: str) -> bytes:
    """The GSM-7 code of each septet, unpacked (one byte per septet); raises ValueError outside it."""
    out = bytearray()
    for char in text:
        if char in _BASIC_SET:
            out.append(BASIC.index(char))
        elif char in _EXTENSION_SET:
            out += bytes((0x1B, _EXTENSION_CODES[char]))
        else:
            raise ValueError(f"{char!r} is not in the GSM 03.38 alphabet")
    return bytes(out)


_EXTENSION_CODES = {
    "\f": 0x0A,
    "^": 0x14,
    "{": 0x28,
    "}": 0x29,
    "\\": 0x2F,
    "[": 0x3C,
    "~": 0x3D,
    "]": 0x3E,
    "|": 0x40,
    "€": 0x65,
}
