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

import codecs
import enum
import functools
import re
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


# The counter makes C-speed passes over the text (bytes.translate, a charmap
# codec, a regex, the UTF-16 codec) and walks only at the part boundaries of a
# multipart text holding 2-unit characters, one step per part.
#
# The codec writes a GSM text one byte per character: an ASCII basic character
# as itself, the other 39 basic characters in the 39 codes under 0x80 that
# ASCII basic characters leave free, the 10 extension characters as 0x80-0x89.
# Read as Latin-1 and written as UTF-8, those bytes become one byte per septet:
# an extension character turns into a pair led by 0xC2, so byte n is 0xC2
# exactly where a 2-septet character starts at septet n. For UCS-2, the high
# byte of each UTF-16 unit marked the same way says where a surrogate pair
# starts.

_PAIR = 0xC2


def _codec_table() -> str:
    table = ["\ufffe"] * 256  # U+FFFE: no character encodes to this byte
    table[0] = "\x00"  # charmap_build requires it; NUL is not GSM, and is checked apart
    for char in GSM7_BASIC:
        if char.isascii():
            table[ord(char)] = char
    free = (code for code in range(1, 0x80) if table[code] == "\ufffe")
    for char, code in zip(sorted(c for c in GSM7_BASIC if not c.isascii()), free, strict=True):
        table[code] = char
    for code, char in enumerate(sorted(GSM7_EXTENSION), start=0x80):
        table[code] = char
    return "".join(table)


_CODEC_TABLE = _codec_table()
_GSM_CODEC = codecs.charmap_build(_CODEC_TABLE)
_ASCII_BASIC = bytes(ord(c) for c in sorted(GSM7_BASIC) if c.isascii())
_ASCII_EXTENSION = bytes(ord(c) for c in sorted(GSM7_EXTENSION) if c.isascii())
# An ASCII text's bytes as the codec writes them (the extension characters move).
_ASCII_AS_CODEC = bytes(
    _CODEC_TABLE.index(chr(b)) if b in _ASCII_EXTENSION else b for b in range(256)
)
_MARK_HIGH_SURROGATE = bytes(_PAIR if 0xD8 <= b <= 0xDB else 0 for b in range(256))
_NON_GSM_CLASS = "[^" + "".join(re.escape(c) for c in sorted(GSM7_BASIC | GSM7_EXTENSION)) + "]"
# Finding them one by one is the faster where they are few (accents, emoji in a
# Latin text), run by run where they are most (Cyrillic, Chinese).
_NON_GSM = re.compile(_NON_GSM_CLASS)
_NON_GSM_RUNS = re.compile(_NON_GSM_CLASS + "+")
_GSM7 = Encoding.GSM7
_UCS2 = Encoding.UCS2


def _parts(units: int, single: int, multi: int, pairs: bytes | None) -> tuple[int, int]:
    """Return (segments, remaining) for ``units`` units.

    ``pairs`` has one byte per unit, ``_PAIR`` where a 2-unit character
    starts, or is None when there is none: a part then always takes ``multi``.
    """
    if units <= single:
        return (1 if units else 0), single - units
    if pairs is None:
        segments = -(-units // multi)
        return segments, segments * multi - units
    start = 0
    segments = 1
    while units - start > multi:
        end = start + multi
        if pairs[end - 1] == _PAIR:  # it would straddle the end: the part ends early
            end -= 1
        start = end
        segments += 1
    return segments, multi - (units - start)


# Counts are immutable and few distinct ones come up (the same handful while a
# text is edited and counted again): handing out one instance per distinct
# count saves building a frozen dataclass, which costs about as much as
# counting a one-part text.
_result = functools.lru_cache(maxsize=4096)(SegmentCount)


def _gsm7(septets: bytes) -> SegmentCount:
    """Count a GSM text from the codec's bytes."""
    if septets.isascii():  # no extension character
        units = len(septets)
        segments, remaining = _parts(units, GSM7_SINGLE, GSM7_MULTI, None)
    else:
        pairs = septets.decode("latin-1").encode("utf-8")
        units = len(pairs)
        segments, remaining = _parts(units, GSM7_SINGLE, GSM7_MULTI, pairs)
    return _result(_GSM7, units, segments, remaining, ())


def _ucs2(text: str, non_gsm: tuple[str, ...]) -> SegmentCount:
    pairs: bytes | None = None
    try:
        utf16 = text.encode("utf-16-le")
    except UnicodeEncodeError:
        # A lone surrogate (a str may hold one, UTF-16 cannot) costs one unit.
        pairs = b"".join(b"\xc2\x00" if ord(c) > 0xFFFF else b"\x00" for c in text)
        units = len(pairs)
    else:
        units = len(utf16) // 2
        if units > len(text) and units > UCS2_SINGLE:
            pairs = utf16[1::2].translate(_MARK_HIGH_SURROGATE)
    segments, remaining = _parts(units, UCS2_SINGLE, UCS2_MULTI, pairs)
    return _result(_UCS2, units, segments, remaining, non_gsm)


def count_segments(text: str) -> SegmentCount:
    """Count the encoding, units and segments ``text`` needs as one SMS."""
    if text.isascii():
        raw = text.encode("ascii")
        special = raw.translate(None, _ASCII_BASIC)
        if not special:
            return _gsm7(raw)
        others = special.translate(None, _ASCII_EXTENSION)
        if not others:
            return _gsm7(raw.translate(_ASCII_AS_CODEC))
        return _ucs2(text, tuple(dict.fromkeys(others.decode("ascii"))))
    septets, _ = codecs.charmap_encode(text, "ignore", _GSM_CODEC)
    dropped = len(text) - len(septets)
    if not dropped and 0 not in septets:
        return _gsm7(septets)
    if dropped * 4 < len(text):
        non_gsm = tuple(dict.fromkeys(_NON_GSM.findall(text)))
    else:
        non_gsm = tuple(dict.fromkeys("".join(_NON_GSM_RUNS.findall(text))))
    return _ucs2(text, non_gsm)


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
