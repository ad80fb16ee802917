"""Turning what a user typed into a clean list of SMS recipients.

Files (CSV, TXT) are read in :mod:`bot.recipient_files`, into the same list.

Every non-blank entry ends up in exactly one place: :attr:`RecipientList.numbers`
(international digits without ``+``, deduplicated, in order of first
appearance) or :attr:`RecipientList.rejected`, with its line and the reason.
A file that cannot be read at all raises :class:`RecipientsError`, whose
``code`` the chat layer translates::

    CampaignError
    └── RecipientsError   code: FILE_TOO_LARGE, TOO_MANY_ROWS (both with limit),
                                NOT_TEXT, NO_PHONE_COLUMN, EMPTY

Typed text is split on new lines, commas and semicolons. Inside a piece,
"+351 912 345 678" is one number; otherwise whitespace separates numbers, and
the longest run of tokens that forms a valid number wins, so
"912 345 678 913 333 444" is two numbers and a typo like "912 345 67" is one
rejection, not three. Without a country code, ``region`` applies; a bare
digit string that is not valid there is tried as international ("34612...").

Only numbers that can receive an SMS are accepted: phonenumbers' MOBILE and
FIXED_LINE_OR_MOBILE. Landlines, toll-free, premium and unknown types are
NOT_MOBILE. phonenumbers judges every entry but one kind: with region PT, a
Portuguese mobile spelled as lists spell them (:data:`PT_MOBILE`) is read by a
regular expression, held equal to phonenumbers by a property test. Each distinct
text is read once per list (:attr:`Reading.results`).

Usage::

    >>> parse_text("912 345 678, +351912345678; 212345678").numbers
    ('351912345678',)
    >>> [r.reason for r in parse_text("912 345 678, +351912345678; 212345678").rejected]
    [<RejectReason.DUPLICATE: 'DUPLICATE'>, <RejectReason.NOT_MOBILE: 'NOT_MOBILE'>]
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

from bot.errors import CampaignError

__all__ = [
    "RecipientList",
    "RecipientsError",
    "RecipientsErrorCode",
    "RejectReason",
    "Rejected",
    "normalize",
    "parse_text",
]


class RejectReason(enum.StrEnum):
    """Why an entry is not in the list; the value is a stable code to translate."""

    INVALID = "INVALID"
    NOT_MOBILE = "NOT_MOBILE"
    DUPLICATE = "DUPLICATE"

    @property
    def message(self) -> str:
        """The reason in English."""
        return _REASON_MESSAGES[self]


_REASON_MESSAGES = {
    RejectReason.INVALID: "not a valid phone number",
    RejectReason.NOT_MOBILE: "not a mobile number",
    RejectReason.DUPLICATE: "already in the list",
}


class RecipientsErrorCode(enum.StrEnum):
    """Why a whole file was refused."""

    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    NOT_TEXT = "NOT_TEXT"
    NO_PHONE_COLUMN = "NO_PHONE_COLUMN"
    EMPTY = "EMPTY"


class RecipientsError(CampaignError):
    """A file of recipients is broken or unusable.

    ``code`` says which way (see :class:`RecipientsErrorCode`); ``limit`` is
    the byte or row cap that was passed, for the two size codes.
    """

    def __init__(
        self, message: str, *, code: RecipientsErrorCode, limit: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.limit = limit


@dataclass(frozen=True)
class Rejected:
    """One entry that is not in the list.

    ``line`` is 1-based: the line of typed text, or the row as a spreadsheet
    shows it (a header row is row 1). ``first_line`` is set for duplicates only.
    """

    line: int
    raw: str
    reason: RejectReason
    first_line: int | None = None


@dataclass(frozen=True)
class RecipientList:
    """The outcome of reading a list: who gets the SMS, and what was left out."""

    numbers: tuple[str, ...]
    rejected: tuple[Rejected, ...]
    source: str
    # Not compared nor shown: bookkeeping beside the numbers (100,000 of them at most).
    lines: tuple[int, ...] = field(default=(), compare=False, repr=False)
    """The line each number was first read on (aligned with ``numbers``), when known."""
    columns: tuple[str, ...] = field(default=(), compare=False)
    """A file's other columns, as its header names them (the fields of a personalised
    text, :mod:`bot.personal_text`); empty for typed text, a file without a header,
    or a file with only the phone column."""
    values: tuple[tuple[str, ...], ...] = field(default=(), compare=False, repr=False)
    """Each number's row of ``columns`` values (aligned with ``numbers``), when ``columns``."""

    @property
    def invalid(self) -> tuple[Rejected, ...]:
        """Entries that cannot receive an SMS (INVALID or NOT_MOBILE)."""
        return tuple(r for r in self.rejected if r.reason is not RejectReason.DUPLICATE)

    @property
    def duplicates(self) -> tuple[Rejected, ...]:
        """Entries left out because the same number came earlier."""
        return tuple(r for r in self.rejected if r.reason is RejectReason.DUPLICATE)


