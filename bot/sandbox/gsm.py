"""The sandbox's own SMS counting, from 3GPP TS 23.038 and the SMS concatenation rules.

Written apart from :mod:`bot.segments` on purpose: the sandbox stands in for
uSendit's SmsCharCounter and for what a send costs, so it must not run the
code it is meant to check.

- A text whose every character is in the GSM 7-bit default alphabet
  (:data:`BASIC_TABLE`) or its extension table (:data:`EXTENSION_TABLE`) is
  GSM7: a basic character costs 1 septet, an extension character 2 (the
  escape ``0x1B`` and its code). Any other character makes the whole text
  UCS2, counted in UTF-16 code units: 1 per BMP character, 2 (a surrogate
  pair) per character beyond U+FFFF, such as an emoji.
- One part carries 160 septets or 70 units. A longer text is sent as a
  concatenated message whose parts carry 153 septets or 67 units each (the
  user data header takes the rest). Parts are cut between characters, so
  an extension character's escape never ends a part without its code and a
  surrogate pair is never split: a part ends early instead.
- An empty text has no parts.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

ESCAPE = 0x1B

# TS 23.038 6.2.1, the GSM 7-bit default alphabet: row n holds codes 0xn0..0xnF.
# Code 0x1B is the escape to the extension table, not a character: the row keeps
# ESC there only to hold its place, and BASIC_CHARACTERS leaves it out.
BASIC_TABLE: tuple[str, ...] = (
    "@£$¥èéùìòÇ\nØø\rÅå",  # 0x00-0x0F
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ",  # 0x10-0x1F
    " !\"#¤%&'()*+,-./",  # 0x20-0x2F
    "0123456789:;<=>?",  # 0x30-0x3F
    "¡ABCDEFGHIJKLMNO",  # 0x40-0x4F
    "PQRSTUVWXYZÄÖÑÜ§",  # 0x50-0x5F
    "¿abcdefghijklmno",  # 0x60-0x6F
    "pqrstuvwxyzäöñüà",  # 0x70-0x7F
)

# TS 23.038 6.2.1.1, the default extension table: the code that follows 0x1B.
# Codes 0x0D (CR2) and 0x1B (SS2) are controls, not characters; every other
# code is unassigned.
EXTENSION_TABLE: dict[int, str] = {
    0x0A: "\f",  # form feed (page break)
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}

BASIC_CHARACTERS: frozenset[str] = frozenset(
    char
    for row, chars in enumerate(BASIC_TABLE)
    for col, char in enumerate(chars)
    if row * 16 + col != ESCAPE
)
EXTENSION_CHARACTERS: frozenset[str] = frozenset(EXTENSION_TABLE.values())

GSM7_SINGLE = 160
"""Septets in a message sent as one part."""
GSM7_PART = 153
"""Septets in each part of a concatenated message (7 septets go to the header)."""
UCS2_SINGLE = 70
"""UTF-16 units in a message sent as one part."""
UCS2_PART = 67
"""UTF-16 units in each part of a concatenated message (3 units go to the header)."""


class Encoding(enum.Enum):
    """The MsgEncoding a text needs; the values are the WSDL's."""

    GSM7 = "GSM7"
    UCS2 = "UCS2"


@dataclass(frozen=True)
class SmsCount:
    """What a text costs.

    ``characters`` counts Unicode code points (what the user typed);
    ``units`` the septets (GSM7) or UTF-16 code units (UCS2) they take;
    ``segments`` the parts it is sent as (the credits it costs).
    """

    encoding: Encoding
    characters: int
    units: int
    segments: int


def encoding_for(text: str) -> Encoding:
    """GSM7 when every character is in the default alphabet or its extension."""
    if all(char in BASIC_CHARACTERS or char in EXTENSION_CHARACTERS for char in text):
        return Encoding.GSM7
    return Encoding.UCS2


def cost(char: str, encoding: Encoding) -> int:
    """Septets (GSM7) or UTF-16 units (UCS2) one character takes."""
    if encoding is Encoding.GSM7:
        return 2 if char in EXTENSION_CHARACTERS else 1
    return 2 if ord(char) > 0xFFFF else 1


def split_parts(text: str) -> list[str]:
    """The parts ``text`` is sent as, each cut between two characters."""
    if not text:
        return []
    encoding = encoding_for(text)
    costs = [cost(char, encoding) for char in text]
    single, part = (
        (GSM7_SINGLE, GSM7_PART) if encoding is Encoding.GSM7 else (UCS2_SINGLE, UCS2_PART)
    )
    if sum(costs) <= single:
        return [text]
    parts: list[str] = []
    start = used = 0
    for index, char_cost in enumerate(costs):
        if used + char_cost > part:
            parts.append(text[start:index])
            start, used = index, 0
        used += char_cost
    parts.append(text[start:])
    return parts


def count(text: str) -> SmsCount:
    """The encoding, characters, units and segments of ``text``."""
    encoding = encoding_for(text)
    return SmsCount(
        encoding=encoding,
        characters=len(text),
        units=sum(cost(char, encoding) for char in text),
        segments=len(split_parts(text)),
    )
