"""The fast ways of reading recipients, each held equal to the plain way it replaced.

:func:`plain_classify` is the reading as it was before: phonenumbers asked about
every entry (``parse``, then ``is_valid_number``, then ``number_type``), nothing
remembered. The bot's :meth:`~bot.recipients.Reading.classify` takes three
shortcuts it must be equal to: one ``number_type`` call instead of the two
type checks, a Portuguese mobile read by :data:`~bot.recipients.PT_MOBILE`
without phonenumbers, and each distinct text read once per list. Files take
two more: the unprintable characters counted in C
(:func:`~bot.recipient_files.unprintable_count`) and lines split without a
StringIO (:func:`~bot.recipient_files.split_lines`); and only the phone
column of rows past the first 200 is kept, which :func:`plain_parse_file`, the
old order of reading, checks with every refusal in its place. A file without
quotes is split at its delimiter instead of by csv.reader, and a phone column
of Portuguese mobiles only is read in one pass
(:func:`~bot.recipients.plain_mobiles`): each is held equal to the way it
stands in for.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace

import phonenumbers
from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from bot import recipient_files
from bot.campaigns import MSISDN, _checked_numbers
from bot.recipient_files import parse_file, split_lines, unprintable_count
from bot.recipients import (
    PIECE_SEPARATORS,
    PT_MOBILE,
    Reading,
    RecipientList,
    RecipientsError,
    RecipientsErrorCode,
    Rejected,
    RejectReason,
    Result,
    collect,
    normalize,
    parse_text,
    plain_mobiles,
    split_piece,
    too_many_rows,
)

MOBILE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
TYPES = [
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
]


def plain_classify(raw: str, region: str) -> Result:
    """The reading before the shortcuts: every entry through phonenumbers."""
    text = raw.strip()
    if len(text) > 40:
        return RejectReason.INVALID
    excel = re.fullmatch(r"(\+?\d+)\.0+", text)
    if excel:
        text = excel.group(1)
    digits = sum(c.isdigit() for c in text)
    if not 4 <= digits <= 17 or not re.fullmatch(r"[\d\s+()\-.]+", text):
        return RejectReason.INVALID
    attempts: list[tuple[str, str | None]] = [(text, region)]
    if text.isascii() and text.isdigit() and len(text) >= 8 and not text.startswith("0"):
        attempts.append(("+" + text, None))
    for candidate, candidate_region in attempts:
        try:
            number = phonenumbers.parse(candidate, candidate_region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            break
    else:
        return RejectReason.INVALID
    if number.extension:
        return RejectReason.INVALID
    if phonenumbers.number_type(number) not in MOBILE:
        return RejectReason.NOT_MOBILE
    return phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+")


class PlainReading(Reading):
    """A :class:`Reading` that reads every entry the plain way, remembering nothing."""

    def classify(self, raw: str) -> Result:
        return plain_classify(raw, self.region)


def plain_collect(
    pieces: Iterable[tuple[int, str]], reading: Reading, *, max_entries: int | None = None
) -> RecipientList:
    """The list as it was collected before: every piece through split_piece."""
    first_seen: dict[str, int] = {}
    rejected: list[Rejected] = []
    for line, piece in pieces:
        for raw, result in split_piece(piece, reading):
            if max_entries is not None and len(first_seen) + len(rejected) >= max_entries:
                raise too_many_rows(max_entries)
            if isinstance(result, RejectReason):
                rejected.append(Rejected(line, raw, result))
            elif result in first_seen:
                rejected.append(Rejected(line, raw, RejectReason.DUPLICATE, first_seen[result]))
            else:
                first_seen[result] = line
    return RecipientList(tuple(first_seen), tuple(rejected), "x.csv")


def outcome(read: Callable[[], RecipientList]) -> RecipientList | tuple[str, int | None]:
    try:
        return read()
    except RecipientsError as exc:
        return exc.code.value, exc.limit


regions = st.sampled_from(["PT", "PT", "ES", "BR", "US", "GB", "FR", "MZ", *REGIONS])


@st.composite
def example_numbers(draw: st.DrawFn) -> str:
    """A number of any region and type, its last digits changed, spelled one of many ways."""
    region = draw(st.sampled_from(REGIONS))
    kind = draw(st.sampled_from(TYPES))
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        example = phonenumbers.example_number(region)
    if example is None:
        return draw(st.from_regex(r"\+?[0-9]{4,15}", fullmatch=True))
    national = str(example.national_number)
    keep = draw(st.integers(min_value=0, max_value=len(national)))
    tail = draw(st.text("0123456789", min_size=len(national) - keep, max_size=len(national) - keep))
    national = national[:keep] + tail
    code = str(example.country_code)
    spelled = draw(
        st.sampled_from(
            [
                f"+{code}{national}",
                f"{code}{national}",
                f"00{code}{national}",
                f"+{code} {national}",
                national,
                "0" + national,
            ]
        )
    )
    return draw(spaced(spelled))


def spaced(text: str) -> st.SearchStrategy[str]:
    """``text`` with separators put between some of its characters."""
    return st.lists(
        st.sampled_from(["", "", "", " ", "-", ".", "  ", "\t", "(", ")", "/"]),
        min_size=len(text),
        max_size=len(text),
    ).map(lambda gaps: "".join(c + gap for c, gap in zip(text, gaps, strict=True)).strip())


@st.composite
def near_pt_mobiles(draw: st.DrawFn) -> str:
    """Portuguese-looking numbers, on both sides of the fast path's edge."""
    prefix = draw(
        st.sampled_from(
            [
                *("", "", "351", "+351", "00351", "351 ", "+351 ", "00351 ", "0351", "+ 351"),
                *("3510", "+35", "+3511", "0", "00", "+", "+34", "+1", "351  ", "+351-"),
            ]
        )
    )
    first = draw(st.sampled_from("9999012345678"))
    second = draw(st.sampled_from("12360123456789"))
    rest = draw(st.text("0123456789", min_size=5, max_size=9))
    number = first + second + rest
    gap = draw(st.sampled_from(["", "", " ", "  ", "-", "."]))
    if len(number) == 9 and draw(st.booleans()):
        number = gap.join([number[:3], number[3:6], number[6:]])
    suffix = draw(st.sampled_from(["", "", ".0", ".00", " ", "x", " ext 5"]))
    return prefix + number + suffix


