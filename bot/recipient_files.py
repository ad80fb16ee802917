"""Reading a recipients file (CSV or TXT) into a :class:`~bot.recipients.RecipientList`.

The file is decoded (UTF-8, UTF-16 with a BOM, or Latin-1/Windows-1252),
its delimiter sniffed, its header read, and the column holding phone numbers
found by its name (``Telemóvel``, ``mobile``...) or by the share of its cells
that are numbers; each cell then goes through the same reading as typed text
(:func:`bot.recipients.split_piece`). Hostile files are bounded: size, rows,
columns, cells per row, and the share of unprintable characters.

A file with a header and more columns than the phone one keeps the other
columns' values per number (``RecipientList.columns`` / ``values``, a tuple per
row against one header tuple): the fields of a personalised text
(:mod:`bot.personal_text`).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace

from bot.recipients import (
    MIN_DIGITS,
    PIECE_SEPARATORS,
    SCIENTIFIC,
    Reading,
    RecipientList,
    RecipientsError,
    RecipientsErrorCode,
    RejectReason,
    Result,
    check_region,
    collect,
    plain_mobiles,
    split_piece,
    too_many_rows,
)

HEADER_WORDS: frozenset[str] = frozenset(
    {
        "phone", "telefone", "telemovel", "movel", "mobile", "msisdn", "numero", "number",
        "tel", "celular", "contacto", "contact", "telephone", "cell", "cellphone", "gsm",
        "tlm", "tlf", "telf", "telef",
    }
)  # fmt: skip
"""Words (accent- and case-folded, plural "s" allowed) that mark a phone column header."""
_MOBILE_HEADER_WORDS = frozenset({"telemovel", "movel", "mobile", "msisdn", "celular", "cell"})


_WORD = re.compile(r"[a-z]+")


_DELIMITERS = "\t;,|"


_SAMPLE_CHARS = 64_000


_SAMPLE_ROWS = 200


# Bounds on the work done before the phone column is known: a 10 MB file may
# be one row of a million cells, or one cell of a million tokens.
_MAX_COLUMNS = 256


_SAMPLE_ENTRIES_PER_CELL = 20


_MAX_HEADER_CHARS = 1_000  # a longer cell names no column (a TXT's one 10 MB line)


_MAX_UNPRINTABLE = 0.05


_PRINTABLE_CONTROLS = frozenset("\t\n\r\f\v")


MAX_FILE_BYTES = 10_000_000
"""The largest recipients file taken by default (``MAX_FILE_MB``): here, and by an
adapter before it downloads one unless it is given the configured cap."""
FILE_MB = f"{MAX_FILE_BYTES / 1_000_000:g}"
"""The same, as users read it (in MB)."""
MAX_ROWS = 100_000
"""The most data rows (and entries) a recipients file may hold by default (``MAX_RECIPIENTS``)."""


def parse_file(
    name: str,
    content: bytes,
    region: str = "PT",
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int = MAX_ROWS,
) -> RecipientList:
    """Read a CSV or TXT file of recipients, finding the phone column.

    Raises :class:`RecipientsError` when the file is larger than ``max_bytes``,
    not text, empty, longer than ``max_rows`` data rows (or entries: a cell may
    hold several numbers), or has no phone column.

    Only the header and the first rows are kept whole (the phone column is
    found in them); of the rest, only the phone column's cell.
    """
    region = check_region(region)
    if len(content) > max_bytes:
        raise RecipientsError(
            f"the file is larger than {max_bytes} bytes",
            code=RecipientsErrorCode.FILE_TOO_LARGE,
            limit=max_bytes,
        )
    text = _decode(content)
    # Header and one row over the cap are enough to know the cap is exceeded.
    stop_after = max_rows + 2
    rows = _rows(text)
    head = list(itertools.islice(rows, min(stop_after, 1 + _SAMPLE_ROWS)))
    if not head:
        raise RecipientsError("the file is empty", code=RecipientsErrorCode.EMPTY)
    reading = Reading(region)
    header = _header_columns(head[0][1], reading)
    first = head[1:] if header else head
    if not first:  # the header was the file's only row
        raise RecipientsError("the file has a header but no rows", code=RecipientsErrorCode.EMPTY)
    try:
        found: int | RecipientsError = _phone_column(header, first, reading)
    except RecipientsError as exc:
        found = exc  # said once the rows are counted: too many rows comes first
    rest_lines: list[int] = []
    rest_cells: list[str] = []
    count = len(head)
    keep = found if isinstance(found, int) else None
    # A header with more than the phone column: its other columns are the fields of a
    # personalised text, one tuple per row (against the one header tuple).
    others = (
        [k for k in range(min(len(head[0][1]), _MAX_COLUMNS)) if k != keep]
        if header and keep is not None
        else []
    )
    row_values: dict[int, tuple[str, ...]] = {}
    if others:
        for row_no, cells in first:
            row_values[row_no] = _values(cells, others)
    if count < stop_after:
        for row_no, cells in rows:
            if keep is not None and keep < len(cells):
                rest_lines.append(row_no)
                rest_cells.append(cells[keep])
                if others:
                    row_values[row_no] = _values(cells, others)
            count += 1
            if count >= stop_after:
                break
    if count - bool(header) > max_rows:
        raise too_many_rows(max_rows)
    if isinstance(found, RecipientsError):
        raise found
    column = found
    lines = [row_no for row_no, cells in first if column < len(cells)] + rest_lines
    phones = [cells[column] for _, cells in first if column < len(cells)] + rest_cells
    found_list = plain_mobiles(lines, phones, reading, source=name, max_entries=max_rows)
    if found_list is None:
        pieces = (
            (row_no, piece)
            for row_no, cell in zip(lines, phones, strict=True)
            for piece in _cell_pieces(cell)
        )
        # Cells holding several numbers count each, so one huge cell cannot dodge the cap.
        found_list = collect(pieces, reading, source=name, max_entries=max_rows)
    if not others:
        return found_list
    return replace(
        found_list,
        columns=tuple(head[0][1][k] for k in others),
        values=tuple(row_values[line] for line in found_list.lines),
    )


def _values(cells: Sequence[str], columns: Sequence[int]) -> tuple[str, ...]:
    width = len(cells)
    return tuple(cells[k] if k < width else "" for k in columns)


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
    if text and unprintable_count(text) / len(text) > _MAX_UNPRINTABLE:
        raise _not_text()
    return text


def unprintable_count(text: str) -> int:
    """How many characters of ``text`` no text file holds (controls, unassigned...)."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        # A handful of distinct characters, each judged once; then one pass in C.
        odd = {char for char in set(text) if _is_unprintable(char)}
        return sum(map(odd.__contains__, text)) if odd else 0
    return len(raw) - len(raw.translate(None, _UNPRINTABLE_LATIN1))


