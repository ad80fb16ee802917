"""Recipient lists from typed text and attached files, every entry accounted for."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import CampaignError
from bot.recipient_files import parse_file
from bot.recipients import (
    RecipientList,
    RecipientsError,
    RecipientsErrorCode,
    Rejected,
    RejectReason,
    normalize,
    parse_text,
)

PT1 = "351912345678"
PT2 = "351913333444"
PT3 = "351962222222"
INVALID = RejectReason.INVALID
NOT_MOBILE = RejectReason.NOT_MOBILE
DUPLICATE = RejectReason.DUPLICATE


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("912345678 913333444 962222222", id="spaces"),
        pytest.param("912345678,913333444, 962222222", id="commas"),
        pytest.param("912345678;913333444 ; 962222222", id="semicolons"),
        pytest.param("912345678\n913333444\r\n962222222\n", id="newlines"),
        pytest.param("912345678\n\n  \n913333444,,962222222", id="blank-pieces"),
        pytest.param("912 345 678 913 333 444 962 222 222", id="inner-spaces-space-separated"),
        pytest.param("912345678 / 913333444 - 962222222", id="slash-and-dash"),
    ],
)
def test_typed_separators(text: str) -> None:
    assert parse_text(text) == RecipientList((PT1, PT2, PT3), (), "text")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("+351 912 345 678", PT1, id="plus-spaced"),
        pytest.param("912 345 678", PT1, id="regionless-spaced"),
        pytest.param("(+351) 912-345-678", PT1, id="parens-dashes"),
        pytest.param("00351912345678", PT1, id="00-prefix"),
        pytest.param("00351 912 345 678", PT1, id="00-prefix-spaced"),
        pytest.param("351912345678", PT1, id="no-plus"),
        pytest.param("912345678", PT1, id="regionless"),
        pytest.param("+34 612 345 678", "34612345678", id="spain"),
        pytest.param("34612345678", "34612345678", id="spain-no-plus"),
        pytest.param("0034 612 345 678", "34612345678", id="spain-00"),
        pytest.param("+258 84 891 4919", "258848914919", id="mozambique"),
        pytest.param("912345678.0", PT1, id="excel-float"),
        pytest.param("+351 212 345 678", None, id="pt-landline"),
        pytest.param("800 200 200", None, id="toll-free"),
        pytest.param("91234567", None, id="one-digit-short"),
        pytest.param("9123456789", None, id="one-digit-long"),
        pytest.param("3.51912E+11", None, id="scientific"),
        pytest.param("912345678 ext 5", None, id="extension"),
        pytest.param("hello", None, id="word"),
        pytest.param("", None, id="empty"),
    ],
)
def test_normalize(raw: str, expected: str | None) -> None:
    assert normalize(raw) == expected


def test_region_applies_to_numbers_without_country_code() -> None:
    assert normalize("612 345 678", region="ES") == "34612345678"
    assert normalize("612 345 678") is None  # not a Portuguese number
    assert normalize("+351 912 345 678", region="es") == PT1


def test_unknown_region_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="XX"):
        parse_text("912345678", region="XX")


def test_one_piece_with_inner_spaces_is_one_number() -> None:
    result = parse_text("+351 912 345 678\n(+351) 913-333-444; +34 612 345 678 +258 84 891 4919")
    assert result.numbers == (PT1, PT2, "34612345678", "258848914919")
    assert result.rejected == ()


def test_landline_and_garbage_are_rejected_with_their_line() -> None:
    result = parse_text("912345678\n+351 212 345 678\nabc, 12; 913333444 xyz")
    assert result.numbers == (PT1, PT2)
    assert result.rejected == (
        Rejected(2, "+351 212 345 678", NOT_MOBILE),
        Rejected(3, "abc", INVALID),
        Rejected(3, "12", INVALID),
        Rejected(3, "xyz", INVALID),
    )
    assert result.invalid == result.rejected
    assert result.duplicates == ()


def test_a_typo_inside_a_list_is_one_rejection() -> None:
    result = parse_text("912 345 67 913 333 444")
    assert result.numbers == (PT2,)
    assert result.rejected == (Rejected(1, "912 345 67", INVALID),)


def test_punctuation_alone_is_still_reported() -> None:
    assert parse_text("912345678, --").rejected == (Rejected(1, "--", INVALID),)


def test_duplicates_in_several_spellings_point_at_the_first() -> None:
    text = "\n".join(
        [
            "913333444",
            "+351 912 345 678",
            "912345678, 00351912345678",
            "(+351) 912-345-678; 351912345678",
            "913 333 444",
        ]
    )
    result = parse_text(text)
    assert result.numbers == (PT2, PT1)
    assert result.rejected == (
        Rejected(3, "912345678", DUPLICATE, first_line=2),
        Rejected(3, "00351912345678", DUPLICATE, first_line=2),
        Rejected(4, "(+351) 912-345-678", DUPLICATE, first_line=2),
        Rejected(4, "351912345678", DUPLICATE, first_line=2),
        Rejected(5, "913 333 444", DUPLICATE, first_line=1),
    )
    assert result.duplicates == result.rejected
    assert result.invalid == ()


def test_reasons_are_codes_with_english_messages() -> None:
    assert RejectReason.INVALID == "INVALID"
    assert RejectReason.INVALID.message == "not a valid phone number"
    assert RejectReason.NOT_MOBILE.message == "not a mobile number"


def test_empty_text_is_an_empty_list() -> None:
    assert parse_text("  \n , ;\n") == RecipientList((), (), "text")


_PT_MOBILE = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["91", "92", "93", "96"]),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)
_SPELLING = st.sampled_from(
    [
        lambda n: n,
        lambda n: "+351" + n,
        lambda n: "00351" + n,
        lambda n: f"+351 {n[:3]} {n[3:6]} {n[6:]}",
        lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",
        lambda n: f"({n[:3]}) {n[3:6]}-{n[6:]}",
    ]
)
_SEPARATOR = st.sampled_from([" ", "  ", ",", ", ", ";", " ; ", "\n", "\r\n", "\n\n", "\t"])


@given(
    st.lists(st.tuples(_PT_MOBILE, _SPELLING), max_size=30),
    st.lists(_SEPARATOR, min_size=30, max_size=30),
)
def test_property_valid_mobiles_come_back_deduped_in_order(
    entries: list[tuple[str, Callable[[str], str]]], separators: list[str]
) -> None:
    spelled = [spell(n) for n, spell in entries]
    text = spelled[0] if spelled else ""
    for word, separator in zip(spelled[1:], separators, strict=False):
        text += separator + word
    expected = tuple(dict.fromkeys("351" + n for n, _ in entries))
    result = parse_text(text)
    assert result.numbers == expected
    assert result.invalid == ()
    assert len(result.duplicates) == len(entries) - len(expected)


# Files ---------------------------------------------------------------------


def test_csv_with_semicolons_header_bom_and_crlf() -> None:
    content = (
        "\ufeffNome;Telemóvel\r\n"
        "Joaquim, Jr;912 345 678\r\n"
        "\r\n"
        "Ana;abc\r\n"
        "Rui;\r\n"
        "Rita;+351 912345678\r\n"
        "Zé;913333444\r\n"
    ).encode()
    result = parse_file("lista.csv", content)
    assert result == RecipientList(
        (PT1, PT2),
        (Rejected(4, "abc", INVALID), Rejected(6, "+351 912345678", DUPLICATE, first_line=2)),
        "lista.csv",
    )


def test_tab_separated_with_header_in_another_position() -> None:
    content = b"email\tphone number\tname\na@b.pt\t912345678\tAna\nc@d.pt\t913333444\tRui\n"
    assert parse_file("x.tsv", content).numbers == (PT1, PT2)


def test_pipe_separated_without_header_finds_the_phone_column() -> None:
    content = b"Ana|12|912345678\nRui|13|garbage\nZe|14|962222222\n"
    result = parse_file("x.txt", content)
    assert result.numbers == (PT1, PT3)
    assert result.rejected == (Rejected(2, "garbage", INVALID),)


def test_header_prefers_the_mobile_column() -> None:
    content = "Nome,Telefone,Telemóvel\nAna,212345678,912345678\nRui,,913333444\n".encode()
    result = parse_file("x.csv", content)
    assert result.numbers == (PT1, PT2)
    assert result.rejected == ()


def test_header_naming_the_wrong_column_falls_back_to_the_numbers() -> None:
    content = "Número de cliente;Nome;Contact\nC-1;Ana;912345678\nC-2;Rui;913333444\n".encode()
    assert parse_file("x.csv", content).numbers == (PT1, PT2)


def test_single_column_txt_with_lone_cr_line_ends() -> None:
    content = b"912345678\r+351 913 333 444\r\r(+351) 962-222-222\rnope\r"
    result = parse_file("numeros.txt", content)
    assert result.numbers == (PT1, PT2, PT3)
    assert result.rejected == (Rejected(5, "nope", INVALID),)


def test_excel_float_suffix_and_scientific_notation() -> None:
    content = (
        b"Nome;Telefone\nAna;351912345678.0\nRui;3,51913E+11\nZe;3.51962E+11\nIva;913333444.0\n"
    )
    result = parse_file("excel.csv", content)
    assert result.numbers == (PT1, PT2)
    assert result.rejected == (
        Rejected(3, "3,51913E+11", INVALID),
        Rejected(4, "3.51962E+11", INVALID),
    )


def test_cp1252_file_is_decoded() -> None:
    content = "Nome;Telemóvel\r\nJoaquim Conceição;912345678\r\nJoão;abc\r\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    result = parse_file("cp.csv", content)
    assert result.numbers == (PT1,)
    assert result.rejected == (Rejected(3, "abc", INVALID),)


def test_utf16_excel_unicode_text_is_decoded() -> None:
    content = "Nome\tTelemóvel\nConceição\t912345678\n".encode("utf-16")
    assert parse_file("unicode.txt", content).numbers == (PT1,)


def test_quoted_cell_with_two_numbers() -> None:
    content = b'name,phone\nAna,"912345678, 913333444"\n'
    assert parse_file("x.csv", content).numbers == (PT1, PT2)


def _error(
    name: str, content: bytes, *, max_bytes: int = 2_000_000, max_rows: int = 50_000
) -> RecipientsError:
    with pytest.raises(RecipientsError) as info:
        parse_file(name, content, max_bytes=max_bytes, max_rows=max_rows)
    return info.value


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"912345678\x00\n913333444\n", id="nul-bytes"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(range(256)), id="xlsx"),
        pytest.param(bytes(range(1, 32)) * 10 + b"912345678", id="control-chars"),
    ],
)
def test_binary_file_is_not_text(content: bytes) -> None:
    error = _error("x.csv", content)
    assert error.code is RecipientsErrorCode.NOT_TEXT
    assert error.limit is None
    assert isinstance(error, CampaignError)


def test_oversized_file_is_refused_before_reading() -> None:
    error = _error("big.csv", b"\x00" * 101, max_bytes=100)
    assert error.code == "FILE_TOO_LARGE"
    assert error.limit == 100
    assert parse_file("ok.csv", b"912345678\n", max_bytes=10).numbers == (PT1,)


def test_too_many_rows() -> None:
    rows = [f"9123456{i:02d}\n" for i in range(11)]
    error = _error("many.csv", ("Telefone\n" + "".join(rows)).encode(), max_rows=10)
    assert error.code is RecipientsErrorCode.TOO_MANY_ROWS
    assert error.limit == 10
    assert _error("no-header.csv", "".join(rows).encode(), max_rows=10).limit == 10
    # Exactly at the cap is fine: the header and blank rows do not count.
    at_cap = ("Telefone\n\n" + "".join(rows[:5]) + "\n" + "".join(rows[5:10])).encode()
    assert len(parse_file("ok.csv", at_cap, max_rows=10).numbers) == 10


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="no-bytes"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
        pytest.param(b"\r\n \r\n;;\r\n", id="blank-rows"),
        pytest.param("Nome;Telemóvel\n".encode(), id="header-only"),
    ],
)
def test_empty_file(content: bytes) -> None:
    assert _error("empty.csv", content).code is RecipientsErrorCode.EMPTY


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"name,email\nAna,a@b.pt\nRui,r@s.pt\n", id="names-and-emails"),
        pytest.param(b"hello\nworld\n", id="words"),
    ],
)
def test_no_phone_column(content: bytes) -> None:
    assert _error("x.csv", content).code is RecipientsErrorCode.NO_PHONE_COLUMN


def test_header_naming_a_column_no_row_reaches() -> None:
    # The rows are narrower than the header: once a KeyError, now the numbers are found.
    content = "Nome;Telemóvel\n912345678\n913333444\n".encode()
    assert parse_file("x.csv", content).numbers == (PT1, PT2)
    assert parse_file("x.csv", "Nome;Telemóvel\n0\n".encode()) == RecipientList((), (), "x.csv")


def test_a_cell_too_long_to_name_a_column_is_a_row() -> None:
    name = ("phone " * 167)[:1000]  # the longest a header cell may be
    assert parse_file("x.txt", f"{name}\n912345678\n".encode()).rejected == ()
    result = parse_file("x.txt", f"{name}s\n912345678\n".encode())
    assert result.numbers == (PT1,)
    assert {(r.line, r.reason) for r in result.rejected} == {(1, INVALID)}


def test_header_with_only_garbage_below_reports_every_row() -> None:
    result = parse_file("x.csv", b"Nome;Telefone\nAna;xx\nRui;yy\n")
    assert result.numbers == ()
    assert result.rejected == (Rejected(2, "xx", INVALID), Rejected(3, "yy", INVALID))


def test_a_hostile_file_stays_bounded() -> None:
    # One cell of thousands of tokens: each token is judged once, never glued
    # into a thousand candidate numbers.
    content = b"Nome;Tel\nAna;" + b"1111 " * 5000 + b"\nRui;912345678\n"
    result = parse_file("x.csv", content, max_rows=100_000)
    assert result.numbers == (PT1,)
    assert len(result.rejected) == 5000
    assert {r.line for r in result.rejected} == {2}