_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

_PHONE_CHARS = re.compile(r"[\d\s+()\-.]+")
_EXCEL_FLOAT = re.compile(r"(\+?\d+)\.0+")
SCIENTIFIC = re.compile(r"\+?\d+(?:[.,]\d+)?[eE][+-]?\d+")
PIECE_SEPARATORS = re.compile(r"[,;\r\n]")
_TOKEN = re.compile(r"[^\s/]+")
# E.164 allows 15 digits; "00" may come in front. A longer run is never one number,
# and more tokens than this is never one number however it is spaced.
_MAX_RUN_DIGITS = 17
_MAX_RUN_TOKENS = 8
_MIN_RUN_DIGITS = 7  # no number anyone writes in groups is shorter
_MAX_NUMBER_CHARS = 40
MIN_DIGITS = 4  # the shortest national numbers (Saint Helena, Niue)
_MAX_GREEDY_TOKENS = 64
PT_MOBILE = re.compile(
    r"(?:(?:\+|00)?351 ?)?(?P<nsn>9[1236][0-9](?P<gap> ?)[0-9]{3}(?P=gap)[0-9]{3})"
)
"""A Portuguese mobile (91, 92, 93, 96) as most lists write it: bare, after 351, 00351
or +351, or in groups of three. With region PT this is read without phonenumbers;
tests/test_recipients_fast.py holds the answer equal to phonenumbers' on random input."""

# Result, Reading, collect, split_piece, check_region, too_many_rows, SCIENTIFIC and
# PIECE_SEPARATORS are also how bot.recipient_files reads each cell of a file.
Result = str | RejectReason


@dataclass
class Reading:
    """One call's region, the multi-token runs it may still try, and what it has read.

    A run costs a full phonenumbers parse; the budget keeps a hostile 10 MB
    file of "1 1 1 1..." from taking minutes. Once spent, each token is one entry.
    ``results`` holds each distinct text's result: lists repeat themselves
    (duplicates, the same landline on many rows), and a repeat costs a lookup.
    """

    region: str
    runs_left: int = 50_000
    results: dict[str, Result] = field(default_factory=dict)

    def classify(self, raw: str) -> Result:
        """What :func:`normalize` says of ``raw``, as a number or a reason; read once."""
        result = self.results.get(raw)
        if result is None:
            result = self.results[raw] = _classify(raw, self.region)
        return result


def normalize(raw: str, region: str = "PT") -> str | None:
    """The number as international digits without ``+``, if it can receive an SMS.

    Returns None for anything :func:`parse_text` would reject as INVALID or
    NOT_MOBILE.
    """
    result = _classify(raw, check_region(region))
    return result if not isinstance(result, RejectReason) else None


def parse_text(text: str, region: str = "PT", *, max_entries: int | None = None) -> RecipientList:
    """Read numbers a user typed: one per line, or separated by , ; or spaces.

    More than ``max_entries`` entries (numbers and rejections; no cap when None)
    raise :class:`RecipientsError` with code TOO_MANY_ROWS.
    """
    region = check_region(region)
    pieces = (
        (line_no, piece)
        for line_no, line in enumerate(text.splitlines(), start=1)
        for piece in PIECE_SEPARATORS.split(line)
    )
    return collect(pieces, Reading(region), source="text", max_entries=max_entries)