def _is_unprintable(char: str) -> bool:
    if char in _PRINTABLE_CONTROLS:
        return False
    return char == "\ufffd" or unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"}


# Latin-1 text (most CSVs) is counted in one C pass over its bytes.
_UNPRINTABLE_LATIN1 = bytes(b for b in range(256) if _is_unprintable(chr(b)))


def _not_text() -> RecipientsError:
    return RecipientsError(
        "the file is not text: save it as CSV or TXT", code=RecipientsErrorCode.NOT_TEXT
    )


_LINE = re.compile(r"[^\r\n]+(?:\r\n?|\n)?|\r\n?|\n")
"""One line with its end, as ``io.StringIO(text, newline="")`` gives them (without
its copy of the text at four bytes a character)."""


def split_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its end (``\\n``, ``\\r\\n`` or ``\\r``)."""
    return (match.group() for match in _LINE.finditer(text))


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows, cells stripped, with their 1-based row numbers (blank rows count)."""
    delimiter = _sniff_delimiter(text[:_SAMPLE_CHARS])
    if not any(mark in text for mark in _NOT_PLAIN):
        # What csv.reader makes of a line without quotes: its cells split at the delimiter.
        limit = csv.field_size_limit()
        for row_no, line in enumerate(_plain_lines(text), start=1):
            cells = line.split(delimiter) if delimiter else [line]
            if delimiter and len(line) > limit and max(map(len, cells)) > limit:
                raise _not_text()  # as csv.reader refuses a field over its limit
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                yield row_no, stripped
        return
    reader = (
        csv.reader(split_lines(text), delimiter=delimiter)
        if delimiter
        else ([line] for line in split_lines(text))
    )
    try:
        for row_no, cells in enumerate(reader, start=1):
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                yield row_no, stripped
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        raise _not_text() from exc


