"""Turning what a user typed or attached into a clean list of SMS recipients.

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
NOT_MOBILE.

Usage::

    >>> parse_text("912 345 678, +351912345678; 212345678").numbers
    ('351912345678',)
    >>> [r.reason for r in parse_text("912 345 678, +351912345678; 212345678").rejected]
    [<RejectReason.DUPLICATE: 'DUPLICATE'>, <RejectReason.NOT_MOBILE: 'NOT_MOBILE'>]
"""

from __future__ import annotations

import codecs
import csv
import enum
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

from bot.errors import CampaignError

__all__ = [
    "HEADER_WORDS",
    "RecipientList",
    "RecipientsError",
    "RecipientsErrorCode",
    "RejectReason",
    "Rejected",
    "normalize",
    "parse_file",
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

    @property
    def invalid(self) -> tuple[Rejected, ...]:
        """Entries that cannot receive an SMS (INVALID or NOT_MOBILE)."""
        return tuple(r for r in self.rejected if r.reason is not RejectReason.DUPLICATE)

    @property
    def duplicates(self) -> tuple[Rejected, ...]:
        """Entries left out because the same number came earlier."""
        return tuple(r for r in self.rejected if r.reason is RejectReason.DUPLICATE)


HEADER_WORDS: frozenset[str] = frozenset(
    {
        "phone", "telefone", "telemovel", "movel", "mobile", "msisdn", "numero", "number",
        "tel", "celular", "contacto", "contact", "telephone", "cell", "cellphone", "gsm",
        "tlm", "tlf", "telf", "telef",
    }
)  # fmt: skip
"""Words (accent- and case-folded, plural "s" allowed) that mark a phone column header."""

_MOBILE_HEADER_WORDS = frozenset({"telemovel", "movel", "mobile", "msisdn", "celular", "cell"})
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

_PHONE_CHARS = re.compile(r"[\d\s+()\-.]+")
_EXCEL_FLOAT = re.compile(r"(\+?\d+)\.0+")
_SCIENTIFIC = re.compile(r"\+?\d+(?:[.,]\d+)?[eE][+-]?\d+")
_PIECE_SEPARATORS = re.compile(r"[,;\r\n]")
_TOKEN = re.compile(r"[^\s/]+")
_WORD = re.compile(r"[a-z]+")
# E.164 allows 15 digits; "00" may come in front. A longer run is never one number,
# and more tokens than this is never one number however it is spaced.
_MAX_RUN_DIGITS = 17
_MAX_RUN_TOKENS = 8
_MIN_RUN_DIGITS = 7  # no number anyone writes in groups is shorter
_MAX_NUMBER_CHARS = 40
_MIN_DIGITS = 4  # the shortest national numbers (Saint Helena, Niue)
_MAX_GREEDY_TOKENS = 64
_DELIMITERS = "\t;,|"
_SAMPLE_CHARS = 64_000
_SAMPLE_ROWS = 200
# Bounds on the work done before the phone column is known: a 2 MB file may
# be one row of a million cells, or one cell of a million tokens.
_MAX_COLUMNS = 256
_SAMPLE_ENTRIES_PER_CELL = 20
_MAX_UNPRINTABLE = 0.05
_PRINTABLE_CONTROLS = frozenset("\t\n\r\f\v")

_Result = str | RejectReason


@dataclass
class _Reading:
    """One call's region, and the multi-token runs it may still try.

    A run costs a full phonenumbers parse; the budget keeps a hostile 2 MB
    file of "1 1 1 1..." from taking minutes. Once spent, each token is one entry.
    """

    region: str
    runs_left: int = 50_000


def normalize(raw: str, region: str = "PT") -> str | None:
    """The number as international digits without ``+``, if it can receive an SMS.

    Returns None for anything :func:`parse_text` would reject as INVALID or
    NOT_MOBILE.
    """
    result = _classify(raw, _check_region(region))
    return result if not isinstance(result, RejectReason) else None


def parse_text(text: str, region: str = "PT") -> RecipientList:
    """Read numbers a user typed: one per line, or separated by , ; or spaces."""
    region = _check_region(region)
    pieces = (
        (line_no, piece)
        for line_no, line in enumerate(text.splitlines(), start=1)
        for piece in _PIECE_SEPARATORS.split(line)
    )
    return _collect(pieces, _Reading(region), source="text")


def parse_file(
    name: str,
    content: bytes,
    region: str = "PT",
    *,
    max_bytes: int = 2_000_000,
    max_rows: int = 50_000,
) -> RecipientList:
    """Read a CSV or TXT file of recipients, finding the phone column.

    Raises :class:`RecipientsError` when the file is too large, not text,
    empty, longer than ``max_rows`` data rows, or has no phone column.
    """
    region = _check_region(region)
    if len(content) > max_bytes:
        raise RecipientsError(
            f"the file is larger than {max_bytes} bytes",
            code=RecipientsErrorCode.FILE_TOO_LARGE,
            limit=max_bytes,
        )
    text = _decode(content)
    # Header and one row over the cap are enough to know the cap is exceeded.
    rows = _read_rows(text, stop_after=max_rows + 2)
    if not rows:
        raise RecipientsError("the file is empty", code=RecipientsErrorCode.EMPTY)
    reading = _Reading(region)
    header = _header_columns(rows[0][1], reading)
    data = rows[1:] if header else rows
    if len(data) > max_rows:
        raise _too_many_rows(max_rows)
    if not data:
        raise RecipientsError("the file has a header but no rows", code=RecipientsErrorCode.EMPTY)
    column = _phone_column(header, data, reading)
    pieces = (
        (row_no, piece)
        for row_no, cells in data
        if column < len(cells)
        for piece in _cell_pieces(cells[column])
    )
    # Cells holding several numbers count each, so one huge cell cannot dodge the cap.
    return _collect(pieces, reading, source=name, max_entries=max_rows)


def _too_many_rows(max_rows: int) -> RecipientsError:
    return RecipientsError(
        f"the file has more than {max_rows} rows",
        code=RecipientsErrorCode.TOO_MANY_ROWS,
        limit=max_rows,
    )


def _check_region(region: str) -> str:
    region = region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown region {region!r}")
    return region


def _collect(
    pieces: Iterable[tuple[int, str]],
    reading: _Reading,
    *,
    source: str,
    max_entries: int | None = None,
) -> RecipientList:
    first_seen: dict[str, int] = {}
    rejected: list[Rejected] = []
    for line, piece in pieces:
        for raw, result in _split_piece(piece, reading):
            if max_entries is not None and len(first_seen) + len(rejected) >= max_entries:
                raise _too_many_rows(max_entries)
            if isinstance(result, RejectReason):
                rejected.append(Rejected(line, raw, result))
            elif result in first_seen:
                rejected.append(Rejected(line, raw, RejectReason.DUPLICATE, first_seen[result]))
            else:
                first_seen[result] = line
    return RecipientList(tuple(first_seen), tuple(rejected), source)


def _split_piece(piece: str, reading: _Reading) -> Iterator[tuple[str, _Result]]:
    """The entries in one piece of text, each with its number or reject reason."""
    piece = piece.strip()
    if not piece:
        return
    whole = _classify(piece, reading.region)
    if whole is not RejectReason.INVALID:
        yield piece, whole
        return
    tokens = list(_TOKEN.finditer(piece))
    wordy = [any(c.isalnum() for c in t.group()) for t in tokens]
    if len(tokens) > _MAX_GREEDY_TOKENS:
        # Searching runs costs up to _MAX_RUN_TOKENS parses per token: on a
        # piece this long (a file's single line), one token is one entry.
        words = [t.group() for t, w in zip(tokens, wordy, strict=True) if w]
        yield from ((word, _classify(word, reading.region)) for word in words)
        return
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


def _longest_run(
    piece: str,
    tokens: Sequence[re.Match[str]],
    wordy: Sequence[bool],
    start: int,
    reading: _Reading,
) -> tuple[int, str, _Result] | None:
    if not wordy[start]:
        return None
    ends = [start + 1]
    digits = 0
    for j in range(
        start, min(len(tokens), start + _MAX_RUN_TOKENS) if reading.runs_left > 0 else 0
    ):
        token = tokens[j].group()
        digits += sum(c.isdigit() for c in token)
        if digits > _MAX_RUN_DIGITS or not _PHONE_CHARS.fullmatch(token):
            break
        if j > start and wordy[j] and digits >= _MIN_RUN_DIGITS:
            ends.append(j + 1)
    for end in reversed(ends):
        raw = piece[tokens[start].start() : tokens[end - 1].end()]
        if end > start + 1:
            reading.runs_left -= 1
        result = _classify(raw, reading.region)
        if result is not RejectReason.INVALID:
            return end, raw, result
    return None


def _classify(raw: str, region: str) -> _Result:
    text = raw.strip()
    if len(text) > _MAX_NUMBER_CHARS:
        return RejectReason.INVALID
    excel = _EXCEL_FLOAT.fullmatch(text)
    if excel:
        text = excel.group(1)
    # Letters are never part of a number we send to: no vanity numbers, no
    # extensions, no "3.51912E+11" with its lost digits.
    digits = sum(c.isdigit() for c in text)
    if not _MIN_DIGITS <= digits <= _MAX_RUN_DIGITS or not _PHONE_CHARS.fullmatch(text):
        return RejectReason.INVALID
    number = _parse(text, region)
    if number is None or number.extension:
        return RejectReason.INVALID
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return RejectReason.NOT_MOBILE
    return phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+")


def _parse(text: str, region: str) -> PhoneNumber | None:
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
        if phonenumbers.is_valid_number(number):
            return number
    return None


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": UTF-16 with a BOM, full of NUL bytes by design.
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _not_text() from exc
    elif b"\x00" in content:
        raise _not_text()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                text = content.decode("latin-1")
    text = text.rstrip("\x1a")  # DOS end-of-file marker
    if text:
        unprintable = sum(1 for c in text if _is_unprintable(c))
        if unprintable / len(text) > _MAX_UNPRINTABLE:
            raise _not_text()
    return text


def _is_unprintable(char: str) -> bool:
    if char in _PRINTABLE_CONTROLS:
        return False
    return char == "\ufffd" or unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"}


def _not_text() -> RecipientsError:
    return RecipientsError(
        "the file is not text: save it as CSV or TXT", code=RecipientsErrorCode.NOT_TEXT
    )


def _read_rows(text: str, *, stop_after: int) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their 1-based row numbers (blank rows still count)."""
    delimiter = _sniff_delimiter(text[:_SAMPLE_CHARS])
    reader = (
        csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        if delimiter
        else ([line] for line in io.StringIO(text, newline=""))
    )
    rows: list[tuple[int, list[str]]] = []
    try:
        for row_no, cells in enumerate(reader, start=1):
            cells = [cell.strip() for cell in cells]
            if any(cells):
                rows.append((row_no, cells))
                if len(rows) >= stop_after:
                    break
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        raise _not_text() from exc
    return rows


def _sniff_delimiter(sample: str) -> str | None:
    if "\n" in sample or "\r" in sample:  # never judge on a cut-off last line
        sample = sample[: max(sample.rfind("\n"), sample.rfind("\r"))]
    lines = [line for line in sample.splitlines() if line.strip()]
    if not lines:
        return None
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    counts = {d: sum(d in line for line in lines) for d in _DELIMITERS}
    if sniffed in counts and counts[sniffed] > 0:
        return sniffed
    # Sniffer gives up on short or ragged samples: take the delimiter found on
    # most lines, if it is on at least half of them.
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] * 2 >= len(lines) else None


def _header_words(cell: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", cell).casefold()
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    words = set(_WORD.findall(ascii_only))
    return words | {w[:-1] for w in words if w.endswith("s")}


def _header_columns(cells: Sequence[str], reading: _Reading) -> dict[int, bool]:
    """The phone-like header columns (and whether each says "mobile"), if this is a header."""
    cells = cells[:_MAX_COLUMNS]
    if any(_is_phone(cell, reading) for cell in cells):
        return {}
    words = {k: _header_words(cell) for k, cell in enumerate(cells)}
    return {k: bool(w & _MOBILE_HEADER_WORDS) for k, w in words.items() if w & HEADER_WORDS}


def _is_phone(cell: str, reading: _Reading) -> bool:
    return any(
        not isinstance(result, RejectReason) or result is RejectReason.NOT_MOBILE
        for result in _cell_results(cell, reading)
    )


def _cell_results(cell: str, reading: _Reading) -> list[_Result]:
    """The first few entries of a cell: enough to judge it, bounded however long it is."""
    results = (result for piece in _cell_pieces(cell) for _, result in _split_piece(piece, reading))
    return list(itertools.islice(results, _SAMPLE_ENTRIES_PER_CELL))


def _phone_column(
    header_columns: dict[int, bool], data: Sequence[tuple[int, list[str]]], reading: _Reading
) -> int:
    sample = [cells for _, cells in data[:_SAMPLE_ROWS]]
    width = min(_MAX_COLUMNS, max(len(cells) for cells in sample))

    def score(column: int) -> tuple[int, int]:
        cells = [cells[column] for cells in sample if column < len(cells) and cells[column]]
        results = [result for cell in cells for result in _cell_results(cell, reading)]
        accepted = sum(not isinstance(r, RejectReason) for r in results)
        return accepted + sum(r is RejectReason.NOT_MOBILE for r in results), accepted

    scores = {column: score(column) for column in range(width)}
    if header_columns:
        best = max(
            header_columns,
            key=lambda c: (*scores[c], header_columns[c], -c),
        )
        # A header can name the wrong column ("Número de cliente"); trust it
        # unless another column holds the phone numbers.
        if scores[best][0] > 0 or not any(s[0] for s in scores.values()):
            return best
    best = max(scores, key=lambda c: (*scores[c], -c))
    if scores[best][0] == 0:
        raise RecipientsError(
            "no column of the file holds phone numbers", code=RecipientsErrorCode.NO_PHONE_COLUMN
        )
    return best


def _cell_pieces(cell: str) -> list[str]:
    if _SCIENTIFIC.fullmatch(cell.strip()):
        return [cell]  # "3,51912E+11" in a Portuguese Excel is one broken number
    return _PIECE_SEPARATORS.split(cell)