def too_many_rows(max_rows: int) -> RecipientsError:
    return RecipientsError(
        f"the file has more than {max_rows} rows",
        code=RecipientsErrorCode.TOO_MANY_ROWS,
        limit=max_rows,
    )


def check_region(region: str) -> str:
    region = region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown region {region!r}")
    return region


def collect(
    pieces: Iterable[tuple[int, str]],
    reading: Reading,
    *,
    source: str,
    max_entries: int | None = None,
) -> RecipientList:
    first_seen: dict[str, int] = {}
    rejected: list[Rejected] = []
    for line, piece in pieces:
        text = piece.strip()
        if not text:
            continue
        whole = reading.classify(text)
        # Most pieces are one number: only the rest need split_piece's search.
        entries = (
            [(text, whole)] if whole is not RejectReason.INVALID else split_piece(text, reading)
        )
        for raw, result in entries:
            if max_entries is not None and len(first_seen) + len(rejected) >= max_entries:
                raise too_many_rows(max_entries)
            if isinstance(result, RejectReason):
                rejected.append(Rejected(line, raw, result))
            elif result in first_seen:
                rejected.append(Rejected(line, raw, RejectReason.DUPLICATE, first_seen[result]))
            else:
                first_seen[result] = line
    return RecipientList(
        tuple(first_seen), tuple(rejected), source, lines=tuple(first_seen.values())
    )


_PT_MOBILE_LINES = re.compile(f"^{PT_MOBILE.pattern}$", re.MULTILINE)
_CELLS_A_PASS = 1000


def plain_mobiles(
    lines: Sequence[int],
    cells: Sequence[str],
    reading: Reading,
    *,
    source: str,
    max_entries: int | None = None,
) -> RecipientList | None:
    """What :func:`collect` gives for ``cells`` (a file's stripped phone cells, with
    their rows) when each one is a Portuguese mobile as :data:`PT_MOBILE` reads it:
    read by one pass of that expression over a thousand of them joined. ``None`` when
    the region is not PT, or any cell is anything else, even a blank: :func:`collect`
    reads those.
    """
    if reading.region != "PT" or not cells:
        return None
    found: list[tuple[str, str]] = []
    for first in range(0, len(cells), _CELLS_A_PASS):  # the GIL is let go between passes
        some = cells[first : first + _CELLS_A_PASS]
        joined = "\n".join(some)
        if joined.count("\n") != len(some) - 1:
            return None  # a cell with a line break of its own
        found += _PT_MOBILE_LINES.findall(joined)
        if len(found) != first + len(some):
            return None
    if max_entries is not None and len(found) > max_entries:
        raise too_many_rows(max_entries)
    numbers = ["351" + nsn.replace(" ", "") for nsn, _gap in found]
    first_seen = dict(zip(numbers, lines, strict=True))
    rejected: list[Rejected] = []
    if len(first_seen) != len(numbers):  # duplicates: the first row of each is kept
        first_seen = {}
        for line, raw, number in zip(lines, cells, numbers, strict=True):
            if number in first_seen:
                rejected.append(Rejected(line, raw, RejectReason.DUPLICATE, first_seen[number]))
            else:
                first_seen[number] = line
    return RecipientList(
        tuple(first_seen), tuple(rejected), source, lines=tuple(first_seen.values())
    )