junk = st.text(alphabet="0123456789 +-().,/\t9eE", max_size=24)
fast_shapes = st.from_regex(PT_MOBILE, fullmatch=True)
entries = st.one_of(fast_shapes, near_pt_mobiles(), example_numbers(), junk)


@settings(max_examples=300, deadline=None)
@given(fast_shapes)
def test_property_the_fast_path_is_what_phonenumbers_says(raw: str) -> None:
    result = Reading("PT").classify(raw)
    assert result == plain_classify(raw, "PT")
    assert result == "351" + re.sub(r"\D", "", raw)[-9:]


@settings(max_examples=300, deadline=None)
@given(entries, regions)
def test_property_one_entry_reads_as_the_plain_way(raw: str, region: str) -> None:
    expected = plain_classify(raw, region)
    event("accepted" if not isinstance(expected, RejectReason) else expected.value)
    reading = Reading(region)
    assert reading.classify(raw) == expected
    assert reading.classify(raw) == expected  # remembered, the same
    assert normalize(raw, region) == (None if isinstance(expected, RejectReason) else expected)


def test_example_numbers_of_every_region_read_as_the_plain_way() -> None:
    for region in REGIONS:
        reading = Reading(region)
        for kind in TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            for spelled in (
                phonenumbers.format_number(example, PhoneNumberFormat.E164),
                phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL),
                phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL),
            ):
                for where in (region, "PT"):
                    expected = plain_classify(spelled, where)
                    assert Reading(where).classify(spelled) == expected, (spelled, where)
                assert reading.classify(spelled) == plain_classify(spelled, region)


texts = st.lists(
    st.tuples(entries, st.sampled_from([" ", ", ", ";", "\n", "\r\n", " / ", " ", "\n\n"])),
    max_size=25,
).map(lambda parts: "".join(entry + separator for entry, separator in parts))


@settings(max_examples=100, deadline=None)
@given(texts, regions, st.sampled_from([0, 1, 3, 50_000]), st.sampled_from([None, 1, 4]))
def test_property_typed_text_reads_as_the_plain_way(
    text: str, region: str, runs: int, cap: int | None
) -> None:
    pieces = [
        (line_no, piece)
        for line_no, line in enumerate(text.splitlines(), start=1)
        for piece in PIECE_SEPARATORS.split(line)
    ]
    expected = outcome(
        lambda: plain_collect(pieces, PlainReading(region, runs_left=runs), max_entries=cap)
    )
    reading = Reading(region, runs_left=runs)
    assert outcome(lambda: collect(pieces, reading, source="x.csv", max_entries=cap)) == expected
    if runs == 50_000:
        got = outcome(lambda: parse_text(text, region, max_entries=cap))
        assert got == (
            replace(expected, source="text") if isinstance(expected, RecipientList) else expected
        )


tokens = st.one_of(
    st.sampled_from(["912345678", "+351912345678", "00351913333444", "212345678", "+34612345678"]),
    st.sampled_from(["--", "/", "abc", "1111", "912", "345", "678", "(+351)", "3.51912E+11"]),
    st.text("0123456789+-().", min_size=1, max_size=14),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(tokens, min_size=65, max_size=140), st.sampled_from([" ", "  ", " / "]), regions)