_NOT_PLAIN = ('"', "\x00", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
"""What csv.reader must read (a quote, NUL), and where str.splitlines breaks a line that
csv.reader does not: with none of them, a line's cells are its split at the delimiter."""

_BLOCK = 1 << 16


def _plain_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (with none of :data:`_NOT_PLAIN`), without their ends, split
    a block of about 64 kB at a time: a 10 MB file is never held as lines at once, nor
    the event loop's thread kept waiting for one long split."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start + _BLOCK)
        if end < 0:  # no LF from here on: any CR found is a line end of its own
            end = text.find("\r", start + _BLOCK)
        end = size if end < 0 else end + 1
        yield from text[start:end].splitlines()
        start = end


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


def _header_columns(cells: Sequence[str], reading: Reading) -> dict[int, bool]:
    """The phone-like header columns (and whether each says "mobile"), if this is a header."""
    cells = cells[:_MAX_COLUMNS]
    if any(_is_phone(cell, reading) for cell in cells):
        return {}
    words = {
        k: _header_words(cell) for k, cell in enumerate(cells) if len(cell) <= _MAX_HEADER_CHARS
    }
    return {k: bool(w & _MOBILE_HEADER_WORDS) for k, w in words.items() if w & HEADER_WORDS}


def _is_phone(cell: str, reading: Reading) -> bool:
    return any(
        not isinstance(result, RejectReason) or result is RejectReason.NOT_MOBILE
        for result in _cell_results(cell, reading)
    )


def _cell_results(cell: str, reading: Reading) -> list[Result]:
    """The first few entries of a cell: enough to judge it, bounded however long it is.
    Nothing for a cell with fewer digits than any number has ("Cliente 7"): each of its
    entries would be INVALID, and a name column's reading cost more than the rest."""
    if sum(map(str.isdigit, cell)) < MIN_DIGITS:
        return []
    results = (result for piece in _cell_pieces(cell) for _, result in split_piece(piece, reading))
    return list(itertools.islice(results, _SAMPLE_ENTRIES_PER_CELL))


def _phone_column(
    header_columns: dict[int, bool], data: Sequence[tuple[int, list[str]]], reading: Reading
) -> int:
    sample = [cells for _, cells in data[:_SAMPLE_ROWS]]
    width = min(_MAX_COLUMNS, max(len(cells) for cells in sample))

    def score(column: int) -> tuple[int, int]:
        cells = [cells[column] for cells in sample if column < len(cells) and cells[column]]
        results = [result for cell in cells for result in _cell_results(cell, reading)]
        accepted = sum(not isinstance(r, RejectReason) for r in results)
        return accepted + sum(r is RejectReason.NOT_MOBILE for r in results), accepted

    # A header may name a column no data row reaches ("Nome;Telemóvel" over "912345678").
    columns = sorted(set(range(width)) | set(header_columns))
    scores = {column: score(column) for column in columns}
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
    if ("e" in cell or "E" in cell) and SCIENTIFIC.fullmatch(cell.strip()):
        return [cell]  # "3,51912E+11" in a Portuguese Excel is one broken number
    return PIECE_SEPARATORS.split(cell)
