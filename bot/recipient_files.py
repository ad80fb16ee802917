"""Reading a recipients file (CSV or TXT) into a :class:`~bot.recipients.RecipientList`.

The file is decoded (UTF-8, UTF-16 with a BOM, or Latin-1/Windows-1252),
its delimiter sniffed, its header read, and the column holding phone numbers
found by its name (``Telemóvel``, ``mobile``...) or by the share of its cells
that are numbers; each cell then goes through the same reading as typed text
(:func:`bot.recipients.split_piece`). Hostile files are bounded: size, rows,
columns, cells per row, and the share of unprintable characters.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Sequence

from bot.recipients import (
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


# Bounds on the work done before the phone column is known: a 2 MB file may
# be one row of a million cells, or one cell of a million tokens.
_MAX_COLUMNS = 256


_SAMPLE_ENTRIES_PER_CELL = 20


_MAX_UNPRINTABLE = 0.05


_PRINTABLE_CONTROLS = frozenset("\t\n\r\f\v")


MAX_FILE_BYTES = 2_000_000
"""The largest recipients file taken, here and by every adapter before it downloads one."""
FILE_MB = f"{MAX_FILE_BYTES / 1_000_000:g}"
"""The same, as users read it (in MB)."""


def parse_file(
    name: str,
    content: bytes,
    region: str = "PT",
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int = 50_000,
) -> RecipientList:
    """Read a CSV or TXT file of recipients, finding the phone column.

    Raises :class:`RecipientsError` when the file is too large, not text,
    empty, longer than ``max_rows`` data rows, or has no phone column.
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
    rows = _read_rows(text, stop_after=max_rows + 2)
    if not rows:
        raise RecipientsError("the file is empty", code=RecipientsErrorCode.EMPTY)
    reading = Reading(region)
    header = _header_columns(rows[0][1], reading)
    data = rows[1:] if header else rows
    if len(data) > max_rows:
        raise too_many_rows(max_rows)
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
    return collect(pieces, reading, source=name, max_entries=max_rows)


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


def _header_columns(cells: Sequence[str], reading: Reading) -> dict[int, bool]:
    """The phone-like header columns (and whether each says "mobile"), if this is a header."""
    cells = cells[:_MAX_COLUMNS]
    if any(_is_phone(cell, reading) for cell in cells):
        return {}
    words = {k: _header_words(cell) for k, cell in enumerate(cells)}
    return {k: bool(w & _MOBILE_HEADER_WORDS) for k, w in words.items() if w & HEADER_WORDS}


def _is_phone(cell: str, reading: Reading) -> bool:
    return any(
        not isinstance(result, RejectReason) or result is RejectReason.NOT_MOBILE
        for result in _cell_results(cell, reading)
    )


def _cell_results(cell: str, reading: Reading) -> list[Result]:
    """The first few entries of a cell: enough to judge it, bounded however long it is."""
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
    if SCIENTIFIC.fullmatch(cell.strip()):
        return [cell]  # "3,51912E+11" in a Portuguese Excel is one broken number
    return PIECE_SEPARATORS.split(cell)