def test_property_a_long_piece_is_one_entry_a_token(
    words: list[str], gap: str, region: str
) -> None:
    # Past 64 tokens no run is searched: each token is an entry, taken one by one.
    piece = gap.join(words)
    found = re.findall(r"[^\s/]+", piece)
    assume(len(found) > 64)
    every = [t for t in found if any(c.isalnum() for c in t)]
    assert list(split_piece(piece, Reading(region))) == [
        (t, plain_classify(t, region)) for t in every
    ]


# Files ---------------------------------------------------------------------------------


def plain_unprintable_count(text: str) -> int:
    def unprintable(char: str) -> bool:
        if char in "\t\n\r\f\v":
            return False
        return char == "\ufffd" or unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"}

    return sum(1 for char in text if unprintable(char))


every_character = st.characters(codec=None, exclude_categories=())


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(every_character),
        st.text(st.characters(max_codepoint=0xFF)),
        st.text(st.characters(max_codepoint=0x7F)),
        st.text("ab\x00\x01\x1f\x7f\x85\x9f\ufffd\ue000\U000f0000\u0378\t\n"),
    )
)
def test_property_unprintable_characters_are_counted_as_one_at_a_time(text: str) -> None:
    assert unprintable_count(text) == plain_unprintable_count(text)


@settings(max_examples=200, deadline=None)
@given(st.text('ab;,"\r\n\x0b\x0c\x1c\x85\u2028 '))
def test_property_lines_split_as_a_stringio_splits_them(text: str) -> None:
    assert list(split_lines(text)) == list(io.StringIO(text, newline=""))


def plain_parse_file(content: bytes, region: str, max_rows: int) -> RecipientList:
    """A file read in the old order: every row kept whole, counted, then judged."""
    text = recipient_files._decode(content)
    delimiter = recipient_files._sniff_delimiter(text[: recipient_files._SAMPLE_CHARS])
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
                if len(rows) >= max_rows + 2:
                    break
    except csv.Error as exc:
        raise recipient_files._not_text() from exc
    if not rows:
        raise RecipientsError("the file is empty", code=RecipientsErrorCode.EMPTY)
    reading = PlainReading(region)
    header = recipient_files._header_columns(rows[0][1], reading)
    data = rows[1:] if header else rows
    if len(data) > max_rows:
        raise too_many_rows(max_rows)
    if not data:
        raise RecipientsError("the file has a header but no rows", code=RecipientsErrorCode.EMPTY)
    column = recipient_files._phone_column(header, data, reading)
    pieces = (
        (row_no, piece)
        for row_no, cells in data
        if column < len(cells)
        for piece in recipient_files._cell_pieces(cells[column])
    )
    return plain_collect(pieces, reading, max_entries=max_rows)


cells = st.one_of(
    entries,
    st.sampled_from(["Ana", "Rui Sá", "a@b.pt", "", "", "C-12", "912345678, 913333444"]),
    st.sampled_from(["1111 " * 70, "912 345 678 913 333 444", "3,51912E+11", "\x07"]),
)
headers = st.sampled_from(
    [[], ["Nome", "Telemóvel"], ["Número de cliente", "Nome", "Contact"], ["tel", "phone", "x"]]
)


@st.composite
def files(draw: st.DrawFn) -> tuple[bytes, int]:
    """A small CSV or TXT file (any delimiter, blank rows, a header or not), and a row cap."""
    width = draw(st.integers(min_value=1, max_value=4))
    rows = draw(st.lists(st.lists(cells, min_size=1, max_size=width), max_size=40))
    # Past the first 200 rows only the phone column is kept: repeat rows to get there.
    rows *= draw(st.sampled_from([1, 1, 1, 8, 30]))
    header = draw(headers)
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    if header:
        writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            out.write(ending)  # a blank row, still counted in the row numbers
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    content = text.encode(encoding, errors="replace")
    if encoding == "utf-8-sig":
        assert content.startswith(codecs.BOM_UTF8)
    count = len(rows) + bool(header)
    max_rows = draw(st.sampled_from([1, 2, max(1, count - 2), max(1, count - 1), count, 100_000]))
    return content, max_rows


@settings(max_examples=80, deadline=None)
@given(files(), st.sampled_from(["PT", "PT", "ES", "BR"]))
def test_property_files_read_as_in_the_old_order(file: tuple[bytes, int], region: str) -> None:
    content, max_rows = file
    expected = outcome(lambda: plain_parse_file(content, region, max_rows))
    event(expected[0] if isinstance(expected, tuple) else "read")
    event("over 200 rows" if content.count(b"\n") + content.count(b"\r") > 200 else "short")
    assert outcome(lambda: parse_file("x.csv", content, region, max_rows=max_rows)) == expected