def split_piece(piece: str, reading: Reading) -> Iterator[tuple[str, Result]]:
    """The entries in one piece of text, each with its number or reject reason."""
    piece = piece.strip()
    if not piece:
        return
    whole = reading.classify(piece)
    if whole is not RejectReason.INVALID:
        yield piece, whole
        return
    found = _TOKEN.finditer(piece)
    tokens = list(itertools.islice(found, _MAX_GREEDY_TOKENS + 1))
    if len(tokens) > _MAX_GREEDY_TOKENS:
        # Searching runs costs up to _MAX_RUN_TOKENS parses per token: on a
        # piece this long (a file's single line), one token is one entry, read
        # as the caller takes them, so a million tokens are never held at once.
        words = (t.group() for t in itertools.chain(tokens, found))
        yield from ((word, reading.classify(word)) for word in words if _is_wordy(word))
        return
    wordy = [_is_wordy(t.group()) for t in tokens]
    pending: list[int] = []  # tokens that are part of no valid number
    found_any = False
    i = 0
    while i < len(tokens):
        match = _longest_run(piece, tokens, wordy, i, reading)
        if match is None:
            pending.append(i)
            i += 1
            continue
        # Punctuation between numbers ("912345678 / 913333444") is a separator.
        if any(wordy[k] for k in pending):
            yield piece[tokens[pending[0]].start() : tokens[pending[-1]].end()], whole
        pending.clear()
        i, raw, result = match
        found_any = True
        yield raw, result
    if any(wordy[k] for k in pending) or (pending and not found_any):
        yield piece[tokens[pending[0]].start() : tokens[pending[-1]].end()], whole


def _is_wordy(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _longest_run(
    piece: str,
    tokens: Sequence[re.Match[str]],
    wordy: Sequence[bool],
    start: int,
    reading: Reading,
) -> tuple[int, str, Result] | None:
    if not wordy[start]:
        return None
    ends = [start + 1]
    digits = 0
    for j in range(
        start, min(len(tokens), start + _MAX_RUN_TOKENS) if reading.runs_left > 0 else 0
    ):
        token = tokens[j].group()
        digits += sum(map(str.isdigit, token))
        if digits > _MAX_RUN_DIGITS or not _PHONE_CHARS.fullmatch(token):
            break
        if j > start and wordy[j] and digits >= _MIN_RUN_DIGITS:
            ends.append(j + 1)
    for end in reversed(ends):
        raw = piece[tokens[start].start() : tokens[end - 1].end()]
        if end > start + 1:
            reading.runs_left -= 1
        result = reading.classify(raw)
        if result is not RejectReason.INVALID:
            return end, raw, result
    return None


def _classify(raw: str, region: str) -> Result:
    text = raw.strip()
    if len(text) > _MAX_NUMBER_CHARS:
        return RejectReason.INVALID
    excel = _EXCEL_FLOAT.fullmatch(text) if "." in text else None
    if excel:
        text = excel.group(1)
    if region == "PT":
        mobile = PT_MOBILE.fullmatch(text)
        if mobile:
            return "351" + mobile["nsn"].replace(" ", "")
    # Letters are never part of a number we send to: no vanity numbers, no
    # extensions, no "3.51912E+11" with its lost digits.
    if not _PHONE_CHARS.fullmatch(text) or not (
        MIN_DIGITS <= sum(map(str.isdigit, text)) <= _MAX_RUN_DIGITS
    ):
        return RejectReason.INVALID
    parsed = _parse(text, region)
    if parsed is None:
        return RejectReason.INVALID
    number, kind = parsed
    if number.extension:
        return RejectReason.INVALID
    if kind not in _MOBILE_TYPES:
        return RejectReason.NOT_MOBILE
    return phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+")


def _parse(text: str, region: str) -> tuple[PhoneNumber, int] | None:
    """The first reading of ``text`` that is a valid number, with its PhoneNumberType."""
    attempts: list[tuple[str, str | None]] = [(text, region)]
    # "+" left out of an international number: only for one bare digit string,
    # never for a run of tokens, which could glue two numbers into a third.
    if text.isascii() and text.isdigit() and len(text) >= 8 and not text.startswith("0"):
        attempts.append(("+" + text, None))
    for candidate, candidate_region in attempts:
        try:
            number = phonenumbers.parse(candidate, candidate_region)
        except NumberParseException:
            continue
        # number_type is UNKNOWN exactly when is_valid_number is False (both
        # match the number against its region's patterns): one match, not two.
        kind = phonenumbers.number_type(number)
        if kind != PhoneNumberType.UNKNOWN:
            return number, kind
    return None
