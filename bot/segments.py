"""Exact SMS length counting (3GPP TS 23.038 alphabet, TS 23.040 concatenation).

A text that fits the GSM 7-bit default alphabet (basic table plus the
extension table, whose characters cost two septets: ESC + code) is sent as
GSM-7; anything else forces UCS-2, counted in UTF-16 code units (an emoji
outside the BMP is a surrogate pair: two units).

=========  ============  =====================
encoding   one segment   per segment when split
=========  ============  =====================
GSM-7      160 septets   153 septets
UCS-2      70 units      67 units
=========  ============  =====================

A split never cuts an escape pair or a surrogate pair in two, so a multipart
segment may carry 152 septets (or 66 units) when the next character would
straddle the boundary. An empty text is zero segments.

Usage::

    >>> count_segments("Olá").segments
    1
    >>> to_gsm7("Promoção “já”…")
    'Promocao "ja"...'
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "Encoding",
    "SegmentCount",
    "count_segments",
    "is_gsm7",
    "to_gsm7",
]

GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The GSM 7-bit default alphabet (one septet each); ESC is not a character."""

GSM7_EXTENSION: frozenset[str] = frozenset("\f^{}\\[~]|€")
"""The extension table characters: two septets each (ESC + code)."""

GSM7_SINGLE = 160
GSM7_MULTI = 153
UCS2_SINGLE = 70
UCS2_MULTI = 67

# Typographic characters a phone keyboard or a word processor slips in.
_TYPOGRAPHIC: dict[str, str] = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\t": " ",
    "\u00aa": "a",
    "\u00ba": "o",
}


MAX_SEGMENTS = 6
"""The longest text, in segments, that uSendit takes in one Sms (the sandbox enforces it).

Not published by the provider; six segments (918 GSM-7 or 402 UCS-2
characters) is the common concatenation limit of Portuguese gateways."""


class Encoding(enum.Enum):
    """The data coding an SMS needs."""

    GSM7 = "GSM7"
    UCS2 = "UCS2"


@dataclass(frozen=True, slots=True)
class SegmentCount:
    """How a text is sent.

    ``units`` are septets (GSM-7) or UTF-16 code units (UCS-2); ``remaining``
    is how many of those units are still free in the last segment;
    ``non_gsm_chars`` lists, in order of first appearance, the distinct
    characters that forced UCS-2 (empty for GSM-7).
    """

    encoding: Encoding
    units: int
    segments: int
    remaining: int
    non_gsm_chars: tuple[str, ...]


def is_gsm7(char: str) -> bool:
    """Whether one character can be written in the GSM 7-bit alphabet."""
    return char in GSM7_BASIC or char in GSM7_EXTENSION


def _gsm_width(char: str) -> int:
    return 2 if char in GSM7_EXTENSION else 1


def _ucs2_width(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _pack(widths: list[int], single: int, multi: int) -> tuple[int, int, int]:
    """Return (units, segments, remaining) for characters of the given widths."""
    units = sum(widths)
    if units == 0:
        return 0, 0, single
    if units <= single:
        return units, 1, single - units
    segments = 1
    used = 0
    for width in widths:
        if used + width > multi:
            segments += 1
            used = 0
        used += width
    return units, segments, multi - used


def count_segments(text: str) -> SegmentCount:
    """Count the encoding, units and segments ``text`` needs as one SMS."""
    non_gsm: dict[str, None] = {}
    for char in text:
        if not is_gsm7(char):
            non_gsm.setdefault(char, None)
    if not non_gsm:
        units, segments, remaining = _pack([_gsm_width(c) for c in text], GSM7_SINGLE, GSM7_MULTI)
        return SegmentCount(Encoding.GSM7, units, segments, remaining, ())
    units, segments, remaining = _pack([_ucs2_width(c) for c in text], UCS2_SINGLE, UCS2_MULTI)
    return SegmentCount(Encoding.UCS2, units, segments, remaining, tuple(non_gsm))


def _fold(char: str) -> str:
    if is_gsm7(char):
        return char
    if char in _TYPOGRAPHIC:
        return _TYPOGRAPHIC[char]
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base and base != char and all(is_gsm7(c) for c in base):
        return base
    return char


def to_gsm7(text: str) -> str:
    """Replace characters outside GSM-7 by their closest GSM-7 spelling.

    Accented letters lose their accent (``ã`` -> ``a``, ``ç`` -> ``c``) unless
    the letter itself is in the GSM table (``é``, ``ñ``, ``Ç`` stay);
    typographic quotes, dashes and the ellipsis become ASCII. Characters with
    no GSM-7 spelling (emoji, most non-Latin scripts) are left as they are.
    """
    return "".join(_fold(char) for char in text)