def plain_rows(text: str) -> list[tuple[int, list[str]]] | str:
    """A file's rows as csv.reader made them of every file, its stripped cells."""
    delimiter = recipient_files._sniff_delimiter(text[: recipient_files._SAMPLE_CHARS])
    reader = (
        csv.reader(split_lines(text), delimiter=delimiter)
        if delimiter
        else ([line] for line in split_lines(text))
    )
    rows = []
    try:
        for row_no, cells in enumerate(reader, start=1):
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                rows.append((row_no, stripped))
    except csv.Error:
        return RecipientsErrorCode.NOT_TEXT.value
    return rows


line_texts = st.text('ab1 ;,|\t"\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\\é', max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(line_texts, max_size=6).map("\n".join) | line_texts)
@example("a;b\r\nc;d\re\n\nf")
@example('a;"b;c"\nd')
@example("912345678;Ana\x85x\n913333444;Rui")
@example("a;" + "b" * 131_073 + "\nc;d")
@example("a;" + "b" * 131_072 + "\nc;d")
@example("a" + "b" * 131_073 + "\nc")
@example("a\x00;b")
@example("a;b\r" * 40_000)
@example(("a;b" + "c" * 65_530 + "\r\n") * 3)
def test_property_a_file_without_quotes_is_split_as_csv_reads_it(text: str) -> None:
    """Rows as csv.reader made them, or the same refusal, for any text."""

    def rows() -> list[tuple[int, list[str]]] | str:
        try:
            return list(recipient_files._rows(text))
        except RecipientsError as exc:
            return exc.code.value

    event("split" if not any(m in text for m in recipient_files._NOT_PLAIN) else "csv.reader")
    assert rows() == plain_rows(text)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.text("ab1 é", max_size=30), st.text("ab1 é", max_size=30))
        .map(";".join)
        .flatmap(lambda line: st.sampled_from(["\n", "\r\n", "\r"]).map(line.__add__)),
        min_size=1,
        max_size=5,
    ),
    st.integers(0, 300),
)
def test_property_a_long_file_is_split_across_its_blocks_as_csv_reads_it(
    lines: list[str], tail: int
) -> None:
    """Past the 64 kB blocks the lines are split in, with line ends at every alignment."""
    unit = "".join(lines)
    text = unit * (70_000 // len(unit) + 1) + "x;" * tail
    assert list(recipient_files._rows(text)) == plain_rows(text)


phone_cells = st.one_of(
    fast_shapes, fast_shapes, fast_shapes, near_pt_mobiles(), st.sampled_from(["", "912345678\n"])
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(phone_cells, min_size=1, max_size=30).map(
        lambda cells: cells * 2 if len(cells) % 3 == 0 else cells
    ),
    st.sampled_from(["PT", "PT", "ES"]),
    st.sampled_from([None, 1, 5, 40]),
)
def test_property_a_column_of_portuguese_mobiles_reads_as_collect_reads_it(
    cells: list[str], region: str, max_entries: int | None
) -> None:
    """Numbers, refusals, and the row of each number: the same as collect's, or ``None``
    (collect then reads it); never ``None`` for a column of PT_MOBILE cells in PT."""
    lines = [3 * n + 2 for n in range(len(cells))]
    pieces = (
        (line, piece)
        for line, cell in zip(lines, cells, strict=True)
        for piece in recipient_files._cell_pieces(cell)
    )

    def read(how: Callable[[], RecipientList | None]) -> tuple[object, ...] | str | None:
        try:
            found = how()
        except RecipientsError as exc:
            return exc.code.value
        return None if found is None else (found, found.lines)

    fast = read(
        lambda: plain_mobiles(
            lines, cells, Reading(region), source="x.csv", max_entries=max_entries
        )
    )
    plain = read(lambda: collect(pieces, Reading(region), source="x.csv", max_entries=max_entries))
    every = region == "PT" and all(PT_MOBILE.fullmatch(cell) for cell in cells)
    event("one pass" if fast is not None else "collect")
    assert (fast is not None) is every
    if fast is not None:
        assert fast == plain


def plain_checked_numbers(given: list[str]) -> tuple[list[str], list[str]]:
    """The engine's check of the numbers it is given, as it was: each one cleaned."""
    unique = list(dict.fromkeys(r.strip().lstrip("+") for r in given if r.strip()))
    return unique, [r for r in unique if not MSISDN.fullmatch(r)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["351912345678", "351913333444", "4412345678", "0912345678"])
        | st.from_regex(r"[ +]{0,2}[0-9]{6,16}[ \t]?", fullmatch=True)
        | st.sampled_from(["", " ", "+", "12a45678", "١٢٣٤٥٦٧٨٩"]),
        max_size=12,
    )
)
def test_property_the_numbers_given_to_a_campaign_are_checked_as_before(given: list[str]) -> None:
    assert _checked_numbers(given) == plain_checked_numbers(given)
